import { OPTION_KEYS, type QuestionContent } from '@kpl/shared';
import { BLANK } from './content.js';
import {
  assertQuestionCount,
  categoryLeaf,
  categoryTag,
  DEFAULT_RUBRIC_WARNING,
  defaultRubric,
  escapeHtmlText,
  type Issue,
  type ParsedFile,
  type ParsedItem,
} from './import.types.js';

/**
 * Moodle's GIFT text format. Supported: multiple choice `{=a ~b}`, multiple answers with weights
 * `{~%50%a ~%50%b ~%-100%c}`, true/false `{T}` `{F}`, short answer `{=a =b}` (→ fill-in-the-blank;
 * several such blocks → several blanks), essay `{}` (→ short answer, reference answer from the
 * general feedback `####…`), `::title::`, `[html]`-style format markers, `//` comments, `$CATEGORY:`
 * (→ a tag) and the escapes \~ \= \# \{ \} \: \\ \n. Matching, numerical and description questions
 * are reported as unsupported, one error per question.
 *
 * What GIFT cannot say (difficulty, knowledge points, tags, points, rubric, blank order, source, a
 * short answer's explanation) travels in a `// kpl: {json}` comment before the question, which
 * Moodle ignores and this importer reads back.
 */

export const GIFT_META_PREFIX = '// kpl: ';
const SPECIAL = '~=#{}:';

// ---------------------------------------------------------------------------------------------
// Escapes

export function giftUnescape(text: string): string {
  return text.replace(/\\(.)/gs, (whole, ch: string) => (ch === 'n' ? '\n' : ch === '\\' || SPECIAL.includes(ch) ? ch : whole));
}

export function giftEscape(text: string): string {
  let out = '';
  for (const ch of text) out += ch === '\\' || SPECIAL.includes(ch) ? `\\${ch}` : ch === '\n' ? '\\n' : ch;
  return out;
}

/** Index of the first unescaped occurrence of `needle` at or after `from`, or -1. */
function findUnescaped(text: string, needle: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
      continue;
    }
    if (text.startsWith(needle, i)) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Splitting the file into questions

interface RawQuestion {
  text: string;
  line: number;
  meta: { json: string; line: number } | null;
  category: string | null;
}

function splitQuestions(source: string): RawQuestion[] {
  const lines = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const out: RawQuestion[] = [];
  let block: string[] = [];
  let start = 0;
  let meta: RawQuestion['meta'] = null;
  let category: string | null = null;
  const flush = () => {
    if (block.length) out.push({ text: block.join('\n'), line: start, meta, category });
    if (block.length) meta = null;
    block = [];
  };
  lines.forEach((line, i) => {
    const trimmed = line.trim();
    if (trimmed.startsWith('//')) {
      if (line.trimStart().startsWith(GIFT_META_PREFIX.trimEnd())) meta = { json: line.trimStart().slice(GIFT_META_PREFIX.trimEnd().length).trim(), line: i + 1 };
      return;
    }
    if (trimmed === '') return flush();
    if (block.length === 0 && trimmed.startsWith('$CATEGORY:')) {
      category = trimmed.slice('$CATEGORY:'.length).trim();
      return;
    }
    if (block.length === 0) start = i + 1;
    block.push(line);
  });
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------
// One question

interface Answer {
  correct: boolean;
  weight: number | null;
  text: string;
  feedback: string;
}

interface Block {
  start: number;
  end: number;
  raw: string;
}

type BlockKind = 'essay' | 'truefalse' | 'multichoice' | 'shortanswer' | 'numerical' | 'matching' | 'unknown';

function findBlocks(text: string): { blocks: Block[]; problem: string | null } {
  const blocks: Block[] = [];
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '{') {
      if (open >= 0) return { blocks, problem: 'a "{" opens inside another answer block' };
      open = i;
    } else if (ch === '}') {
      if (open < 0) return { blocks, problem: 'a "}" closes no answer block (escape it as \\})' };
      blocks.push({ start: open, end: i + 1, raw: text.slice(open + 1, i) });
      open = -1;
    }
  }
  if (open >= 0) return { blocks, problem: 'an answer block "{" is never closed' };
  return { blocks, problem: null };
}

