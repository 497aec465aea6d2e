import { OPTION_KEYS } from '@kpl/shared';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BLANK } from './content.js';
import {
  assertQuestionCount,
  categoryLeaf,
  categoryTag,
  DEFAULT_RUBRIC_WARNING,
  defaultRubric,
  escapeHtmlText,
  unreadable,
  type Issue,
  type ParsedFile,
  type ParsedItem,
} from './import.types.js';

/**
 * Moodle XML. Supported: multichoice (single and multiple answers), truefalse, shortanswer
 * (→ fill-in-the-blank), multianswer / Cloze with SHORTANSWER subquestions (→ fill-in-the-blank, one
 * blank each), essay (grader information → reference answer) and category (→ a tag). Any other type,
 * and Cloze subquestions other than short answers, are reported per question.
 *
 * XXE-safe: a DOCTYPE (and so any entity declaration) is refused before parsing, and the parser
 * expands no entities; the five XML entities and character references are decoded here.
 */

type XNode = Record<string, unknown>;

const XML_ENTITY = /&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(XML_ENTITY, (whole, e: string) => {
    if (e[0] !== '#') return NAMED[e.toLowerCase()] ?? whole;
    const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

const isNode = (v: unknown): v is XNode => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** The text of an element: its decoded text plus its CDATA (kept as is). */
function textOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return decodeEntities(v);
  if (Array.isArray(v)) return v.map(textOf).join('');
  if (!isNode(v)) return String(v);
  const cdata = list(v['#cdata']).map(String).join('');
  return decodeEntities(typeof v['#text'] === 'string' ? v['#text'] : '') + cdata;
}

/** `<x format="…"><text>…</text></x>` as HTML: plain text and Markdown are shown as typed. */
function richOf(v: unknown): string {
  if (!isNode(v)) return '';
  const text = textOf(v.text).trim();
  const format = typeof v['@_format'] === 'string' ? v['@_format'] : 'html';
  return format === 'plain_text' || format === 'markdown' ? escapeHtmlText(text) : text;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  isArray: (name) => name === 'question' || name === 'answer' || name === 'tag',
});

const SUPPORTED = ['multichoice', 'truefalse', 'shortanswer', 'multianswer', 'essay'];
/** Cloze subquestion types that are short answers (case-sensitive or not). */
const CLOZE_SHORT = new Set(['SHORTANSWER', 'SA', 'MW', 'SHORTANSWER_C', 'SAC', 'MWC']);
const CLOZE = /\{(\d*):([A-Za-z_]+):((?:\\.|[^\\}])*)\}/g;

interface XmlAnswer {
  fraction: number;
  text: string;
  feedback: string;
}

function answersOf(q: XNode): XmlAnswer[] {
  return list(q.answer)
    .filter(isNode)
    .map((a) => {
      const format = typeof a['@_format'] === 'string' ? a['@_format'] : 'html';
      const text = textOf(a.text).trim();
      return {
        fraction: Number(a['@_fraction'] ?? 0),
        text: format === 'plain_text' || format === 'markdown' ? escapeHtmlText(text) : text,
        feedback: isNode(a.feedback) ? textOf(a.feedback.text).trim() : '',
      };
    });
}

/** A short-answer stem gets its blank: before a closing </p>, or at the end. */
function withBlank(stem: string): string {
  if (/_{3,}|（\s*）/.test(stem)) return stem;
  return /<\/p>\s*$/i.test(stem) ? stem.replace(/<\/p>\s*$/i, `${BLANK}</p>`) : `${stem}${BLANK}`;
}

