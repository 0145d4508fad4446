import type { ExportRequest, ExportResponse, ExportType } from '@live-crm/shared-types';
import { locale } from '../i18n/index';
import { api } from './api';
import { errorFromResponse, networkError } from './api-error';

/** REST contract section 5: a spreadsheet of the team's records, opened in WeChat to forward it. */

export type ExportFilters = NonNullable<ExportRequest['filters']>;

/** Asks the server for a short-lived signed link to the `.xlsx` (headers in the UI language). */
async function requestExport(type: ExportType, filters: ExportFilters = {}): Promise<string> {
  const body: ExportRequest = { type, filters, locale: locale() };
  return (await api.post<ExportResponse>('/api/crm/export', body)).downloadUrl;
}

/** wx.downloadFile: any HTTP status "succeeds"; only a 200 carries the spreadsheet. */
export function download(url: string, header?: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.downloadFile({
      url,
      ...(header ? { header } : {}),
      success: (res) => {
        if (res.statusCode === 200) resolve(res.tempFilePath);
        else reject(errorFromResponse(res.statusCode, undefined));
      },
      fail: (res) => reject(networkError(res.errMsg)),
    });
  });
}

/** Opens the file in WeChat's viewer; its menu lets the user forward it to a chat. */
export function openSpreadsheet(filePath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    wx.openDocument({
      filePath,
      fileType: 'xlsx',
      showMenu: true,
      success: () => resolve(),
      fail: (res) => reject(new Error(res.errMsg)),
    });
  });
}

/** The whole flow: signed link, download, open. */
export async function exportAndOpen(type: ExportType, filters: ExportFilters = {}): Promise<void> {
  const url = await requestExport(type, filters);
  await openSpreadsheet(await download(url));
}
