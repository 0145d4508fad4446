import type { Id, ImportAccepted, ImportApplyRequest, ImportReport, ImportResponse } from '@live-crm/shared-types';
import { api, backToLogin } from './api';
import { errorFromResponse, networkError } from './api-error';
import { send } from './commands';
import { getBaseUrl } from './config';
import { download, openSpreadsheet } from './export';
import { getToken } from './session';

/** ARCHITECTURE §9.5: a customer sheet from a WeChat chat, checked by the server, then applied once. */

/** The server's limit; a bigger file is refused here before it costs the phone's data plan. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const IMPORT_EXTENSIONS = ['xlsx', 'csv'];

export interface ChosenFile {
  path: string;
  name: string;
  size: number;
}

const authHeader = (): Record<string, string> => {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
};

/** The template (Chinese headers) in WeChat's viewer, whose menu forwards it to a chat or opens it elsewhere. */
export async function openTemplate(): Promise<void> {
  await openSpreadsheet(await download(`${getBaseUrl()}/api/crm/imports/template`, authHeader()));
}

/**
 * A spreadsheet from a WeChat chat (a privacy API: the first pick asks for consent through the
 * page's privacy sheet). Null when the user cancelled or did not consent.
 */
export function chooseSheet(): Promise<ChosenFile | null> {
  return new Promise((resolve, reject) => {
    wx.chooseMessageFile({
      count: 1,
      type: 'file',
      extension: IMPORT_EXTENSIONS,
      success: (res) => {
        const file = res.tempFiles[0];
        resolve(file ? { path: file.path, name: file.name, size: file.size } : null);
      },
      fail: (res) => {
        if (/cancel|privacy/i.test(res.errMsg)) resolve(null);
        else reject(new Error(res.errMsg));
      },
    });
  });
}

/** wx.uploadFile: multipart with the file in `file`; 202 starts the check, anything else is a refusal. */
export function uploadSheet(path: string): Promise<ImportAccepted> {
  return new Promise((resolve, reject) => {
    wx.uploadFile({
      url: `${getBaseUrl()}/api/crm/imports`,
      filePath: path,
      name: 'file',
      header: authHeader(),
      timeout: 60_000,
      success: (res) => {
        let body: unknown = null;
        try {
          body = JSON.parse(res.data);
        } catch {
          // not our JSON (a gateway's page): the status says enough
        }
        if (res.statusCode === 202) return resolve(body as ImportAccepted);
        if (res.statusCode === 401) backToLogin();
        reject(errorFromResponse(res.statusCode, body));
      },
      fail: (res) => reject(networkError(res.errMsg)),
    });
  });
}

export async function getImport(id: Id): Promise<ImportReport> {
  return (await api.get<ImportResponse>(`/api/crm/imports/${id}`)).import;
}

/** Writes every row it may, or none; a repeat answers what the first apply did. */
export async function applyImport(id: Id, req: ImportApplyRequest, idempotencyKey?: string): Promise<ImportReport> {
  return (await send('import.apply', { ...req, id }, idempotencyKey)).import;
}
