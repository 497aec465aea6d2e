/**
 * Offline question generation from material chunks (classical NLP, deterministic):
 * - fill_blank: a key term (jieba TF-IDF) blanked out of a sentence that states something;
 * - single: the same blank with same-kind distractors (or a number with numbers of the same unit);
 * - multiple: an enumeration (「合法、正当、必要和诚信」, or a （一）（二）… list) with items of other lists;
 * - true_false: a real sentence, or the sentence with a same-kind term swapped, its modal verb
 *   flipped (应当 → 无需, 不得 → 可以 …) or a number changed;
 * - short_answer: an article; the rubric has one point per sentence with its rarest key terms.
 * Every candidate cites the exact sentence (or article span) of its chunk that supports the key.
 * Keys are placed by rotation so positions balance across a batch, and distractors are chosen so
 * the key is not systematically the longest option.
 */
import { OPTION_KEYS, QUESTION_TYPES, type OptionKey, type QuestionContent, type QuestionType, type RubricPoint } from '@kpl/shared';
import { keywords, STOP_WORDS, synonymsOf, THESAURUS, tokenize } from '../../content/index.js';
import type { GeneratedCandidate, GenerateQuestionsInput, SourceChunk } from '../capabilities.js';
import { listItemDistractors, numberDistractors, termDistractors } from './distractors.js';
import { analyseMaterial, isBoilerplate, type InlineList, type ItemList, type Material, type NumberTerm, type Term } from './material.js';
import { hash32, matchForm, titleOf, type Statement } from './text.js';

export const BLANK = '____';

/** Key positions per option count: each position once per cycle, not in A-B-C-D order. */
const ROTATION: Record<number, number[]> = { 3: [0, 2, 1], 4: [0, 2, 3, 1], 5: [0, 3, 1, 4, 2] };
/** True/false answers per cycle: as many true as false, no simple alternation. */
const TRUTH_CYCLE = [true, false, false, true, false, true];
/** Statements used by more than this share of the material's sentences are too common to ask about. */
const UBIQUITOUS_SHARE = 0.3;

type Content<T extends QuestionType> = Extract<QuestionContent, { type: T }>;

export function generateQuestions(input: GenerateQuestionsInput): GeneratedCandidate[] {
  const types = [...new Set(input.types)].filter((t) => QUESTION_TYPES.includes(t));
  const count = Math.max(0, Math.floor(input.count));
  if (!types.length || !count || !input.chunks.length) return [];
  const g = new Generator(analyseMaterial(input.chunks), Math.min(5, Math.max(1, Math.round(input.difficulty ?? 3))), input.knowledgePoints ?? []);
  const out: GeneratedCandidate[] = [];
  const exhausted = new Set<QuestionType>();
  for (let i = 0; out.length < count && exhausted.size < types.length; i++) {
    const preferred = types[i % types.length]!;
    for (const t of [preferred, ...types.filter((x) => x !== preferred)]) {
      if (exhausted.has(t)) continue;
      const c = g.next(t);
      if (c) {
        out.push(c);
        break;
      }
      exhausted.add(t);
    }
  }
  return out;
}

const optionCount = (difficulty: number) => (difficulty >= 4 ? 5 : 4);

/** A stable order for options that are not the key (hash of the seed and text). */
const shuffled = <T>(items: T[], seed: string, text: (t: T) => string) => [...items].sort((a, b) => hash32(seed + text(a)) - hash32(seed + text(b)));

class Generator {
  private readonly used = new Set<Statement>();
  private readonly usedLists = new Set<InlineList | ItemList>();
  private readonly askedLists = new Set<string>();
  private readonly cursor = new Map<string, number>();
  private readonly counter = { single: 0, multiple: 0, true_false: 0, false: 0 };
  private readonly order: Statement[];
  private readonly lists: (InlineList | ItemList)[];
  private readonly articles: Statement[][];