const clozeUnescape = (s: string) => s.replace(/\\([}~#/"\\])/g, '$1');

function clozeAnswers(raw: string): { text: string; fraction: number; feedback: string }[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '\\' && i + 1 < raw.length) {
      current += raw[i]! + raw[i + 1];
      i++;
    } else if (raw[i] === '~') {
      parts.push(current);
      current = '';
    } else current += raw[i];
  }
  parts.push(current);
  return parts
    .filter((p) => p.trim())
    .map((p) => {
      const m = /^\s*(=|%(-?\d+(?:\.\d+)?)%)?(.*)$/s.exec(p)!;
      const fraction = m[1] === '=' ? 100 : m[2] !== undefined ? Number(m[2]) : 0;
      const body = m[3]!;
      const hash = body.search(/(?<!\\)#/);
      return { fraction, text: clozeUnescape(hash < 0 ? body : body.slice(0, hash)).trim(), feedback: hash < 0 ? '' : body.slice(hash + 1).trim() };
    });
}

function parseQuestion(q: XNode, type: string, index: number, category: string | null): ParsedItem {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const name = isNode(q.name) ? textOf(q.name.text).trim() : '';
  const item: ParsedItem = { ref: { index, ...(name && { name }) }, content: null, errors, warnings };
  const fail = (message: string) => {
    errors.push({ message });
    return item;
  };
  if (!SUPPORTED.includes(type)) return fail(`the question type "${type || '(none)'}" is not supported`);

  const stem = richOf(q.questiontext);
  const explanation = richOf(q.generalfeedback);
  if (`${stem}${explanation}`.includes('@@PLUGINFILE@@')) warnings.push({ message: 'embedded files (@@PLUGINFILE@@) are not imported' });
  const tags = list(isNode(q.tags) ? q.tags.tag : undefined)
    .map((t) => (isNode(t) ? textOf(t.text).trim() : ''))
    .filter(Boolean);
  if (category) tags.push(categoryTag(category, warnings));
  const content: Record<string, unknown> = { stem, explanation, ...(tags.length && { tags }) };
  const grade = textOf(q.defaultgrade).trim();
  if (grade !== '') item.defaultPoints = Number(grade);

  const answers = answersOf(q);
  const noteFeedback = (feedbacks: string[]) => {
    if (feedbacks.some(Boolean)) warnings.push({ message: 'answer feedback is not kept' });
  };

  switch (type) {
    case 'multichoice': {
      if (answers.length > OPTION_KEYS.length) return fail(`at most ${OPTION_KEYS.length} options are supported (found ${answers.length})`);
      content.options = answers.map((a, i) => ({ key: OPTION_KEYS[i]!, text: a.text }));
      const single = ['true', '1'].includes(textOf(q.single).trim().toLowerCase());
      if (single) {
        const full = answers.flatMap((a, i) => (a.fraction >= 100 ? [i] : []));
        if (full.length !== 1) return fail(`a single-answer question needs exactly one answer with fraction 100 (found ${full.length})`);
        if (answers.some((a) => a.fraction > 0 && a.fraction < 100)) warnings.push({ message: 'partial credit of wrong options is not kept' });
        content.type = 'single';
        content.correct = [OPTION_KEYS[full[0]!]];
      } else {
        content.type = 'multiple';
        content.correct = answers.flatMap((a, i) => (a.fraction > 0 ? [OPTION_KEYS[i]!] : []));
        if ((content.correct as string[]).length === 0) return fail('no answer has a positive fraction');
      }
      noteFeedback(answers.map((a) => a.feedback));
      break;
    }
    case 'truefalse': {
      const right = answers.find((a) => a.fraction >= 100);
      const value = right?.text.replace(/<[^>]*>/g, '').trim().toLowerCase();
      if (value !== 'true' && value !== 'false') return fail('a true/false question needs the answer "true" or "false" with fraction 100');
      content.type = 'true_false';
      content.correct = value === 'true';
      noteFeedback(answers.map((a) => a.feedback));
      break;
    }
    case 'shortanswer': {
      const accepted = answers.filter((a) => a.fraction >= 100).map((a) => a.text.replace(/<[^>]*>/g, '').trim());
      if (answers.some((a) => a.fraction > 0 && a.fraction < 100)) warnings.push({ message: 'answers with partial credit are not kept' });
      if (accepted.length === 0) return fail('no answer has fraction 100');
      content.type = 'fill_blank';
      content.stem = withBlank(stem);
      content.blanks = [{ accepted }];
      noteFeedback(answers.map((a) => a.feedback));
      break;
    }
    case 'multianswer': {
      const blanks: { accepted: string[] }[] = [];
      const problems: string[] = [];
      let feedback = false;
      let partial = false;
      content.stem = stem.replace(CLOZE, (whole, n: string, kind: string, raw: string) => {
        const label = `{${n}:${kind}:…}`;
        if (!CLOZE_SHORT.has(kind.toUpperCase())) {
          problems.push(`the Cloze subquestion ${label} is not supported (only SHORTANSWER)`);
          return whole;
        }
        const list = clozeAnswers(raw);
        feedback ||= list.some((a) => a.feedback);
        partial ||= list.some((a) => a.fraction > 0 && a.fraction < 100);
        const accepted = list.filter((a) => a.fraction >= 100).map((a) => a.text);
        if (accepted.length === 0) problems.push(`the Cloze subquestion ${label} has no answer with 100%`);
        blanks.push({ accepted });
        return BLANK;
      });
      if (problems.length) {
        for (const p of problems) errors.push({ message: p });
        return item;
      }
      if (blanks.length === 0) return fail('the Cloze question has no {1:SHORTANSWER:…} subquestion');
      if (partial) warnings.push({ message: 'answers with partial credit are not kept' });
      if (feedback) warnings.push({ message: 'answer feedback is not kept' });
      content.type = 'fill_blank';
      content.blanks = blanks;
      break;
    }
    case 'essay': {
      const reference = richOf(q.graderinfo);
      if (!reference) return fail('an essay needs grader information (graderinfo): it becomes the reference answer');
      content.type = 'short_answer';
      content.referenceAnswer = reference;
      content.rubric = defaultRubric(reference);
      warnings.push({ message: DEFAULT_RUBRIC_WARNING });
      break;
    }
  }
  item.content = content;
  return item;
}

export function parseMoodleXml(source: string): ParsedFile {
  const xml = source.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw unreadable('DOCTYPE and entity declarations are not allowed in Moodle XML files.');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw unreadable(`The XML is not well formed (line ${valid.err.line}): ${valid.err.msg}`, { line: valid.err.line, message: valid.err.msg });
  }
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch (err) {
    throw unreadable(`The XML could not be read: ${(err as Error).message}`);
  }
  const quiz = isNode(doc) ? doc.quiz : undefined;
  if (!isNode(quiz) && quiz !== '') throw unreadable('This is not a Moodle XML question file: the root element must be <quiz>.');
  const questions = isNode(quiz) ? list(quiz.question).filter(isNode) : [];
  assertQuestionCount(questions.filter((q) => q['@_type'] !== 'category').length);

  const items: ParsedItem[] = [];
  let category: string | null = null;
  for (const q of questions) {
    const type = typeof q['@_type'] === 'string' ? q['@_type'] : '';
    if (type === 'category') {
      const path = isNode(q.category) ? textOf(q.category.text) : '';
      category = categoryLeaf(path);
      continue;
    }
    items.push(parseQuestion(q, type, items.length + 1, category));
  }
  return { items, fileErrors: [], fileWarnings: [] };
}
