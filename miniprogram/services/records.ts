import type {
  Activity,
  ActivityLocation,
  ActivityLogRequest,
  ActivityResponse,
  Attachment,
  Contact,
  ContactInput,
  ContactPatch,
  ContactsResponse,
  Id,
  VisitsQuery,
  VisitsResponse,
} from '@live-crm/shared-types';
import { t } from '../i18n/index';
import { api, newIdempotencyKey } from './api';
import { networkError } from './api-error';
import { send } from './commands';
import { getToken } from './session';
import { offlineQueue } from './offline-queue';
import type { Submitted } from './offline-queue';

/** ARCHITECTURE 9.3 on the phone: follow-up records with photos, visits, contacts. */

export const MAX_PHOTOS = 9;
const LABEL_MAX = 20;
const short = (text: string): string => (text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX)}…` : text);

/**
 * Saves a record now, or (no connection) keeps it with its photos in the offline queue to be sent
 * once: the photos go up under the record's key right before it (services/commands).
 */
export function saveRecord(req: ActivityLogRequest, key = newIdempotencyKey()): Promise<Submitted<ActivityResponse>> {
  return offlineQueue.submit({
    command: { type: 'activity.log', req },
    key,
    label: t('record.queuedLabel', { content: short(req.content) }),
  });
}

/** A photo from the album or camera, compressed on the phone (10 MB is the server's limit; 70% is plenty). */
export async function choosePhotos(room: number): Promise<string[]> {
  if (room <= 0) return [];
  const picked = await new Promise<string[]>((resolve) => {
    wx.chooseMedia({
      count: Math.min(room, MAX_PHOTOS),
      mediaType: ['image'],
      sizeType: ['compressed'],
      success: (res) => resolve(res.tempFiles.map((f) => f.tempFilePath)),
      fail: () => resolve([]),
    });
  });
  const out: string[] = [];
  for (const src of picked) {
    out.push(
      await new Promise<string>((resolve) => {
        wx.compressImage({ src, quality: 70, success: (res) => resolve(res.tempFilePath), fail: () => resolve(src) });
      }),
    );
  }
  return out;
}

/** The place of a visit, picked on WeChat's map (a privacy API: the page's consent sheet asks first); null when the rep backs out. */
export function chooseVisitPlace(): Promise<ActivityLocation | null> {
  return new Promise((resolve) => {
    wx.chooseLocation({
      success: (res) => resolve({ latitude: res.latitude, longitude: res.longitude, name: res.name || null, address: res.address || null }),
      fail: () => resolve(null),
    });
  });
}

const photoFiles = new Map<Id, Promise<string>>();

/**
 * A photo's bytes as a local file an `<image>` and wx.previewImage can show: the server answers them
 * only with the bearer token (to whoever may see the record), which `<image src>` cannot send.
 */
export function photoFile(photo: Attachment): Promise<string> {
  let file = photoFiles.get(photo.id);
  if (!file) {
    file = new Promise<string>((resolve, reject) => {
      const token = getToken();
      wx.downloadFile({
        url: photo.url,
        header: token ? { Authorization: `Bearer ${token}` } : {},
        success: (res) => (res.statusCode === 200 ? resolve(res.tempFilePath) : reject(networkError(`HTTP ${res.statusCode}`))),
        fail: (res) => reject(networkError(res.errMsg)),
      });
    });
    file.catch(() => photoFiles.delete(photo.id));
    photoFiles.set(photo.id, file);
  }
  return file;
}

export async function listContacts(customerId: Id): Promise<Contact[]> {
  return (await api.get<ContactsResponse>(`/api/crm/customers/${customerId}/contacts`)).contacts;
}

export async function createContact(customerId: Id, input: ContactInput): Promise<Contact> {
  return (await send('contact.create', { ...input, customerId })).contact;
}

export async function updateContact(id: Id, patch: ContactPatch): Promise<Contact> {
  return (await send('contact.update', { ...patch, id })).contact;
}

export async function listVisits(query: VisitsQuery = {}): Promise<Activity[]> {
  return (await api.get<VisitsResponse>('/api/crm/visits', { ...query })).visits;
}