  constructor(
    private readonly m: Material,
    private readonly difficulty: number,
    private readonly knowledgePoints: string[],
  ) {
    this.order = this.spread(m.claims, (s) => s);
    this.lists = this.spread([...m.inlineLists.filter((l) => l.statement.text.endsWith('。')), ...m.itemLists], (l) => ('lead' in l ? l.lead : l.statement));
    this.articles = this.spread(articlesOf(m), (a) => a[0]!);
  }

  /** Round-robin over chunks (so a batch covers the material), statements about the knowledge points first. */
  private spread<T>(items: T[], statementOf: (t: T) => Statement): T[] {
    const byChunk = new Map<string, T[]>();
    for (const it of items) {
      const id = statementOf(it).chunk.chunkId;
      byChunk.set(id, [...(byChunk.get(id) ?? []), it]);
    }
    const out: T[] = [];
    const queues = [...byChunk.values()];
    for (let r = 0; out.length < items.length; r++) for (const q of queues) if (q[r] !== undefined) out.push(q[r]!);
    if (!this.knowledgePoints.length) return out;
    const about = (t: T) => this.kpsOf(statementOf(t).text).length > 0;
    return [...out.filter(about), ...out.filter((t) => !about(t))];
  }

  next(type: QuestionType): GeneratedCandidate | null {
    switch (type) {
      case 'fill_blank':
        return this.fromClaims('fill_blank', (s) => this.cloze(s));
      case 'single':
        return this.fromClaims('single', (s) => this.single(s));
      case 'true_false':
        return this.fromClaims('true_false', (s) => this.trueFalse(s));
      case 'multiple':
        return this.take('multiple', this.lists, (l) => !this.usedLists.has(l) && !this.used.has('lead' in l ? l.lead : l.statement), (l) => this.multiple(l));
      case 'short_answer':
        return this.take('short_answer', this.articles, (a) => !a.some((s) => this.used.has(s)), (a) => this.shortAnswer(a));
    }
  }

  private fromClaims(type: string, build: (s: Statement) => GeneratedCandidate | null) {
    return this.take(type, this.order, (s) => !this.used.has(s), build);
  }

  private take<T>(type: string, items: T[], free: (t: T) => boolean, build: (t: T) => GeneratedCandidate | null): GeneratedCandidate | null {
    for (let i = this.cursor.get(type) ?? 0; i < items.length; i++) {
      const it = items[i]!;
      if (!free(it)) continue;
      const c = build(it);
      if (c) {
        this.cursor.set(type, i + 1);
        return c;
      }
    }
    this.cursor.set(type, items.length);
    return null;
  }

  // ---- building blocks --------------------------------------------------------------------

  private kpsOf(text: string): string[] {
    const tokens = new Set(tokenize(text));
    return this.knowledgePoints
      .filter((k) => {
        if (text.includes(k)) return true;
        const kt = tokenize(k);
        return kt.length > 0 && kt.every((t) => tokens.has(t));
      })
      .slice(0, 20);
  }

  private common(s: Statement, quote: string, explanation: string) {
    return {
      explanation,
      difficulty: this.difficulty,
      knowledgePoints: this.kpsOf(quote),
      tags: ['AI生成'],
      source: { materialId: s.chunk.materialId, chunkId: s.chunk.chunkId, quote, ...(s.chunk.citation ? { citation: s.chunk.citation.slice(0, 500) } : {}) },
    };
  }

  private candidate(s: Statement, quote: string, content: QuestionContent): GeneratedCandidate {
    this.used.add(s);
    return { content, source: { chunkId: s.chunk.chunkId, quote } };
  }

  /** 《title》第十九条规定： */
  private lead(s: Statement): string {
    const title = titleOf(s.chunk);
    if (title && s.article) return `《${title}》${s.article}规定：`;
    if (s.article) return `${s.article}规定：`;
    return title ? `《${title}》中写道：` : '材料中写道：';
  }

