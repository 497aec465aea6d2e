import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentDisposition } from './http/content-disposition.js';
import { addHelpSheet, formatShanghai, neutraliseFormula, restoreFormula, shanghaiDay } from './spreadsheet.js';

const DANGEROUS = ['=', '+', '-', '@', '\t', '\r'];
const startsDangerous = (s: string) => DANGEROUS.some((c) => s.startsWith(c));

describe('neutraliseFormula / restoreFormula', () => {
  // Plain strings, strings built to start with a trigger character, and with apostrophes before one
  // (random strings rarely do either).
  const text = fc.oneof(
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
    fc.tuple(fc.constantFrom(...DANGEROUS), fc.string({ unit: 'binary' })).map(([c, rest]) => c + rest),
    fc.tuple(fc.nat({ max: 3 }), fc.constantFrom(...DANGEROUS), fc.string()).map(([n, c, rest]) => `${"'".repeat(n)}${c}${rest}`),
  );

  it('never returns a string that starts with = + - @ tab or CR', () => {
    fc.assert(fc.property(text, (s) => !startsDangerous(neutraliseFormula(s))));
  });

  it('only prefixes an apostrophe, and only to dangerous strings (also behind apostrophes)', () => {
    fc.assert(
      fc.property(text, (s) => {
        const out = neutraliseFormula(s);
        const dangerous = startsDangerous(s.replace(/^'+/, ''));
        return dangerous ? out === `'${s}` : out === s;
      }),
    );
  });

  it('round-trips: an import restores exactly what was exported', () => {
    fc.assert(fc.property(text, (s) => restoreFormula(neutraliseFormula(s)) === s));
  });

  it('handles the classic payloads', () => {
    expect(neutraliseFormula('=HYPERLINK("http://x")')).toBe(`'=HYPERLINK("http://x")`);
    expect(neutraliseFormula('-2+3')).toBe(`'-2+3`);
    expect(neutraliseFormula("'=1+1")).toBe(`''=1+1`);
    expect(restoreFormula("''=1+1")).toBe(`'=1+1`);
    expect(neutraliseFormula('张三')).toBe('张三');
    expect(neutraliseFormula("'引号")).toBe("'引号");
    expect(restoreFormula("'引号")).toBe("'引号");
    expect(neutraliseFormula('')).toBe('');
  });
});

describe('China-time formatting', () => {
  it('formats in UTC+8 whatever the process time zone', () => {
    expect(formatShanghai(Date.UTC(2026, 0, 31, 16, 5, 9))).toBe('2026-02-01 00:05:09');
    expect(shanghaiDay(Date.UTC(2026, 0, 31, 16, 5, 9))).toBe('20260201');
    expect(shanghaiDay(Date.UTC(2026, 0, 31, 15, 59, 59))).toBe('20260131');
  });
});

describe('contentDisposition', () => {
  it('gives an ASCII filename and the RFC 5987 UTF-8 one', () => {
    expect(contentDisposition('users-20261125.xlsx', '用户-20261125.xlsx')).toBe(
      `attachment; filename="users-20261125.xlsx"; filename*=UTF-8''%E7%94%A8%E6%88%B7-20261125.xlsx`,
    );
    expect(contentDisposition('a.xlsx', "成绩(1)'*.xlsx")).toContain("filename*=UTF-8''%E6%88%90%E7%BB%A9%281%29%27%2A.xlsx");
  });
});

describe('addHelpSheet', () => {
  it('writes the header, a row per column, a blank row and the notes; it survives a round trip', async () => {
    const wb = new ExcelJS.Workbook();
    addHelpSheet(wb, [['工号', '必填', '员工编号'], ['岗位', '选填', '最多 100 个字符。']], ['第 1 行是表头。', '不允许使用公式。'], [10, 12, 90]);
    const back = new ExcelJS.Workbook();
    await back.xlsx.load(await wb.xlsx.writeBuffer());
    const help = back.getWorksheet('说明')!;
    const rows = Array.from({ length: help.rowCount }, (_, i) => (help.getRow(i + 1).values as unknown[]).slice(1));
    expect(rows).toEqual([['列', '是否必填', '说明'], ['工号', '必填', '员工编号'], ['岗位', '选填', '最多 100 个字符。'], [], ['第 1 行是表头。'], ['不允许使用公式。']]);
    expect([1, 2, 3].map((c) => help.getColumn(c).width)).toEqual([10, 12, 90]);
    expect(help.getRow(1).getCell(1).font?.bold).toBe(true);
  });
});
