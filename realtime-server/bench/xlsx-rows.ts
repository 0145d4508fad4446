import ExcelJS from 'exceljs';

/** Data rows of an exported sheet (header excluded), read with exceljs's streaming reader so the check stays small. */
export async function countRows(file: string): Promise<number> {
  let rows = 0;
  for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file, {})) for await (const _row of sheet) rows += 1;
  return rows - 1;
}