/** Splits off the general feedback (`####…`) of a block. */
function generalFeedback(raw: string): { answers: string; feedback: string } {
  const at = findUnescaped(raw, '####');
  return at < 0 ? { answers: raw.trim(), feedback: '' } : { answers: raw.slice(0, at).trim(), feedback: giftUnescape(raw.slice(at + 4)).trim() };
}

function kindOf(answers: string): BlockKind {
  if (answers === '') return 'essay';
  if (/^(T|TRUE|F|FALSE)\s*(#|$)/i.test(answers)) return 'truefalse';
  if (answers.startsWith('#')) return 'numerical';
  if (findUnescaped(answers, '->') >= 0) return 'matching';
  if (findUnescaped(answers, '~') >= 0) return 'multichoice';
  if (answers.startsWith('=')) return 'shortanswer';
  return 'unknown';
}

/** `=a#fb ~%50%b ~c` → answers; text and feedback unescaped. */
function answersOf(raw: string): Answer[] {
  const out: Answer[] = [];
  let i = 0;
  const starts: number[] = [];
  for (; i < raw.length; i++) {
    if (raw[i] === '\\') {
      i++;
      continue;
    }
    if (raw[i] === '=' || raw[i] === '~') starts.push(i);
  }
  starts.forEach((s, n) => {
    const piece = raw.slice(s + 1, starts[n + 1] ?? raw.length);
    const weighted = /^\s*%(-?\d+(?:\.\d+)?)%/.exec(piece);
    const body = weighted ? piece.slice(weighted[0].length) : piece;
    const hash = findUnescaped(body, '#');
    out.push({
      correct: raw[s] === '=',
      weight: weighted ? Number(weighted[1]) : null,
      text: giftUnescape(hash < 0 ? body : body.slice(0, hash)).trim(),
      feedback: hash < 0 ? '' : giftUnescape(body.slice(hash + 1)).trim(),
    });
  });
  return out;
}

const FORMAT = /^\s*\[(html|moodle|plain|markdown)\]/i;
interface Meta {
  difficulty?: unknown;
  knowledgePoints?: unknown;
  tags?: unknown;
  points?: unknown;
  rubric?: unknown;
  ordered?: unknown;
  source?: unknown;
  explanation?: unknown;
}

function parseQuestion(q: RawQuestion, index: number): ParsedItem {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const item: ParsedItem = { ref: { index }, content: null, errors, warnings };
  const fail = (message: string) => {
    errors.push({ message: `line ${q.line}: ${message}` });
    return item;
  };

  let text = q.text.trim();
  if (text.startsWith('::')) {
    const end = findUnescaped(text, '::', 2);
    if (end < 0) return fail('the title "::…" is never closed with "::"');
    item.ref.name = giftUnescape(text.slice(2, end)).trim() || undefined;
    text = text.slice(end + 2);
  }
  let plain = false;
  const format = FORMAT.exec(text);
  if (format) {
    plain = ['plain', 'markdown'].includes(format[1]!.toLowerCase());
    text = text.slice(format[0].length);
  }
  const asHtml = (s: string) => (plain ? escapeHtmlText(s) : s);

  const { blocks, problem } = findBlocks(text);
  if (problem) return fail(problem);
  if (blocks.length === 0) return fail('a question without an answer block {…} (a description) is not supported');

  let meta: Meta = {};
  if (q.meta) {
    try {
      const parsed: unknown = JSON.parse(q.meta.json);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      meta = parsed as Meta;
    } catch {
      return fail(`the "${GIFT_META_PREFIX.trim()}" comment on line ${q.meta.line} is not a JSON object`);
    }
  }

  const parts = blocks.map((b) => ({ ...b, ...generalFeedback(b.raw) }));
  const kinds = parts.map((p) => kindOf(p.answers));
  for (const k of kinds) {
    if (k === 'numerical') return fail('numerical questions {#…} are not supported');
    if (k === 'matching') return fail('matching questions {=a -> b} are not supported');
    if (k === 'unknown') return fail('the answer block is not understood: start answers with = (right) or ~ (wrong)');
  }
  if (parts.length > 1 && kinds.some((k) => k !== 'shortanswer')) return fail('only fill-in answer blocks {=…} may appear several times in one question');

  const feedback = parts.map((p) => p.feedback).filter(Boolean).join('\n');
  const kind = kinds[0]!;
  // Choice and true/false blocks at the end of the text are not part of the stem; anywhere else they mark a blank.
  let stem = '';
  let last = 0;
  for (const b of blocks) {
    stem += giftUnescape(text.slice(last, b.start));
    const atEnd = text.slice(b.end).trim() === '';
    if (kind === 'shortanswer' || !atEnd) stem += BLANK;
    last = b.end;
  }
  stem = asHtml((stem + giftUnescape(text.slice(last))).trim());

  const content: Record<string, unknown> = {
    stem,
    explanation: typeof meta.explanation === 'string' ? meta.explanation : kind === 'essay' ? '' : asHtml(feedback),
    ...(meta.difficulty !== undefined && { difficulty: meta.difficulty }),
    ...(meta.knowledgePoints !== undefined && { knowledgePoints: meta.knowledgePoints }),
    ...(meta.source !== undefined && { source: meta.source }),
  };
  const tags = Array.isArray(meta.tags) ? [...(meta.tags as unknown[])] : [];
  const category = q.category && categoryLeaf(q.category);
  if (category) tags.push(categoryTag(category, warnings));
  if (tags.length) content.tags = tags;
  if (meta.points !== undefined) item.defaultPoints = typeof meta.points === 'number' ? meta.points : NaN;

  const answers = parts.map((p) => answersOf(p.answers));
  const noteFeedback = () => {
    if (answers.flat().some((a) => a.feedback)) warnings.push({ message: 'answer feedback (#…) is not kept' });
  };

  switch (kind) {
    case 'essay': {
      if (!feedback) return fail('an essay question {} needs its reference answer in the general feedback: {####…}');
      content.type = 'short_answer';
      content.referenceAnswer = asHtml(feedback);
      if (meta.rubric !== undefined) content.rubric = meta.rubric;
      else {
        content.rubric = defaultRubric(asHtml(feedback));
        warnings.push({ message: DEFAULT_RUBRIC_WARNING });
      }
      break;
    }
    case 'truefalse': {
      const value = /^\s*(T|TRUE|F|FALSE)/i.exec(parts[0]!.answers)![1]!.toUpperCase();
      content.type = 'true_false';
      content.correct = value.startsWith('T');
      if (/#/.test(parts[0]!.answers.replace(/^\s*\w+/, ''))) warnings.push({ message: 'answer feedback (#…) is not kept' });
      break;
    }
    case 'multichoice': {
      const list = answers[0]!;
      if (list.length > OPTION_KEYS.length) return fail(`at most ${OPTION_KEYS.length} options are supported (found ${list.length})`);
      const options = list.map((a, i) => ({ key: OPTION_KEYS[i]!, text: asHtml(a.text) }));
      const marked = list.filter((a) => a.correct).length;
      if (marked > 1) return fail('several answers are marked "=": for several right answers use weights such as ~%50%');
      if (marked === 1) {
        content.type = 'single';
        content.correct = [OPTION_KEYS[list.findIndex((a) => a.correct)]!];
        if (list.some((a) => !a.correct && (a.weight ?? 0) > 0)) warnings.push({ message: 'partial credit of wrong options is not kept' });
      } else {
        content.type = 'multiple';
        content.correct = list.flatMap((a, i) => ((a.weight ?? 0) > 0 ? [OPTION_KEYS[i]!] : []));
        if ((content.correct as string[]).length === 0) return fail('no answer is right: mark one with "=" or give right answers a positive weight ~%50%');
      }
      content.options = options;
      noteFeedback();
      break;
    }
    case 'shortanswer': {
      const blanks = answers.map((list) => list.filter((a) => a.weight === null || a.weight === 100).map((a) => a.text));
      if (answers.flat().some((a) => a.weight !== null && a.weight !== 100)) warnings.push({ message: 'answers with partial credit (%…%) are not kept' });
      const empty = blanks.findIndex((b) => b.length === 0);
      if (empty >= 0) return fail(`blank ${empty + 1} has no fully right answer`);
      content.type = 'fill_blank';
      content.blanks = blanks.map((accepted) => ({ accepted }));
      if (meta.ordered !== undefined) content.ordered = meta.ordered;
      noteFeedback();
      break;
    }
  }
  item.content = content;
  return item;
}

export function parseGift(source: string): ParsedFile {
  const raw = splitQuestions(source);
  assertQuestionCount(raw.length);
  return { items: raw.map((q, i) => parseQuestion(q, i + 1)), fileErrors: [], fileWarnings: [] };
}

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * An answer after its = or ~ marker. A text that itself starts with "%" gets an explicit weight
 * first, so "%50%的用户" is not read back as a 50% weight.
 */
const answer = (marker: '=' | '~', text: string, weightIfNeeded: string) =>
  `${marker}${/^%/.test(text) ? `%${weightIfNeeded}%` : ''}${giftEscape(text)}`;
const weight = (n: number) => Number((100 / n).toFixed(5)).toString();

/** One question as GIFT: the `// kpl:` metadata line, then the question on one line. */
export function giftQuestion(content: QuestionContent, points: number): string {
  const meta: Record<string, unknown> = { difficulty: content.difficulty, knowledgePoints: content.knowledgePoints, tags: content.tags, points };
  if (content.source) meta.source = content.source;
  const feedback = (text: string) => (text ? ` ####${giftEscape(text)}` : '');
  let body: string;
  switch (content.type) {
    case 'single':
      body = `${giftEscape(content.stem)} {${content.options.map((o) => ` ${content.correct.includes(o.key) ? answer('=', o.text, '100') : answer('~', o.text, '0')}`).join('')}${feedback(content.explanation)} }`;
      break;
    case 'multiple': {
      const w = weight(content.correct.length);
      body = `${giftEscape(content.stem)} {${content.options.map((o) => ` ~%${content.correct.includes(o.key) ? w : '-100'}%${giftEscape(o.text)}`).join('')}${feedback(content.explanation)} }`;
      break;
    }
    case 'true_false':
      body = `${giftEscape(content.stem)} {${content.correct ? 'T' : 'F'}${feedback(content.explanation)}}`;
      break;
    case 'fill_blank': {
      meta.ordered = content.ordered;
      const pieces = content.stem.split(BLANK);
      body = pieces
        .map((piece, i) => {
          if (i === pieces.length - 1) return giftEscape(piece);
          const block = content.blanks[i]!.accepted.map((a) => answer('=', a, '100')).join(' ');
          return `${giftEscape(piece)}{${block}${i === content.blanks.length - 1 ? feedback(content.explanation) : ''}}`;
        })
        .join('');
      break;
    }
    case 'short_answer':
      meta.rubric = content.rubric;
      meta.explanation = content.explanation;
      body = `${giftEscape(content.stem)} {${feedback(content.referenceAnswer)}}`;
      break;
  }
  return `${GIFT_META_PREFIX}${JSON.stringify(meta)}\n[html]${body}`;
}

export function writeGift(questions: { content: QuestionContent; points: number }[], title: string): string {
  const header = [
    `// ${title}`,
    '// 由考培练导出的 GIFT 文件。每题前的 "// kpl:" 注释保存 GIFT 无法表达的信息（难度、知识点、标签、分值、',
    '// 简答题评分要点与解析、填空顺序、出处），Moodle 会忽略它，考培练导入时会读回。',
  ].join('\n');
  return `${header}\n\n${questions.map((q) => giftQuestion(q.content, q.points)).join('\n\n')}\n`;
}