  private basis(s: Statement, quote: string): string {
    return `原文：「${quote}」${s.chunk.citation ? `（${s.chunk.citation}）` : ''}`;
  }

  /** Key terms of a sentence that occur once in it, the ones closest to the difficulty first. */
  private keyTerms(s: Statement): { term: Term; at: number }[] {
    const limit = this.m.statements.length * UBIQUITOUS_SHARE;
    const seen = new Set<string>();
    const out: { term: Term; at: number }[] = [];
    for (const w of this.m.tagged(s)) {
      const term = this.m.terms.get(w.word);
      if (!term || term.bound || seen.has(w.word) || [...w.word].length < 2) continue;
      seen.add(w.word);
      if (s.text.indexOf(w.word) !== s.text.lastIndexOf(w.word)) continue;
      if (term.df > limit && this.difficulty >= 2) continue;
      out.push({ term, at: w.at });
    }
    return out.sort((a, b) => Math.abs(this.m.rarity(a.term) - this.difficulty) - Math.abs(this.m.rarity(b.term) - this.difficulty) || b.term.weight - a.term.weight);
  }

  private numbersIn(s: Statement): NumberTerm[] {
    return this.m.numbers.filter((n) => s.text.indexOf(n.word) >= 0 && s.text.indexOf(n.word) === s.text.lastIndexOf(n.word));
  }

  private blanked(s: Statement, spans: { at: number; length: number }[]): string {
    let text = s.text;
    for (const sp of [...spans].sort((a, b) => b.at - a.at)) text = text.slice(0, sp.at) + BLANK + text.slice(sp.at + sp.length);
    return text;
  }

  private choiceOptions(key: string, distractors: string[], position: number, seed: string) {
    const texts = shuffled(distractors, seed, (d) => d);
    texts.splice(position, 0, key);
    return texts.map((text, i) => ({ key: OPTION_KEYS[i]!, text }));
  }

  // ---- question types ---------------------------------------------------------------------

  private cloze(s: Statement): GeneratedCandidate | null {
    const numbers = this.numbersIn(s).map((n) => ({ word: n.word, at: s.text.indexOf(n.word) }));
    const terms = this.keyTerms(s).map((k) => ({ word: k.term.word, at: k.at }));
    const keys = [...numbers, ...terms];
    if (!keys.length) return null;
    const picked = [keys[0]!];
    // Harder questions blank two terms when the sentence has two that do not touch.
    const second = keys.slice(1).find((k) => k.at + k.word.length < picked[0]!.at || k.at > picked[0]!.at + picked[0]!.word.length);
    if (this.difficulty >= 4 && second) picked.push(second);
    picked.sort((a, b) => a.at - b.at);
    const content: Content<'fill_blank'> = {
      type: 'fill_blank',
      stem: `${this.lead(s)}${this.blanked(
        s,
        picked.map((p) => ({ at: p.at, length: p.word.length })),
      )}`,
      blanks: picked.map((p) => ({ accepted: acceptedAnswers(p.word) })),
      ordered: true,
      ...this.common(s, s.text, this.basis(s, s.text)),
    };
    return this.candidate(s, s.text, content);
  }

  private single(s: Statement): GeneratedCandidate | null {
    const need = optionCount(this.difficulty) - 1;
    const keys: { word: string; at: number; distractors: string[] }[] = [];
    for (const n of this.numbersIn(s)) keys.push({ word: n.word, at: s.text.indexOf(n.word), distractors: numberDistractors(this.m, n, s.text, need) });
    for (const k of this.keyTerms(s).slice(0, 4)) keys.push({ word: k.term.word, at: k.at, distractors: termDistractors(this.m, k.term, s.text, need, this.difficulty) });
    const key = keys.find((k) => k.distractors.length === need);
    if (!key) return null;
    const n = need + 1;
    const rotation = ROTATION[n]!;
    const position = rotation[this.counter.single++ % rotation.length]!;
    const options = this.choiceOptions(key.word, key.distractors, position, s.text);
    const content: Content<'single'> = {
      type: 'single',
      stem: `${this.lead(s)}${this.blanked(s, [{ at: key.at, length: key.word.length }])}横线处应填入的是：`,
      options,
      correct: [OPTION_KEYS[position]!],
      ...this.common(s, s.text, this.basis(s, s.text)),
    };
    return this.candidate(s, s.text, content);
  }

