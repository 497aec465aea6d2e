import {
  OPTION_KEYS,
  QUESTION_IMPORT_MAX_ROWS,
  QUESTION_TYPE_LABELS_ZH,
  QUESTION_XLSX_COLUMNS,
  type QuestionContent,
  type QuestionImportError,
  type QuestionType,
  type QuestionXlsxColumn,
} from '@kpl/shared';
import ExcelJS from 'exceljs';
import { addHelpSheet, neutraliseFormula, restoreFormula, styleHeader } from '../../platform/spreadsheet.js';
import { assertSafeZip } from '../../platform/zip-guard.js';
import { escapeList, joinLabels, splitLabels, splitList, splitRaw, unescapeList } from './format.text.js';
import { assertQuestionCount, DEFAULT_RUBRIC_WARNING, defaultRubric, unreadable, type Issue, type ParsedFile, type ParsedItem } from './import.types.js';
import { displayText } from './sanitize.js';

/**
 * The Excel format (sheet 题目, one question per row, Chinese headers; sheet 说明 explains it).
 * Every column round-trips: an exported workbook imports back to the same contents (same hashes).
 */

/** A workbook may unpack to at most this much (zip-bomb guard). */
export const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;
const SHEET = '题目';

const REQUIRED: readonly QuestionXlsxColumn[] = ['题型', '题干', '答案'];
const OPTION_COLUMNS = OPTION_KEYS.map((k) => `选项${k}` as QuestionXlsxColumn);

const TYPE_BY_LABEL = new Map<string, QuestionType>();
for (const [type, label] of Object.entries(QUESTION_TYPE_LABELS_ZH) as [QuestionType, string][]) {
  for (const name of [type, label, `${label}题`]) TYPE_BY_LABEL.set(name.toLowerCase(), type);
}
for (const [name, type] of [['单项选择', 'single'], ['单项选择题', 'single'], ['多项选择', 'multiple'], ['多项选择题', 'multiple'], ['问答', 'short_answer'], ['问答题', 'short_answer']] as const) {
  TYPE_BY_LABEL.set(name, type);
}
const TRUE_WORDS = new Set(['对', '正确', '是', '√', '✓', 't', 'true', 'y', 'yes']);
const FALSE_WORDS = new Set(['错', '错误', '否', '×', '✗', 'f', 'false', 'n', 'no']);
const ORDERED: Record<string, boolean> = { 有序: true, 顺序: true, 无序: false, 乱序: false, 不限顺序: false };

/** Fill-in answers: blanks separated by | and alternatives by / (full-width forms too). */
const BLANK_SEPARATORS = '|｜';
const ALTERNATIVE_SEPARATORS = '/／';
const ANSWER_ESCAPABLE = BLANK_SEPARATORS + ALTERNATIVE_SEPARATORS;
/** 评分要点: one point per line, "要点 | 权重 | 关键词1/关键词2". */
const RUBRIC_FIELD_SEPARATORS = '|｜';
const KEYWORD_SEPARATORS = '/／、';
const RUBRIC_ESCAPABLE = RUBRIC_FIELD_SEPARATORS + KEYWORD_SEPARATORS;

// ---------------------------------------------------------------------------------------------
// Reading

type CellText = { text: string } | { problem: string };

function cellText(value: ExcelJS.CellValue): CellText {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: restoreFormula(value.replace(/\r\n?/g, '\n')).trim() };
  if (typeof value === 'number') return { text: String(value) };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return { problem: 'must be text, not a date' };
  if ('formula' in value || 'sharedFormula' in value) return { problem: 'formula cells are not allowed' };
  if ('error' in value) return { problem: `the cell holds an error value (${value.error})` };
  if ('richText' in value) return cellText(value.richText.map((r) => r.text).join(''));
  if ('hyperlink' in value) {
    const text: unknown = value.text;
    if (text && typeof text === 'object' && 'richText' in text) return cellText(text as ExcelJS.CellRichTextValue);
    return { text: typeof text === 'string' ? text.trim() : String(value.hyperlink).trim() };
  }
  return { problem: 'the cell content is not supported' };
}

