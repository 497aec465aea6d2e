import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUESTION_IMPORT_MAX_FILE_BYTES, QUESTION_XLSX_COLUMNS, questionImportFailureDetailsSchema, questionImportResultSchema, type QuestionImportResult } from '@kpl/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { parseGift } from './format.gift.js';
import { caller, newBank, otherInstructor, sampleSingle, upload } from './questions.test-support.js';

type Row = Partial<Record<(typeof QUESTION_XLSX_COLUMNS)[number], ExcelJS.CellValue>>;

async function workbook(rows: Row[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('题目');
  ws.addRow([...QUESTION_XLSX_COLUMNS]);
  for (const r of rows) ws.addRow(QUESTION_XLSX_COLUMNS.map((h) => r[h] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));

/** A realistic sheet: every type, the way an instructor fills it in. */
const SHEET: Row[] = [
  { 题型: '单选', 题干: '个人信息处理者应当对其个人信息处理活动（  ）。', 选项A: '负责', 选项B: '免责', 选项C: '报备', 答案: 'A', 解析: '第九条。', 分值: 2, 难度: 1, 知识点: '处理者义务', 标签: '总则' },
  { 题型: '多选', 题干: '敏感个人信息包括：', 选项A: '生物识别', 选项B: '医疗健康', 选项C: '金融账户', 选项D: '公司名称', 答案: 'ABC', 分值: 3, 知识点: '敏感个人信息', 标签: '敏感个人信息、必修' },
  { 题型: '判断', 题干: '个人撤回同意，不影响撤回前已进行的处理活动的效力。', 答案: '对', 分值: 1, 难度: 2 },
  { 题型: '填空', 题干: '处理敏感个人信息应当取得个人的（）同意；法律规定应当取得____同意的，从其规定。', 答案: '单独|书面/书面形式', 填空顺序: '有序' },
  {
    题型: '简答',
    题干: '委托他人处理个人信息时，个人信息处理者应当做到哪些？',
    答案: '约定委托处理的目的、期限、处理方式、个人信息的种类、保护措施以及双方的权利和义务，并监督受托人的处理活动。',
    评分要点: '约定目的、期限、处理方式等 | 60 | 约定/目的/期限\n监督受托人 | 40 | 监督',
    分值: 10,
    难度: 4,
    知识点: '委托处理',
  },
];

describe('question import and export', () => {
  let t: TestApp;
  let s: Record<'admin' | 'instructor', Session>;
  let other: Session;
  let call: ReturnType<typeof caller>;

  beforeAll(async () => {
    t = await createTestApp();
    s = await seedAndLogin(t, ['admin', 'instructor']);
    other = await otherInstructor(t, s.admin);
    call = caller(t);
  });
  afterAll(() => t.close());

  const importFile = (who: Session, bankId: string, format: string, data: Buffer | string, dryRun: boolean, filename = 'q.xlsx') =>
    t.app.inject({ method: 'POST', url: `/api/v1/questions/import?format=${format}&bankId=${bankId}&dryRun=${dryRun}`, headers: who.headers, payload: upload(data, filename) });
  const count = async (bankId: string) => (await call('GET', `/api/v1/questions?bankId=${bankId}&status=all`, s.admin)).json().total as number;
  const hashes = async (bankId: string) =>
    ((await call('GET', `/api/v1/questions?bankId=${bankId}&pageSize=200`, s.admin)).json().items as { hash: string }[]).map((q) => q.hash).sort();
  const exportBank = async (bankId: string, format: 'xlsx' | 'gift') => {
    const res = await call('GET', `/api/v1/questions/export?format=${format}&bankId=${bankId}`, s.instructor);
    expect(res.statusCode, res.body).toBe(200);
    return res.rawPayload;
  };

  it('serves the template', async () => {
    const res = await call('GET', '/api/v1/questions/import/template', s.instructor);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toContain("filename*=UTF-8''%E9%A2%98%E7%9B%AE");
    const bank = await newBank(t, s.instructor, '模板题库');
    const dry = questionImportResultSchema.parse((await importFile(s.instructor, bank, 'xlsx', res.rawPayload, true)).json());
    expect(dry.summary).toEqual({ total: 5, valid: 5, invalid: 0, duplicates: 0, created: 5 });
  });

  describe('Excel', () => {
    let bankId: string;
    beforeAll(async () => {
      bankId = await newBank(t, s.instructor, 'Excel 题库');
    });

    it('checks a file in a dry run without writing anything', async () => {
      const res = await importFile(s.instructor, bankId, 'xlsx', await workbook(SHEET), true);
      expect(res.statusCode, res.body).toBe(200);
      const r = questionImportResultSchema.parse(res.json());
      expect(r).toMatchObject({ dryRun: true, format: 'xlsx', errors: [], warnings: [], duplicates: [] });
      expect(r.summary).toEqual({ total: 5, valid: 5, invalid: 0, duplicates: 0, created: 5 });
      expect(r.preview.map((p) => [p.row, p.content.type, p.defaultPoints, p.duplicate])).toEqual([
        [2, 'single', 2, false],
        [3, 'multiple', 3, false],
        [4, 'true_false', 1, false],
        [5, 'fill_blank', 2, false],
        [6, 'short_answer', 10, false],
      ]);
      expect(r.preview[3]!.content).toMatchObject({ stem: '处理敏感个人信息应当取得个人的____同意；法律规定应当取得____同意的，从其规定。', blanks: [{ accepted: ['单独'] }, { accepted: ['书面', '书面形式'] }] });
      expect(await count(bankId)).toBe(0);
    });

    it('imports every row of a clean file', async () => {
      const res = await importFile(s.instructor, bankId, 'xlsx', await workbook(SHEET), false);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().summary).toEqual({ total: 5, valid: 5, invalid: 0, duplicates: 0, created: 5 });
      expect(await count(bankId)).toBe(5);
      const tagged = (await call('GET', `/api/v1/questions?bankId=${bankId}&tag=${encodeURIComponent('必修')}`, s.instructor)).json();
      expect(tagged.items.map((q: { type: string }) => q.type)).toEqual(['multiple']);
      const audit = (await call('GET', `/api/v1/audit?action=questions.imported&targetId=${bankId}`, s.admin)).json().items;
      expect(audit[0].details).toEqual({ format: 'xlsx', total: 5, created: 5, duplicates: 0 });
    });

    it('skips questions already in the bank and repeated in the file, and says so', async () => {
      const rows = [...SHEET, SHEET[0]!, { ...SHEET[0]!, 题干: '新题：个人信息处理者应当对其处理活动负责吗？' }];
      const r = questionImportResultSchema.parse((await importFile(s.instructor, bankId, 'xlsx', await workbook(rows), false)).json());
      expect(r.summary).toEqual({ total: 7, valid: 7, invalid: 0, duplicates: 6, created: 1 });
      expect(r.duplicates.slice(0, 5).map((d) => [d.row, typeof d.existingQuestionId])).toEqual([2, 3, 4, 5, 6].map((row) => [row, 'string']));
      expect(r.duplicates[5]).toMatchObject({ row: 7, existingQuestionId: expect.any(String) });
      expect(await count(bankId)).toBe(6);
      // Repeated within a fresh bank: the second copy is the file's own duplicate.
      const fresh = await newBank(t, s.instructor, '文件内重复');
      const dup = questionImportResultSchema.parse((await importFile(s.instructor, fresh, 'xlsx', await workbook([SHEET[2]!, SHEET[2]!]), true)).json());
      expect(dup.duplicates).toEqual([{ row: 3, sameAs: { row: 2 } }]);
      expect(dup.summary.created).toBe(1);
    });

    it('imports nothing when one row is bad, and lists every bad row with its column', async () => {
      const before = await count(bankId);
      const rows: Row[] = [
        { ...SHEET[0]!, 题干: '好的一行' },
        { 题型: '单选', 题干: '答案超出选项', 选项A: '甲', 选项B: '乙', 选项C: '丙', 选项D: '丁', 答案: 'E' },
        { 题型: '填空', 题干: '两个答案一个空____', 答案: '甲|乙' },
        { 题型: '判断', 题干: '难度超出范围', 答案: '对', 难度: 9 },
        { 题型: '判断', 题干: '出处不存在', 答案: '对', 出处: JSON.stringify({ materialId: 'm', chunkId: 'c', quote: '引文' }) },
      ];
      const dry = questionImportResultSchema.parse((await importFile(s.instructor, bankId, 'xlsx', await workbook(rows), true)).json());
      expect(dry.summary).toEqual({ total: 5, valid: 1, invalid: 4, duplicates: 0, created: 0 });
      const expected = [
        { row: 3, column: '答案', message: 'E is not one of the options (A–D)' },
        { row: 4, column: '答案', message: 'the stem marks 1 blank(s) with ____ but 2 answer(s) are given' },
        { row: 5, column: '难度', message: 'must be a whole number from 1 to 5' },
        { row: 6, column: '出处', message: 'no such chunk' },
      ];
      expect(dry.errors).toEqual(expected);

      const res = await importFile(s.instructor, bankId, 'xlsx', await workbook(rows), false);
      expect(res.statusCode).toBe(422);
      expect(res.json().error.code).toBe('ERR-QUESTION-0003');
      const details = questionImportFailureDetailsSchema.parse(res.json().error.details);
      expect(details).toEqual({ summary: { total: 5, valid: 1, invalid: 4, duplicates: 0, created: 0 }, errors: expected, errorsOmitted: 0 });
      expect(await count(bankId)).toBe(before);
    });

    it('reports a wrong header for the whole file', async () => {
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('题目').addRows([['类型', '题目', '答案'], ['单选', 'x', 'A']]);
      const res = await importFile(s.instructor, bankId, 'xlsx', Buffer.from(await wb.xlsx.writeBuffer()), false);
      expect(res.statusCode).toBe(422);
      expect(res.json().error.details.errors).toEqual([
        { row: 1, column: '题型', message: 'the column is missing from the header row' },
        { row: 1, column: '题干', message: 'the column is missing from the header row' },
      ]);
    });

    it('round-trips: Excel → import → export → import gives identical questions (same hashes)', async () => {
      const first = await exportBank(bankId, 'xlsx');
      // Into the same bank: every question is recognised as already there.
      const again = questionImportResultSchema.parse((await importFile(s.instructor, bankId, 'xlsx', first, true)).json());
      expect(again.summary).toMatchObject({ total: 6, valid: 6, invalid: 0, duplicates: 6, created: 0 });
      // Into a new bank: the same hashes, and exporting that bank gives the same sheet contents.
      const copy = await newBank(t, s.instructor, 'Excel 副本');
      expect((await importFile(s.instructor, copy, 'xlsx', first, false)).statusCode).toBe(200);
      expect(await hashes(copy)).toEqual(await hashes(bankId));
      const second = await exportBank(copy, 'xlsx');
      const cells = async (file: Buffer) => {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(file as unknown as ArrayBuffer);
        const out: unknown[][] = [];
        wb.getWorksheet('题目')!.eachRow((row) => out.push(row.values as unknown[]));
        return out;
      };
      expect(await cells(second)).toEqual(await cells(first));
    });

    it('exports formula-safe cells', async () => {
      const bank = await newBank(t, s.instructor, '公式注入');
      await call('POST', '/api/v1/questions', s.instructor, { bankId: bank, content: sampleSingle(`=cmd|' /C calc'!A0`) });
      await call('POST', '/api/v1/questions', s.instructor, { bankId: bank, content: { type: 'true_false', stem: '@SUM(1+1)', correct: true, explanation: '+1 分' } });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await exportBank(bank, 'xlsx')) as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('题目')!;
      const texts: string[] = [];
      ws.eachRow((row, n) => {
        if (n > 1) row.eachCell((c) => {
          expect(typeof c.value === 'object' && c.value !== null && 'formula' in c.value).toBe(false);
          if (typeof c.value === 'string') texts.push(c.value);
        });
      });
      expect(texts.filter((v) => /^[=+\-@]/.test(v))).toEqual([]);
      expect(texts).toEqual(expect.arrayContaining([`'=cmd|' /C calc'!A0`, "'@SUM(1+1)", "'+1 分"]));
      // …and the apostrophe is not part of the question when it comes back.
      const back = questionImportResultSchema.parse((await importFile(s.instructor, bank, 'xlsx', await exportBank(bank, 'xlsx'), true)).json());
      expect(back.summary.duplicates).toBe(2);
    });
  });

  describe('GIFT and Moodle XML', () => {
    let bankId: string;
    beforeAll(async () => {
      bankId = await newBank(t, s.instructor, 'GIFT 题库');
    });

    it('lists unsupported GIFT questions by index and name, and refuses to commit them', async () => {
      const dry = questionImportResultSchema.parse((await importFile(s.instructor, bankId, 'gift', fixture('pipl.gift.txt'), true, 'pipl.gift.txt')).json());
      expect(dry.summary).toEqual({ total: 12, valid: 9, invalid: 3, duplicates: 0, created: 0 });
      expect(dry.errors).toEqual([
        { index: 10, name: 'PIPL-010 权利匹配', message: 'line 56: matching questions {=a -> b} are not supported' },
        { index: 11, name: 'PIPL-011 条款数量', message: 'line 63: numerical questions {#…} are not supported' },
        { index: 12, name: 'PIPL-012 说明', message: 'line 66: a question without an answer block {…} (a description) is not supported' },
      ]);
      expect(dry.warnings).toContainEqual({ index: 1, name: 'PIPL-001 处理原则', message: 'answer feedback (#…) is not kept' });
      const commit = await importFile(s.instructor, bankId, 'gift', fixture('pipl.gift.txt'), false, 'pipl.gift.txt');
      expect(commit.statusCode).toBe(422);
      expect(await count(bankId)).toBe(0);
    });

    it('imports the supported GIFT questions and round-trips them through a GIFT export', async () => {
      const supported = fixture('pipl.gift.txt').toString('utf8').split('$CATEGORY: $course$/top/个人信息保护法/不支持的题型')[0]!;
      const res = await importFile(s.instructor, bankId, 'gift', supported, false, 'pipl.gift.txt');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().summary).toMatchObject({ total: 9, created: 9 });
      const gift = (await exportBank(bankId, 'gift')).toString('utf8');
      expect(gift).toContain('// kpl: ');
      expect(parseGift(gift).items.every((i) => i.errors.length === 0)).toBe(true);
      const copy = await newBank(t, s.instructor, 'GIFT 副本');
      expect((await importFile(s.instructor, copy, 'gift', gift, false, 'copy.gift.txt')).json().summary.created).toBe(9);
      expect(await hashes(copy)).toEqual(await hashes(bankId));
      // GB18030 text (as saved by Chinese Windows editors) reads the same.
      const gb = Buffer.from(new Uint8Array([0xc5, 0xd0, 0xb6, 0xcf, 0xcc, 0xe2, 0x7b, 0x54, 0x7d])); // 判断题{T}
      const dry: QuestionImportResult = (await importFile(s.instructor, copy, 'gift', gb, true, 'gb.txt')).json();
      expect(dry.preview[0]!.content).toMatchObject({ type: 'true_false', stem: '判断题', correct: true });
    });

    it('imports Moodle XML per question, listing unsupported types and Cloze subquestions', async () => {
      const xmlBank = await newBank(t, s.instructor, 'Moodle 题库');
      const dry = questionImportResultSchema.parse((await importFile(s.instructor, xmlBank, 'moodle-xml', fixture('pipl.moodle.xml'), true, 'pipl.xml')).json());
      expect(dry.summary).toEqual({ total: 11, valid: 6, invalid: 5, duplicates: 0, created: 0 });
      expect(dry.errors.map((e) => [e.index, e.name])).toEqual([
        [6, 'PIPL-X06 含选择子题的完形填空'],
        [8, 'PIPL-X08 条款匹配'],
        [9, 'PIPL-X09 未成年人年龄'],
        [10, 'PIPL-X10 说明'],
        [11, 'PIPL-X11 拖放填空'],
      ]);
      expect((await importFile(s.instructor, xmlBank, 'moodle-xml', fixture('pipl.moodle.xml'), false, 'pipl.xml')).statusCode).toBe(422);
      expect(await count(xmlBank)).toBe(0);
    });

    it('answers ERR-QUESTION-0004 for files it cannot read', async () => {
      const cases: [string, Buffer | string][] = [
        ['moodle-xml', '<quiz><question type="truefalse"></quiz>'],
        ['moodle-xml', '<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz>&x;</quiz>'],
        ['gift', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff])],
        ['xlsx', '这不是 Excel 文件'],
      ];
      for (const [format, data] of cases) {
        const res = await importFile(s.instructor, bankId, format, data, true, 'bad');
        expect(res.statusCode, `${format}: ${res.body}`).toBe(400);
        expect(res.json().error.code).toBe('ERR-QUESTION-0004');
      }
    });
  });

  describe('requests', () => {
    it('refuses imports into a bank the caller does not own, and bad requests', async () => {
      const bankId = await newBank(t, s.instructor, '请求检查');
      const sheet = await workbook(SHEET);
      expect((await importFile(other, bankId, 'xlsx', sheet, true)).statusCode).toBe(403);
      expect((await importFile(s.admin, bankId, 'xlsx', sheet, true)).statusCode).toBe(200);
      const json = await t.app.inject({ method: 'POST', url: `/api/v1/questions/import?format=xlsx&bankId=${bankId}`, headers: s.instructor.headers, payload: { file: 'x' } });
      expect(json.statusCode).toBe(400);
      expect((await importFile(s.instructor, bankId, 'csv', sheet, true)).statusCode).toBe(400);
      expect((await importFile(s.instructor, '01890000-0000-7000-8000-000000000000', 'xlsx', sheet, true)).json().error.code).toBe('ERR-QUESTION-0002');
      const twoFiles = upload(sheet, 'a.xlsx');
      twoFiles.append('file', new Blob([new Uint8Array(sheet)]), 'b.xlsx');
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/questions/import?format=xlsx&bankId=${bankId}`, headers: s.instructor.headers, payload: twoFiles });
      expect(res.statusCode).toBe(400);
      expect((await call('GET', `/api/v1/questions/export?format=pdf&bankId=${bankId}`, s.instructor)).statusCode).toBe(400);
      const tooBig = await importFile(s.instructor, bankId, 'gift', Buffer.alloc(QUESTION_IMPORT_MAX_FILE_BYTES + 1, 0x41), true, 'big.txt');
      expect(tooBig.statusCode).toBe(413);
      expect(tooBig.json().error.code).toBe('ERR-COMMON-0004');
    });
  });
});
