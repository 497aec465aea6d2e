import { QUESTION_XLSX_COLUMNS, type QuestionContent } from '@kpl/shared';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { normaliseContent } from './content.js';
import { columnOf, questionTemplate, readQuestionsXlsx, TEMPLATE_EXAMPLES, writeQuestionsXlsx } from './format.xlsx.js';
import type { ParsedItem } from './import.types.js';

type Row = Partial<Record<(typeof QUESTION_XLSX_COLUMNS)[number], ExcelJS.CellValue>>;

/** A workbook as a person fills it in: the given header and rows on sheet 题目. */
async function workbook(rows: Row[], header: readonly string[] = QUESTION_XLSX_COLUMNS): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('题目');
  ws.addRow([...header]);
  for (const r of rows) ws.addRow(header.map((h) => r[h as keyof Row] ?? null));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function contentOf(item: ParsedItem): QuestionContent {
  expect(item.errors).toEqual([]);
  const n = normaliseContent(item.content);
  if (!n.ok) throw new Error(JSON.stringify(n.problems));
  return n.content;
}

async function thrown(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

const base = { explanation: '', difficulty: 3, knowledgePoints: [], tags: [], source: null };

describe('Excel import', () => {
  it('reads a realistic sheet with every type exactly', async () => {
    const file = await workbook([
      { 题型: '单选', 题干: '个人信息处理者应当对其个人信息处理活动（  ）。', 选项A: '负责', 选项B: '免责', 选项C: '报备', 选项D: '公示', 答案: 'a', 解析: '第九条。', 分值: 2, 难度: 1, 知识点: '处理者义务', 标签: '总则，必修' },
      { 题型: '多选题', 题干: '敏感个人信息包括：', 选项A: '生物识别', 选项B: '医疗健康', 选项C: '金融账户', 选项D: '公司名称', 答案: 'A,B、C', 分值: 3, 难度: '3', 知识点: '敏感个人信息;识别', 标签: '敏感个人信息' },
      { 题型: '判断', 题干: '个人信息处理者可以以个人不同意为由拒绝提供产品或服务，即使处理个人信息并非提供该服务所必需。', 答案: '错', 解析: '第十六条。', 分值: 1 },
      {
        题型: '填空题',
        题干: '处理敏感个人信息应当取得个人的（）同意；法律规定应当取得____同意的，从其规定。',
        答案: '单独|书面/书面形式',
        填空顺序: '无序',
        知识点: '单独同意、书面同意',
      },
      { 题型: '填空', 题干: '不满____周岁未成年人的个人信息属于敏感个人信息。', 答案: 14, 难度: 2 },
      {
        题型: '简答',
        题干: '向境外提供个人信息前，应当向个人告知哪些事项？',
        答案: '境外接收方的名称或者姓名、联系方式、处理目的、处理方式、个人信息的种类以及个人行使权利的方式和程序等事项。',
        评分要点: '境外接收方的名称或者姓名、联系方式 | 40 | 名称/联系方式\n处理目的、处理方式和个人信息种类 | 40 | 处理目的/处理方式\n行使权利的方式和程序 | 20',
        分值: 10,
        难度: 4,
        知识点: '跨境提供',
        解析: '第三十九条。',
      },
    ]);
    const { items, fileErrors, fileWarnings } = await readQuestionsXlsx(file);
    expect(fileErrors).toEqual([]);
    expect(fileWarnings).toEqual([]);
    expect(items.map((i) => i.ref)).toEqual([2, 3, 4, 5, 6, 7].map((row) => ({ row })));
    expect(items.map((i) => i.defaultPoints)).toEqual([2, 3, 1, undefined, undefined, 10]);
    expect(items.map(contentOf)).toEqual([
      {
        ...base,
        type: 'single',
        stem: '个人信息处理者应当对其个人信息处理活动（  ）。',
        options: [
          { key: 'A', text: '负责' },
          { key: 'B', text: '免责' },
          { key: 'C', text: '报备' },
          { key: 'D', text: '公示' },
        ],
        correct: ['A'],
        explanation: '第九条。',
        difficulty: 1,
        knowledgePoints: ['处理者义务'],
        tags: ['总则', '必修'],
      },
      {
        ...base,
        type: 'multiple',
        stem: '敏感个人信息包括：',
        options: [
          { key: 'A', text: '生物识别' },
          { key: 'B', text: '医疗健康' },
          { key: 'C', text: '金融账户' },
          { key: 'D', text: '公司名称' },
        ],
        correct: ['A', 'B', 'C'],
        knowledgePoints: ['敏感个人信息', '识别'],
        tags: ['敏感个人信息'],
      },
      { ...base, type: 'true_false', stem: '个人信息处理者可以以个人不同意为由拒绝提供产品或服务，即使处理个人信息并非提供该服务所必需。', correct: false, explanation: '第十六条。' },
      {
        ...base,
        type: 'fill_blank',
        stem: '处理敏感个人信息应当取得个人的____同意；法律规定应当取得____同意的，从其规定。',
        blanks: [{ accepted: ['单独'] }, { accepted: ['书面', '书面形式'] }],
        ordered: false,
        knowledgePoints: ['单独同意', '书面同意'],
      },
      { ...base, type: 'fill_blank', stem: '不满____周岁未成年人的个人信息属于敏感个人信息。', blanks: [{ accepted: ['14'] }], ordered: true, difficulty: 2 },
      {
        ...base,
        type: 'short_answer',
        stem: '向境外提供个人信息前，应当向个人告知哪些事项？',
        referenceAnswer: '境外接收方的名称或者姓名、联系方式、处理目的、处理方式、个人信息的种类以及个人行使权利的方式和程序等事项。',
        rubric: [
          { point: '境外接收方的名称或者姓名、联系方式', weight: 40, keywords: ['名称', '联系方式'] },
          { point: '处理目的、处理方式和个人信息种类', weight: 40, keywords: ['处理目的', '处理方式'] },
          { point: '行使权利的方式和程序', weight: 20, keywords: [] },
        ],
        explanation: '第三十九条。',
        difficulty: 4,
        knowledgePoints: ['跨境提供'],
      },
    ]);
  });

  it('reports wrong headers once for the file', async () => {
    const file = await workbook([{ 题型: '判断' }], ['题型', '题目', '正确答案', '备注']);
    const { items, fileErrors, fileWarnings } = await readQuestionsXlsx(file);
    expect(items).toEqual([]);
    expect(fileErrors).toEqual([
      { row: 1, column: '题干', message: 'the column is missing from the header row' },
      { row: 1, column: '答案', message: 'the column is missing from the header row' },
    ]);
    expect(fileWarnings.map((w) => w.column)).toEqual(['题目', '正确答案', '备注']);
  });

  it('reports bad rows with their row and column', async () => {
    const four = { 选项A: '甲', 选项B: '乙', 选项C: '丙', 选项D: '丁' };
    const { items } = await readQuestionsXlsx(
      await workbook([
        { 题型: '单选', 题干: '答案超出选项', ...four, 答案: 'E' },
        { 题型: '单选', 题干: '难度超出范围', ...four, 答案: 'A', 难度: 9 },
        { 题型: '单选', 题干: '两个答案', ...four, 答案: 'AB' },
        { 题型: '多选', 题干: '选项有空缺', 选项A: '甲', 选项C: '丙', 答案: 'AC' },
        { 题型: '判断', 题干: '判断', 答案: '也许' },
        { 题型: '填空', 题干: '两个空____和____', 答案: '甲||乙' },
        { 题型: '论述', 题干: '不存在的题型', 答案: 'x' },
        { 题型: '单选', 题干: { formula: '1+1', result: 2 }, ...four, 答案: 'A' },
        { 题型: '单选', 题干: '分值为负', ...four, 答案: 'A', 分值: -1 },
        { 题型: '简答', 题干: '权重不是数字', 答案: '参考', 评分要点: '要点 | 很多' },
        { 题型: '填空', 题干: '顺序写错____', 答案: '甲', 填空顺序: '随便' },
        { 题型: '单选', 题干: '出处不是 JSON', ...four, 答案: 'A', 出处: '第一章' },
      ]),
    );
    expect(items.map((i) => ({ row: i.ref.row, errors: i.errors }))).toEqual([
      { row: 2, errors: [{ column: '答案', message: 'E is not one of the options (A–D)' }] },
      { row: 3, errors: [{ column: '难度', message: 'must be a whole number from 1 to 5' }] },
      { row: 4, errors: [{ column: '答案', message: 'a single-choice question has exactly one right option' }] },
      { row: 5, errors: [{ column: '选项B', message: 'is empty but a later option is given' }] },
      { row: 6, errors: [{ column: '答案', message: 'write 对 or 错' }] },
      { row: 7, errors: [{ column: '答案', message: 'blank 2 has no answer' }] },
      { row: 8, errors: [{ column: '题型', message: '"论述" is not a question type: write 单选, 多选, 判断, 填空 or 简答' }] },
      { row: 9, errors: [{ column: '题干', message: 'formula cells are not allowed' }] },
      { row: 10, errors: [{ column: '分值', message: 'must be a number greater than 0 and at most 1000' }] },
      { row: 11, errors: [{ column: '评分要点', message: 'line 1: the weight must be a number greater than 0 and at most 100' }] },
      { row: 12, errors: [{ column: '填空顺序', message: 'write 有序 or 无序' }] },
      { row: 13, errors: [{ column: '出处', message: 'must be the JSON the export writes: {"materialId":"…","chunkId":"…","quote":"…"}' }] },
    ]);
  });

  it('leaves the blank count check to the content rules, shown in the 答案 column', async () => {
    const { items } = await readQuestionsXlsx(await workbook([{ 题型: '填空', 题干: '只有一个空____', 答案: '甲|乙' }]));
    const n = normaliseContent(items[0]!.content);
    expect(n.ok ? [] : n.problems.map((p) => ({ column: columnOf(p.path), message: p.message }))).toEqual([
      { column: '答案', message: 'the stem marks 1 blank(s) with ____ but 2 answer(s) are given' },
    ]);
  });

  it('answers ERR-QUESTION-0004 for a file that is not a workbook, and ERR-QUESTION-0005 past 5,000 rows', async () => {
    expect((await thrown(readQuestionsXlsx(Buffer.from('题型,题干\n单选,x')))).code).toBe('ERR-QUESTION-0004');
    const many = await workbook(Array.from({ length: 5_001 }, (_, i) => ({ 题型: '判断', 题干: `第${i}题`, 答案: '对' })));
    const err = await thrown(readQuestionsXlsx(many));
    expect(err.code).toBe('ERR-QUESTION-0005');
    expect(err.details).toEqual({ count: 5_001, limit: 5_000 });
  });
});

describe('Excel export', () => {
  const tricky: { content: QuestionContent; points: number }[] = [
    {
      points: 2.5,
      content: {
        ...base,
        type: 'single',
        stem: '=HYPERLINK("http://evil.example","点我")',
        options: [
          { key: 'A', text: '-1 是负数' },
          { key: 'B', text: "'=已加引号" },
          { key: 'C', text: '@提及' },
        ],
        correct: ['B'],
        explanation: 'a &lt; b &amp;&amp; c',
        knowledgePoints: ['知情、同意', '目的,限制'],
        tags: ['带\\反斜杠'],
        source: { materialId: 'm-1', chunkId: 'c-1', quote: '第一条 为了保护个人信息权益', citation: '第一章 › 第一条' },
      },
    },
    { points: 3, content: { ...base, type: 'multiple', stem: '<p>HTML <strong>题干</strong></p><img src="/files/a.png" />', options: [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }], correct: ['A', 'B'], difficulty: 5 } },
    { points: 1, content: { ...base, type: 'true_false', stem: '+86 的手机号属于个人信息。', correct: true } },
    { points: 2, content: { ...base, type: 'fill_blank', stem: '速度单位____，路径____', blanks: [{ accepted: ['km/h', 'km|h'] }, { accepted: ['C:\\data\\', '/usr/bin'] }], ordered: false } },
    {
      points: 10,
      content: {
        ...base,
        type: 'short_answer',
        stem: '请说明。',
        referenceAnswer: '第一行\n第二行',
        rubric: [
          { point: '要点含 | 竖线/斜杠', weight: 33.5, keywords: ['关键/词', '另一个、词'] },
          { point: '第二个\n要点', weight: 66.5, keywords: [] },
        ],
      },
    },
  ];

  it('imports back to the same contents (same hashes) and points', async () => {
    const { items, fileErrors } = await readQuestionsXlsx(await writeQuestionsXlsx(tricky));
    expect(fileErrors).toEqual([]);
    expect(items.map(contentOf)).toEqual(tricky.map((t) => t.content));
    expect(items.map((i) => i.defaultPoints)).toEqual(tricky.map((t) => t.points));
  });

  it('neutralises cells that spreadsheets would run as formulas and writes no formula', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await writeQuestionsXlsx(tricky)) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('题目')!;
    const cells: ExcelJS.CellValue[] = [];
    ws.eachRow((row) => row.eachCell((c) => cells.push(c.value)));
    expect(cells.some((v) => typeof v === 'object' && v !== null && 'formula' in v)).toBe(false);
    const strings = cells.filter((v): v is string => typeof v === 'string');
    expect(strings.filter((s) => /^[=+\-@]/.test(s))).toEqual([]);
    expect(ws.getCell('B2').value).toBe(`'=HYPERLINK("http://evil.example","点我")`);
    expect(ws.getCell('D2').value).toBe("''=已加引号");
    expect(ws.getCell('B4').value).toBe("'+86 的手机号属于个人信息。");
  });
});

describe('the import template', () => {
  it('has the headers, an instructions sheet and one valid example per type', async () => {
    const file = await questionTemplate();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['题目', '说明']);
    expect((wb.getWorksheet('题目')!.getRow(1).values as unknown[]).slice(1)).toEqual([...QUESTION_XLSX_COLUMNS]);
    const { items } = await readQuestionsXlsx(file);
    expect(items.map(contentOf)).toEqual(TEMPLATE_EXAMPLES.map((e) => e.content));
    expect(items.map((i) => i.content?.type)).toEqual(['single', 'multiple', 'true_false', 'fill_blank', 'short_answer']);
  });
});