/** Header text as people write it: "题干", " 题干 ", "题干*", "题干（必填）", "选项a". */
const headerName = (text: string) => text.replace(/\s+/g, '').replace(/(\*|（必填）|\(必填\))$/, '').toUpperCase();

/** Where a content problem shows in the sheet. */
export function columnOf(path: string): QuestionXlsxColumn | undefined {
  const [head, second] = path.split('.');
  if (head === 'options') return second !== undefined && OPTION_COLUMNS[Number(second)] ? OPTION_COLUMNS[Number(second)] : '选项A';
  const map: Record<string, QuestionXlsxColumn> = {
    type: '题型',
    stem: '题干',
    correct: '答案',
    blanks: '答案',
    referenceAnswer: '答案',
    rubric: '评分要点',
    explanation: '解析',
    difficulty: '难度',
    knowledgePoints: '知识点',
    tags: '标签',
    source: '出处',
    ordered: '填空顺序',
  };
  return head === undefined ? undefined : map[head];
}

type Cells = (column: QuestionXlsxColumn) => string | null;

function readRubric(text: string, fail: (message: string) => void): { point: string; weight: number; keywords: string[] }[] {
  const out: { point: string; weight: number; keywords: string[] }[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const [point = '', weight, keywords] = splitRaw(line, RUBRIC_FIELD_SEPARATORS);
    const w = weight === undefined ? 1 : Number(weight.trim());
    if (!Number.isFinite(w) || w <= 0 || w > 100) return fail(`line ${i + 1}: the weight must be a number greater than 0 and at most 100`);
    out.push({
      point: unescapeList(point, RUBRIC_ESCAPABLE, true).trim(),
      weight: w,
      keywords: keywords === undefined ? [] : splitRaw(keywords, KEYWORD_SEPARATORS).map((k) => unescapeList(k, RUBRIC_ESCAPABLE, true).trim()).filter(Boolean),
    });
  });
  return out;
}

