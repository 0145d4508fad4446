/** Building blocks for uploads in tests (wx.uploadFile itself is in media.ts). */

/**
 * A multipart/form-data body as WeChat's uploadFile writes it: the text fields, then the one file
 * part. Built by hand (not with the global FormData, which a jsdom page test replaces with its own).
 */
export function multipartBody(
  fields: Record<string, string>,
  file: { name: string; fileName: string; bytes: Uint8Array },
): { body: Buffer; contentType: string } {
  const boundary = `----WeChatFormBoundary${Math.random().toString(36).slice(2, 14)}`;
  const quote = (v: string) => v.replace(/"/g, '%22').replace(/\r|\n/g, ' ');
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(k)}"\r\n\r\n${v}\r\n`));
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.name)}"; filename="${quote(file.fileName)}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    Buffer.from(file.bytes),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
