import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { paced, zipInputOf } from '../../src/modules/export/export.pace.js';

/** A client that takes a millisecond per chunk: far slower than exceljs can write rows. */
const slowClient = () =>
  new Writable({
    highWaterMark: 16 * 1024,
    write(_c, _e, cb) {
      setTimeout(cb, 1);
    },
  });

/** Writes `batches` x 500 rows, optionally pacing after each batch; answers the largest zip-input backlog seen. */
async function writeRows(pace: boolean, batches = 20): Promise<number> {
  const out = slowClient();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = wb.addWorksheet('rows');
  sheet.addRow(['id', 'name', 'company']).commit();
  const input = zipInputOf(sheet);
  expect(input, 'exceljs still exposes the zip input the writer paces on').not.toBeNull();
  let backlog = 0;
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < 500; i++) sheet.addRow([b * 500 + i, `客户 ${b * 500 + i}`, '上海明达贸易有限公司 华东区域代理']).commit();
    backlog = Math.max(backlog, (input as unknown as { _writableState: { length: number } })._writableState.length);
    if (pace) await paced(out, input);
  }
  sheet.commit();
  await wb.commit();
  return backlog;
}

describe('export pacing', () => {
  it('keeps the XML waiting for compression to about one batch, where unpaced it grows with the export', async () => {
    const unpaced = await writeRows(false);
    const withPacing = await writeRows(true);
    expect(unpaced).toBeGreaterThan(1_000_000);
    expect(withPacing).toBeLessThan(200_000);
  });

  it('gives up once the client has gone', async () => {
    const out = slowClient();
    out.destroy();
    await expect(paced(out, null)).rejects.toMatchObject({ code: 'unavailable' });
  });
});