function rowItem(row: number, cells: Cells): ParsedItem {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const item: ParsedItem = { ref: { row }, content: null, errors, warnings };
  const fail = (column: QuestionXlsxColumn, message: string) => errors.push({ column, message });
  const text = (column: QuestionXlsxColumn) => cells(column) ?? '';

  const typeText = text('题型');
  const type = TYPE_BY_LABEL.get(typeText.toLowerCase());
  if (!type) {
    fail('题型', typeText ? `"${typeText}" is not a question type: write 单选, 多选, 判断, 填空 or 简答` : 'is required');
    return item;
  }
  const stem = text('题干');
  if (!stem) fail('题干', 'is required');
  const answer = text('答案');
  if (!answer) fail('答案', 'is required');

  const content: Record<string, unknown> = { type, stem, explanation: text('解析'), knowledgePoints: splitLabels(text('知识点')), tags: splitLabels(text('标签')) };

  const difficulty = text('难度');
  if (difficulty) {
    const d = Number(difficulty);
    if (!Number.isInteger(d) || d < 1 || d > 5) fail('难度', 'must be a whole number from 1 to 5');
    else content.difficulty = d;
  }
  const points = text('分值');
  if (points) {
    const p = Number(points);
    if (!Number.isFinite(p) || p <= 0 || p > 1000) fail('分值', 'must be a number greater than 0 and at most 1000');
    else item.defaultPoints = p;
  }
  const source = text('出处');
  if (source) {
    try {
      content.source = JSON.parse(source) as unknown;
    } catch {
      fail('出处', 'must be the JSON the export writes: {"materialId":"…","chunkId":"…","quote":"…"}');
    }
  }

  const optionTexts = OPTION_COLUMNS.map(text);
  const lastOption = optionTexts.reduce((last, t, i) => (t ? i : last), -1);
  if (type === 'single' || type === 'multiple') {
    const options = optionTexts.slice(0, lastOption + 1);
    const gap = options.findIndex((t) => !t);
    if (gap >= 0) fail(OPTION_COLUMNS[gap]!, 'is empty but a later option is given');
    if (options.length < 2) fail('选项A', 'give at least two options (选项A, 选项B, …)');
    content.options = options.map((t, i) => ({ key: OPTION_KEYS[i]!, text: t }));
    if (answer) {
      const letters = [...new Set(answer.toUpperCase().replace(/[\s,，、;；]/g, ''))];
      const keys = OPTION_KEYS.slice(0, options.length);
      if (!letters.every((l) => /^[A-H]$/.test(l))) fail('答案', 'write the letters of the right options, e.g. A or ABD');
      else if (letters.some((l) => !keys.includes(l as (typeof keys)[number]))) {
        fail('答案', `${letters.filter((l) => !keys.includes(l as (typeof keys)[number])).join('')} is not one of the options (${keys[0]}–${keys[keys.length - 1] ?? keys[0]})`);
      } else if (type === 'single' && letters.length !== 1) fail('答案', 'a single-choice question has exactly one right option');
      else content.correct = letters.sort();
    }
  } else if (lastOption >= 0) {
    warnings.push({ column: '选项A', message: `options are ignored for ${QUESTION_TYPE_LABELS_ZH[type]} questions` });
  }

  switch (type) {
    case 'true_false': {
      const word = answer.toLowerCase();
      if (TRUE_WORDS.has(word)) content.correct = true;
      else if (FALSE_WORDS.has(word)) content.correct = false;
      else if (answer) fail('答案', 'write 对 or 错');
      break;
    }
    case 'fill_blank': {
      const blanks = splitRaw(answer, BLANK_SEPARATORS).map((piece) => splitList(piece, ALTERNATIVE_SEPARATORS, ANSWER_ESCAPABLE));
      blanks.forEach((accepted, i) => {
        if (answer && accepted.length === 0) fail('答案', `blank ${i + 1} has no answer`);
      });
      content.blanks = blanks.map((accepted) => ({ accepted }));
      const order = text('填空顺序');
      if (order) {
        if (order in ORDERED) content.ordered = ORDERED[order];
        else fail('填空顺序', 'write 有序 or 无序');
      }
      break;
    }
    case 'short_answer': {
      content.referenceAnswer = answer;
      const rubric = text('评分要点');
      if (rubric) content.rubric = readRubric(rubric, (m) => fail('评分要点', m));
      else if (answer) {
        content.rubric = defaultRubric(answer);
        warnings.push({ column: '评分要点', message: DEFAULT_RUBRIC_WARNING });
      }
      break;
    }
    default:
      break;
  }
  if (errors.length === 0) item.content = content;
  return item;
}