  private trueFalse(s: Statement): GeneratedCandidate | null {
    const truth = TRUTH_CYCLE[this.counter.true_false % TRUTH_CYCLE.length]!;
    let statement = s.text;
    if (!truth) {
      const altered = this.falsify(s);
      if (!altered) return null;
      statement = altered;
    }
    this.counter.true_false++;
    const content: Content<'true_false'> = {
      type: 'true_false',
      stem: `${this.lead(s)}${statement}`,
      correct: truth,
      ...this.common(s, s.text, `${truth ? '正确' : '错误'}。${this.basis(s, s.text)}`),
    };
    return this.candidate(s, s.text, content);
  }

  /** A false version of the sentence: a same-kind term swapped, the modal flipped, or a number changed (in rotation). */
  private falsify(s: Statement): string | null {
    const ways = [
      () => {
        for (const k of this.keyTerms(s)) {
          const [d] = termDistractors(this.m, k.term, s.text, 1, this.difficulty);
          if (d) return s.text.slice(0, k.at) + d + s.text.slice(k.at + k.term.word.length);
        }
        return null;
      },
      () => {
        for (const [from, to] of MODAL_FLIPS) {
          const at = s.text.indexOf(from);
          if (at >= 0) return s.text.slice(0, at) + to + s.text.slice(at + from.length);
        }
        return null;
      },
      () => {
        for (const n of this.numbersIn(s)) {
          const [d] = numberDistractors(this.m, n, s.text, 1);
          if (d) return s.text.replace(n.word, d);
        }
        return null;
      },
    ];
    const start = this.counter.false;
    for (let i = 0; i < ways.length; i++) {
      const altered = ways[(start + i) % ways.length]!();
      if (altered && altered !== s.text && !this.m.corpus.includes(altered)) {
        this.counter.false++;
        return altered;
      }
    }
    return null;
  }

  private multiple(list: InlineList | ItemList): GeneratedCandidate | null {
    const n = optionCount(this.difficulty);
    const isItems = 'lead' in list;
    const s = isItems ? list.lead : list.statement;
    const items = isItems ? list.items.map((i) => i.text.replace(/[；;。，,]$/, '')).filter((i) => !isBoilerplate(i)) : [...new Set(list.items)];
    if (isItems && items.some((i) => [...i].length > 60)) return null;
    // The same enumeration stated twice (第五十一条 and 第五十七条: 泄露、篡改、丢失) makes one question.
    const signature = [...items].sort().join('、');
    if (this.askedLists.has(signature)) return null;
    const wanted = (n === 5 ? [3, 2, 4, 3] : [2, 3, 3, 2])[this.counter.multiple % 4]!;
    const correctCount = Math.min(wanted, items.length, n - 1);
    const need = n - correctCount;
    let quote: string;
    let distractors: string[];
    let stem: string;
    if (isItems) {
      const last = list.items.at(-1)!;
      quote = s.chunk.text.slice(s.start, last.start + last.text.length);
      distractors = shuffled(
        this.m.itemLists
          .filter((l) => l !== list)
          .flatMap((l) => l.items.map((i) => i.text.replace(/[；;。，,]$/, '')))
          .filter((t) => [...t].length <= 60 && !quote.includes(t) && !isBoilerplate(t)),
        s.text,
        (t) => t,
      ).slice(0, need);
      const title = titleOf(s.chunk);
      stem = `根据${title ? `《${title}》` : ''}${s.article ?? ''}「${s.text.replace(/[：:]$/, '')}」，下列哪些属于该条列举的${listKind(s.text)}？`;
    } else {
      quote = s.text;
      distractors = listItemDistractors(this.m, items, list.group, s.text, need);
      stem = `${this.lead(s)}${s.text.slice(0, list.from)}${BLANK}${s.text.slice(list.to)}下列哪些属于横线处列举的内容？`;
    }
    if (distractors.length < need || correctCount < 2) return null;
    const offset = this.counter.multiple;
    const correctTexts = Array.from({ length: correctCount }, (_, i) => items[(offset + i) % items.length]!);
    const texts = shuffled([...correctTexts, ...distractors], `${s.text}#${offset}`, (t) => t);
    const options = texts.map((text, i) => ({ key: OPTION_KEYS[i]!, text }));
    const correct = options.filter((o) => correctTexts.includes(o.text)).map((o) => o.key as OptionKey);
    this.counter.multiple++;
    this.askedLists.add(signature);
    if (isItems) for (const i of list.items) this.used.add(i);
    this.usedLists.add(list);
    const content: Content<'multiple'> = { type: 'multiple', stem, options, correct, ...this.common(s, quote, this.basis(s, quote)) };
    return this.candidate(s, quote, content);
  }

