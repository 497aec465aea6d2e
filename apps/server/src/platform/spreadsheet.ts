import type ExcelJS from 'exceljs';

/** Spreadsheet helpers shared by every .xlsx export and import (users, questions, exam results). */

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A value that spreadsheet programs would run as a formula: = + - @, tab or CR first (after any apostrophes). */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Formula injection ("CSV injection"): a cell text such as =HYPERLINK(...) is harmless in the file
 * but becomes live when someone edits the cell or saves as CSV. A leading apostrophe keeps it text
 * everywhere. Text that already starts with apostrophes before a trigger gets one more, so
 * `restoreFormula` (used by imports) gives back exactly what was exported. Every string written to
 * an export goes through here.
 */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The inverse of `neutraliseFormula`, for cells read back by an import. */
export function restoreFormula(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value) ? value.slice(1) : value;
}

/** Bold, tinted, centred header row. */
export function styleHeader(row: ExcelJS.Row): void {
  row.eachCell((cell) => {
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0FE' } };
    cell.alignment = { vertical: 'middle', horizontal: 'center' };
  });
}

/**
 * The sheet 说明 of an import template: a row per column (列, 是否必填, 说明), a blank row, then the
 * general notes. `widths` are the three columns' widths.
 */
export function addHelpSheet(wb: ExcelJS.Workbook, rows: readonly (readonly [string, string, string])[], notes: readonly string[], widths: readonly [number, number, number]): ExcelJS.Worksheet {
  const help = wb.addWorksheet('说明');
  help.columns = [
    { header: '列', key: 'column', width: widths[0] },
    { header: '是否必填', key: 'required', width: widths[1] },
    { header: '说明', key: 'text', width: widths[2] },
  ];
  styleHeader(help.getRow(1));
  for (const row of rows) help.addRow([...row]).alignment = { wrapText: true, vertical: 'top' };
  help.addRow([]);
  for (const line of notes) help.addRow([line]);
  return help;
}

const TIME_ZONE = 'Asia/Shanghai';
const shanghai = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function dateParts(ms: number) {
  const parts = shanghai.formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** '2026-11-25 09:30:00' in China time (what people in the exported sheets expect). */
export function formatShanghai(ms: number): string {
  const p = dateParts(ms);
  return `${p.y}-${p.m}-${p.d} ${p.h}:${p.mi}:${p.s}`;
}

/** '20261125': the China-time day, for dated export file names. */
export function shanghaiDay(ms: number): string {
  const p = dateParts(ms);
  return `${p.y}${p.m}${p.d}`;
}