export async function readQuestionsXlsx(file: Buffer): Promise<ParsedFile> {
  assertSafeZip(file, MAX_UNPACKED_BYTES, (problem) =>
    unreadable(problem === 'too-large' ? 'The workbook is too large when unpacked.' : problem === 'zip64' ? 'ZIP64 workbooks are not supported; save the file again from Excel or WPS.' : 'The file is not a readable .xlsx workbook.'),
  );
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(file as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw unreadable('The file is not a readable .xlsx workbook.');
  }
  const ws = wb.getWorksheet(SHEET) ?? wb.worksheets[0];
  if (!ws) throw unreadable('The workbook has no worksheet.');

  const fileErrors: QuestionImportError[] = [];
  const fileWarnings: QuestionImportError[] = [];
  const columns = new Map<QuestionXlsxColumn, number>();
  ws.getRow(1).eachCell((cell, col) => {
    const c = cellText(cell.value);
    const name = 'text' in c ? headerName(c.text) : '';
    if (!name) return;
    if (!(QUESTION_XLSX_COLUMNS as readonly string[]).includes(name)) {
      fileWarnings.push({ row: 1, column: name, message: 'unknown column: ignored' });
      return;
    }
    if (columns.has(name as QuestionXlsxColumn)) fileErrors.push({ row: 1, column: name, message: 'the column appears twice in the header row' });
    else columns.set(name as QuestionXlsxColumn, col);
  });
  for (const name of REQUIRED) {
    if (!columns.has(name)) fileErrors.push({ row: 1, column: name, message: 'the column is missing from the header row' });
  }

  const rows: { row: number; cells: Map<QuestionXlsxColumn, CellText> }[] = [];
  ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1 || rows.length > QUESTION_IMPORT_MAX_ROWS) return;
    const cells = new Map<QuestionXlsxColumn, CellText>();
    for (const [name, col] of columns) cells.set(name, cellText(row.getCell(col).value));
    if ([...cells.values()].some((c) => !('text' in c) || c.text !== '')) rows.push({ row: rowNumber, cells });
  });
  assertQuestionCount(rows.length);
  if (fileErrors.length) return { items: [], fileErrors, fileWarnings };

  const items = rows.map(({ row, cells }) => {
    const problems: Issue[] = [];
    const item = rowItem(row, (column) => {
      const c = cells.get(column);
      if (!c) return null;
      if ('problem' in c) {
        problems.push({ column, message: c.problem });
        return null;
      }
      return c.text;
    });
    if (problems.length) {
      // A cell that could not be read at all explains the row; drop the follow-on "is required" noise.
      item.errors = [...problems, ...item.errors.filter((e) => !problems.some((p) => p.column === e.column))];
      item.content = null;
    }
    return item;
  });
  return { items, fileErrors, fileWarnings };
}

// ---------------------------------------------------------------------------------------------
// Writing

function answerCell(c: QuestionContent): string {
  switch (c.type) {
    case 'single':
    case 'multiple':
      return c.correct.join('');
    case 'true_false':
      return c.correct ? '对' : '错';
    case 'fill_blank':
      return c.blanks.map((b) => b.accepted.map((a) => escapeList(a, ANSWER_ESCAPABLE)).join('/')).join('|');
    case 'short_answer':
      return displayText(c.referenceAnswer);
  }
}

const rubricCell = (c: QuestionContent) =>
  c.type !== 'short_answer'
    ? ''
    : c.rubric
        .map((r) => {
          const point = escapeList(r.point, RUBRIC_ESCAPABLE, true);
          const keywords = r.keywords.map((k) => escapeList(k, RUBRIC_ESCAPABLE, true)).join('/');
          return keywords ? `${point} | ${r.weight} | ${keywords}` : `${point} | ${r.weight}`;
        })
        .join('\n');

/** One question as a sheet row, in QUESTION_XLSX_COLUMNS order; text cells formula-neutralised. */
export function questionRow(content: QuestionContent, points: number): (string | number)[] {
  const options = 'options' in content ? content.options : [];
  const values: Record<QuestionXlsxColumn, string | number> = {
    题型: QUESTION_TYPE_LABELS_ZH[content.type],
    题干: displayText(content.stem),
    ...Object.fromEntries(OPTION_COLUMNS.map((col, i) => [col, options[i] ? displayText(options[i].text) : ''])),
    答案: answerCell(content),
    解析: displayText(content.explanation),
    分值: points,
    难度: content.difficulty,
    知识点: joinLabels(content.knowledgePoints),
    标签: joinLabels(content.tags),
    评分要点: rubricCell(content),
    填空顺序: content.type === 'fill_blank' ? (content.ordered ? '有序' : '无序') : '',
    出处: content.source ? JSON.stringify(content.source) : '',
  } as Record<QuestionXlsxColumn, string | number>;
  return QUESTION_XLSX_COLUMNS.map((col) => {
    const v = values[col];
    return typeof v === 'string' ? neutraliseFormula(v) : v;
  });
}

