import { createHash } from 'node:crypto';
import { OPTION_KEYS, questionContentSchema, type QuestionContent } from '@kpl/shared';
import { isBlankHtml, sanitizeRich } from './sanitize.js';

/**
 * A question's content in its one canonical form, and the hash that identifies a version.
 * Canonical = Zod-parsed (defaults filled), rich text sanitised, text trimmed, labels de-duplicated,
 * options and multiple-choice keys sorted, fill-in blanks written as "____"; then JSON with keys
 * sorted. The same question typed twice, in any key order or with stray whitespace, hashes the same.
 */

export interface ContentProblem {
  /** Path inside the content, e.g. "options.2.text" ("" for the whole content). */
  path: string;
  message: string;
}

export type Normalised = { ok: true; content: QuestionContent; hash: string } | { ok: false; problems: ContentProblem[] };

/** The blank marker of fill-in stems; "___", "______" and "（）" are accepted and rewritten to it. */
export const BLANK = '____';
const BLANK_INPUT = /_{3,}|（\s*）/g;

export const countBlanks = (stem: string): number => stem.match(/_{4}/g)?.length ?? 0;

/** Label key for de-duplication: case- and width-insensitive, as MySQL's collation compares. */
const labelKey = (s: string) => s.normalize('NFKC').toLowerCase();

function uniqueLabels(values: string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = labelKey(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const uniqueStrings = (values: string[]) => [...new Set(values)];

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

export const hashContent = (content: QuestionContent): string => createHash('sha256').update(canonicalJson(content)).digest('hex');

export function normaliseContent(input: unknown): Normalised {
  const parsed = questionContentSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
  }
  const problems: ContentProblem[] = [];
  const c = parsed.data;
  const rich = (path: string, html: string, required: boolean) => {
    const clean = sanitizeRich(html);
    if (required && isBlankHtml(clean)) problems.push({ path, message: 'is empty once unsafe HTML is removed' });
    return clean;
  };

  const common = {
    stem: rich('stem', c.stem, true),
    explanation: rich('explanation', c.explanation, false),
    difficulty: c.difficulty,
    knowledgePoints: uniqueLabels(c.knowledgePoints),
    tags: uniqueLabels(c.tags),
    source: c.source && {
      materialId: c.source.materialId.trim(),
      chunkId: c.source.chunkId.trim(),
      quote: c.source.quote.trim(),
      ...(c.source.citation?.trim() ? { citation: c.source.citation.trim() } : {}),
    },
  };
  if (common.source && !common.source.quote) problems.push({ path: 'source.quote', message: 'is empty' });

  let content: QuestionContent;
  switch (c.type) {
    case 'single':
    case 'multiple': {
      const options = [...c.options].sort((a, b) => a.key.localeCompare(b.key)).map((o, i) => ({ key: o.key, text: rich(`options.${i}.text`, o.text, true) }));
      const expected = OPTION_KEYS.slice(0, options.length);
      if (options.some((o, i) => o.key !== expected[i])) {
        problems.push({ path: 'options', message: `option keys must be ${expected.join(', ')} (each once, no gaps)` });
      }
      const texts = new Map<string, string>();
      for (const o of options) {
        const earlier = texts.get(o.text);
        if (earlier) problems.push({ path: 'options', message: `options ${earlier} and ${o.key} are the same` });
        else texts.set(o.text, o.key);
      }
      const correct = uniqueStrings(c.correct).sort() as typeof c.correct;
      for (const k of correct) if (!options.some((o) => o.key === k)) problems.push({ path: 'correct', message: `${k} is not one of the options` });
      content = { type: c.type, ...common, options, correct } as QuestionContent;
      break;
    }
    case 'true_false':
      content = { type: 'true_false', ...common, correct: c.correct };
      break;
    case 'fill_blank': {
      const stem = common.stem.replace(BLANK_INPUT, BLANK);
      const blanks = c.blanks.map((b) => ({ accepted: uniqueStrings(b.accepted) }));
      const marked = countBlanks(stem);
      if (marked !== blanks.length) {
        problems.push({ path: 'blanks', message: `the stem marks ${marked} blank(s) with ${BLANK} but ${blanks.length} answer(s) are given` });
      }
      content = { type: 'fill_blank', ...common, stem, blanks, ordered: c.ordered };
      break;
    }
    case 'short_answer':
      content = {
        type: 'short_answer',
        ...common,
        referenceAnswer: rich('referenceAnswer', c.referenceAnswer, true),
        rubric: c.rubric.map((r) => ({ point: r.point, weight: r.weight, keywords: uniqueStrings(r.keywords) })),
      };
      break;
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, content, hash: hashContent(content) };
}