  private shortAnswer(article: Statement[]): GeneratedCandidate | null {
    const first = article[0]!;
    const last = article.at(-1)!;
    const chunk: SourceChunk = first.chunk;
    const quote = chunk.text.slice(first.start, last.start + last.text.length);
    const pointsFrom = article.filter((s) => !/[：:]$/.test(s.text) && !isBoilerplate(s.text)).slice(0, 6);
    const rubric: RubricPoint[] = [];
    for (const s of pointsFrom) {
      const words = this.pointKeywords(s);
      if (words.length) rubric.push({ point: s.text.replace(/[。；;，,]$/, '').slice(0, 500), weight: 1, keywords: words });
    }
    if (rubric.length < 2) return null;
    const title = titleOf(chunk);
    const source = `${title ? `《${title}》` : '材料'}${first.article ?? ''}`;
    // 「有下列情形之一的，…：」 articles ask for the listed cases; others for what the article says on its topic.
    const listLead = /[：:]$/.test(first.text) && first.text.includes('下列') ? first.text.replace(/[：:]$/, '') : null;
    const content: Content<'short_answer'> = {
      type: 'short_answer',
      stem: listLead ? `请根据${source}，列举「${listLead}」所指的${listKind(listLead)}。` : `请根据${source}，简述关于「${this.topicOf(article)}」的规定。`,
      referenceAnswer: article.map((s, i) => (i && s.paragraph !== article[i - 1]!.paragraph ? `\n${s.text}` : s.text)).join(''),
      rubric,
      ...this.common(first, quote, this.basis(first, quote)),
    };
    for (const s of article) this.used.add(s);
    return this.candidate(first, quote, content);
  }

  /** The sentence's rarest content words (2–3; verbs too: 撤回, 删除), common ones only when nothing rarer is there. */
  private pointKeywords(s: Statement): string[] {
    const limit = this.m.statements.length * UBIQUITOUS_SHARE;
    const words = [
      ...new Set(
        this.m
          .tagged(s)
          .filter((w) => !FUNCTION_TAGS.test(w.tag) && /^\p{Script=Han}{2,}$/u.test(w.word) && !STOP_WORDS.has(w.word) && !FILLER.has(w.word))
          .map((w) => w.word),
      ),
    ];
    const ranked = words.sort((a, b) => this.m.df(a) - this.m.df(b) || (this.m.terms.get(b)?.weight ?? 0) - (this.m.terms.get(a)?.weight ?? 0));
    const rare = ranked.filter((w) => this.m.df(w) <= limit);
    const picked = (rare.length >= 2 ? rare : ranked).slice(0, 3);
    if (picked.length) return picked;
    return keywords(s.text, 2).map((k) => k.word);
  }