const WIDTHS: Partial<Record<QuestionXlsxColumn, number>> = { 题型: 8, 题干: 50, 答案: 24, 解析: 40, 分值: 8, 难度: 8, 知识点: 20, 标签: 16, 评分要点: 40, 填空顺序: 10, 出处: 30 };

function questionSheet(wb: ExcelJS.Workbook): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  // Text format everywhere but 分值 and 难度, so Excel does not turn "1/2" into a date while typing.
  ws.columns = QUESTION_XLSX_COLUMNS.map((name) => ({ header: name, key: name, width: WIDTHS[name] ?? 16, style: name === '分值' || name === '难度' ? {} : { numFmt: '@' } }));
  styleHeader(ws.getRow(1));
  return ws;
}

export async function writeQuestionsXlsx(questions: { content: QuestionContent; points: number }[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '考培练';
  const ws = questionSheet(wb);
  for (const q of questions) ws.addRow(questionRow(q.content, q.points)).alignment = { wrapText: true, vertical: 'top' };
  helpSheet(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const HELP: [string, string, string][] = [
  ['题型', '必填', '单选、多选、判断、填空、简答（也可写 单选题、单项选择 等）。'],
  ['题干', '必填', '题目文字，可包含简单的 HTML（加粗、列表、表格、代码、图片）；脚本等不安全内容会被删除。填空题用 ____（至少三个下划线）或（）标出每个空，空的个数必须与答案一致。'],
  ['选项A–选项H', '选择题必填', '单选、多选题至少两个选项，从选项A开始连续填写，最多 8 个。其他题型不填。'],
  ['答案', '必填', '单选：一个字母，如 A；多选：几个字母，如 ABD；判断：对 或 错；填空：各空之间用 | 分隔，一个空的多个可接受答案用 / 分隔，如 2021|个人信息/个人资料（答案本身含 | 或 / 时写作 \\| 或 \\/）；简答：参考答案。'],
  ['解析', '选填', '答题后展示给学员的解析。'],
  ['分值', '选填', '建议分值（大于 0，最多两位小数）；不填时单选 2、多选 3、判断 1、填空 2、简答 10 分。'],
  ['难度', '选填', '1（最易）到 5（最难）的整数，不填为 3。'],
  ['知识点', '选填', '多个知识点用 , ， 、 ; 或 ； 分隔。'],
  ['标签', '选填', '多个标签用 , ， 、 ; 或 ； 分隔，每个最多 32 个字符。'],
  ['评分要点', '简答题选填', '每行一个要点，格式：要点 | 权重 | 关键词1/关键词2，如：告知处理目的 | 40 | 处理目的/告知。不填时以参考答案为唯一要点。'],
  ['填空顺序', '填空题选填', '有序（默认，答案须按空的顺序填写）或 无序（如“列举三项……”，顺序不限）。'],
  ['出处', '选填', '导出时写出的资料出处（JSON），导入时会核对引文确实出自该资料片段；手工填写时可留空。'],
];

function helpSheet(wb: ExcelJS.Workbook): void {
  const notes = [
    '第 1 行是表头，请勿修改；空行会被跳过。模板中的示例行导入前请删除或改写。',
    `一次最多导入 ${QUESTION_IMPORT_MAX_ROWS.toLocaleString('en')} 题，文件不超过 10 MB。不允许使用公式。`,
    '题库中已有完全相同内容的题目（以及文件中重复的题目）会被跳过并在结果中列出。',
    '建议先“检查”（试运行），确认没有错误后再正式导入；有任何错误时不会导入任何题目。',
  ];
  addHelpSheet(wb, HELP, notes, [14, 12, 100]);
}

/** Example questions of the template: one per type, on the sample course 《个人信息保护法》. */
export const TEMPLATE_EXAMPLES: { content: QuestionContent; points: number }[] = [
  {
    points: 2,
    content: {
      type: 'single',
      stem: '根据《个人信息保护法》，处理个人信息应当具有明确、合理的目的，并应当与处理目的（  ）。',
      options: [
        { key: 'A', text: '间接相关' },
        { key: 'B', text: '直接相关' },
        { key: 'C', text: '基本无关' },
        { key: 'D', text: '由处理者自行决定' },
      ],
      correct: ['B'],
      explanation: '第六条：处理个人信息应当具有明确、合理的目的，并应当与处理目的直接相关，采取对个人权益影响最小的方式。',
      difficulty: 2,
      knowledgePoints: ['目的限制原则'],
      tags: ['总则'],
      source: null,
    },
  },
  {
    points: 3,
    content: {
      type: 'multiple',
      stem: '处理个人信息应当遵循的原则包括哪些？',
      options: [
        { key: 'A', text: '合法' },
        { key: 'B', text: '正当' },
        { key: 'C', text: '必要' },
        { key: 'D', text: '效率优先' },
      ],
      correct: ['A', 'B', 'C'],
      explanation: '第五条：处理个人信息应当遵循合法、正当、必要和诚信原则。',
      difficulty: 2,
      knowledgePoints: ['处理原则'],
      tags: ['总则'],
      source: null,
    },
  },
  {
    points: 1,
    content: {
      type: 'true_false',
      stem: '个人撤回同意后，撤回前基于个人同意已进行的个人信息处理活动的效力也随之失效。',
      correct: false,
      explanation: '第十五条：个人撤回同意，不影响撤回前基于个人同意已进行的个人信息处理活动的效力。',
      difficulty: 3,
      knowledgePoints: ['撤回同意'],
      tags: ['个人同意'],
      source: null,
    },
  },
  {
    points: 2,
    content: {
      type: 'fill_blank',
      stem: '处理敏感个人信息应当取得个人的____同意；处理不满____周岁未成年人个人信息的，应当取得其父母或者其他监护人的同意。',
      blanks: [{ accepted: ['单独'] }, { accepted: ['十四', '14'] }],
      ordered: true,
      explanation: '第二十九条、第三十一条。',
      difficulty: 3,
      knowledgePoints: ['敏感个人信息'],
      tags: ['敏感个人信息'],
      source: null,
    },
  },
  {
    points: 10,
    content: {
      type: 'short_answer',
      stem: '个人信息处理者在处理个人信息前，应当向个人告知哪些事项？请至少答出三项。',
      referenceAnswer: '个人信息处理者的名称或者姓名和联系方式；个人信息的处理目的、处理方式，处理的个人信息种类、保存期限；个人行使本法规定权利的方式和程序；法律、行政法规规定应当告知的其他事项。',
      rubric: [
        { point: '处理者的名称或者姓名和联系方式', weight: 30, keywords: ['名称', '联系方式'] },
        { point: '处理目的、处理方式、个人信息种类和保存期限', weight: 40, keywords: ['处理目的', '处理方式', '保存期限'] },
        { point: '个人行使权利的方式和程序', weight: 30, keywords: ['行使权利', '程序'] },
      ],
      explanation: '第十七条。',
      difficulty: 4,
      knowledgePoints: ['告知义务'],
      tags: ['告知同意'],
      source: null,
    },
  },
];

/** The import template: sheet 题目 (header and one grey example row per type) and sheet 说明. */
export async function questionTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '考培练';
  const ws = questionSheet(wb);
  for (const q of TEMPLATE_EXAMPLES) {
    const row = ws.addRow(questionRow(q.content, q.points));
    row.font = { color: { argb: 'FF808080' }, italic: true };
    row.alignment = { wrapText: true, vertical: 'top' };
  }
  ws.getCell('A2').note = '示例行：导入前请删除或改写';
  helpSheet(wb);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
