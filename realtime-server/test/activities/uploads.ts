import type { Attachment } from '@live-crm/shared-types';
import { demoPhoto } from '../../src/seed/demo.photos.js';

/** A photo as a phone's camera would send it: a real PNG, different for each `n`. */
export const photo = (n = 0): Buffer => demoPhoto(n);

/** What `wx.uploadFile` sends: multipart/form-data with the bytes in one field (`file` unless told). */
export async function upload(
  url: string,
  token: string | undefined,
  bytes: Buffer,
  opts: { field?: string; filename?: string; type?: string } = {},
): Promise<{ status: number; body: { attachment: Attachment } & { error?: { code: string; message: string } } }> {
  const form = new FormData();
  form.append(opts.field ?? 'file', new Blob([bytes], { type: opts.type ?? 'image/png' }), opts.filename ?? 'photo.png');
  const res = await fetch(`${url}/api/crm/attachments`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: form,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** GET an attachment's url with a bearer token, as the phone's wx.downloadFile does: status and bytes. */
export async function download(url: string, token: string): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}