  /** The article's most specific term: frequent in the article, rare in the material (TF × IDF). */
  private topicOf(article: Statement[]): string {
    const text = article.map((s) => s.text).join('');
    const n = this.m.statements.length;
    const score = (t: Term) => text.split(t.word).length - 1;
    const candidates = [...this.m.terms.values()].filter(
      (t) => !t.bound && !PLACE_TAGS.has(t.tag) && text.includes(t.word) && t.df <= n * UBIQUITOUS_SHARE && [...t.word].length >= 2,
    );
    // 决策 inside 自动化决策: the longer term says more, when it is used at least half as often.
    const found = candidates.filter((t) => !candidates.some((o) => o !== t && o.word.includes(t.word) && score(o) * 2 >= score(t)));
    found.sort((a, b) => score(b) * Math.log(1 + n / b.df) - score(a) * Math.log(1 + n / a.df) || b.weight - a.weight);
    return found[0]?.word ?? keywords(text, 1)[0]?.word ?? article[0]!.article ?? '本条';
  }
}

/** What a list lead introduces: 情形, 事项, 职责 … (内容 when it does not say). */
const listKind = (lead: string) => ['情形', '事项', '职责', '措施', '权利', '义务', '条件'].find((k) => lead.includes(k)) ?? '内容';

/** jieba tags of words that carry no content: prepositions, conjunctions, particles, pronouns, numerals, measure words, punctuation. */
const FUNCTION_TAGS = /^(p|c|u\w*|r\w*|m|q|x|y|e|o|f)$/;

/** Place and person names (中华人民共和国) say where, not what: never a topic. */
const PLACE_TAGS = new Set(['ns', 'nr', 'nrt']);

/** Common verbs of statutes that say nothing about a point by themselves. */
const FILLER = new Set(['应当', '不得', '可以', '规定', '进行', '依照', '按照', '根据', '有关', '相关', '其他', '本法', '法律', '行政法规', '行政', '法规', '依法', '予以', '情形']);

/** 应当 ↔ 无需, 不得 → 可以 …: the first that occurs makes the statement false. */
const MODAL_FLIPS: [string, string][] = [
  ['不得', '可以'],
  ['有权', '无权'],
  ['不适用', '适用'],
  ['适用', '不适用'],
  ['应当', '无需'],
  ['可以', '不得'],
];

/** An article's sentences in one chunk (articles that fit the schema's quote limit). */
function articlesOf(m: Material): Statement[][] {
  const out: Statement[][] = [];
  for (const s of m.statements) {
    const last = out.at(-1);
    if (last && last[0]!.chunk === s.chunk && last[0]!.article === s.article && s.article) last.push(s);
    else if (s.article) out.push([s]);
  }
  return out.filter((a) => {
    const length = a.reduce((n, s) => n + s.text.length, 0);
    return (a.length >= 2 || length >= 40) && length <= 1500;
  });
}

/**
 * The key and the forms a learner may write for it: the same number in digits (十四周岁 / 14周岁)
 * and the everyday words the thesaurus gives for the term when they share a character with it
 * (删除 → 删掉), a loose but useful guard against unrelated words.
 */
export function acceptedAnswers(key: string): string[] {
  const out = [key];
  const digits = matchForm(key);
  if (digits !== key && /\d/.test(digits)) out.push(digits);
  for (const entry of THESAURUS) {
    if (!entry.statutory.includes(key)) continue;
    for (const w of entry.everyday) if ([...w].length >= 2 && [...w].some((c) => key.includes(c))) out.push(w);
  }
  for (const w of synonymsOf(key)) if (THESAURUS.some((e) => e.everyday.includes(key) && e.statutory.includes(w))) out.push(w);
  return [...new Set(out)].slice(0, 20);
}
