import ExcelJS from 'exceljs';
import { MAX_DATA_ROWS } from './import.reader.js';
import { STATUS_LABELS, TEMPLATE_COLUMNS } from './import.columns.js';
import { MAX_UPLOAD_BYTES } from './import.upload.js';

export const TEMPLATE_FILE_NAME = '客户导入模板.xlsx';

const NOTES = [
  ['客户导入说明'],
  [''],
  ['1. 在“客户”工作表的标题行下面每行填写一位客户，不要修改标题行。'],
  ['2. 姓名必填；公司、电话、邮箱、状态、地址可以留空。'],
  [`3. 状态填写：${STATUS_LABELS.join('、')}（留空为“${STATUS_LABELS[0]}”）。`],
  ['4. 电话可以带 +86、0086、空格或短横线，例如 138 0013 8000、+86 138-0013-8000。'],
  ['5. 与已有客户或本文件中前面的行电话或邮箱相同的行算作重复，导入时可选择跳过或合并。'],
  [
    `6. 每个文件最多 ${MAX_DATA_ROWS.toLocaleString('en-US')} 行、${MAX_UPLOAD_BYTES / 1024 / 1024} MB；也可以上传 UTF-8 编码的 .csv 文件。`,
  ],
  ['7. 公式单元格按显示的结果作为文字导入，不会保存公式。'],
];

/**
 * The sheet to fill in: the customer columns under their Chinese headers, phone kept as text (Excel
 * would turn 13800138000 into 1.38E+10), a drop-down for the status, and a second sheet of notes.
 */
export async function buildTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Live CRM';
  const sheet = wb.addWorksheet('客户', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = TEMPLATE_COLUMNS.map((c) => ({
    header: c.header,
    key: c.field,
    width: c.width,
    ...(c.field === 'phone' ? { style: { numFmt: '@' } } : {}),
  }));
  sheet.getRow(1).font = { bold: true };
  const status = TEMPLATE_COLUMNS.findIndex((c) => c.field === 'status') + 1;
  const letter = sheet.getColumn(status).letter;
  // One rule for the whole column range (exceljs has this, its typings leave it out).
  const rules = (sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations;
  rules.add(`${letter}2:${letter}${MAX_DATA_ROWS + 1}`, {
    type: 'list',
    allowBlank: true,
    formulae: [`"${STATUS_LABELS.join(',')}"`],
    showErrorMessage: true,
    errorTitle: '状态',
    error: `请选择：${STATUS_LABELS.join('、')}`,
  });
  const notes = wb.addWorksheet('说明');
  notes.getColumn(1).width = 90;
  notes.addRows(NOTES);
  notes.getRow(1).font = { bold: true, size: 14 };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
