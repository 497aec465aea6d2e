/**
 * Tokenisation for search and keyword extraction: jieba (search mode) for Chinese, lower-cased
 * words and numbers for everything else, stop words and punctuation removed.
 */
import { Jieba, TfIdf } from '@node-rs/jieba';
import { dict, idf } from '@node-rs/jieba/dict.js';
import { CN_NUMERAL_CHARS, parseNumeral, toNumeral } from './numerals.js';

/**
 * Legal and compliance terms jieba's general dictionary does not have, so they are kept as one
 * word (and, through the sub-word expansion below, also match their parts: 个人信息处理者 matches
 * 个人信息 and 处理者). This is a domain dictionary for compliance training, not a list of the test
 * questions' words.
 */
const DOMAIN_WORDS = [
  '个人信息处理者',
  '敏感个人信息',
  '个人信息保护影响评估',
  '个人信息保护负责人',
  '个人信息保护认证',
  '个人信息保护职责',
  '处理者',
  '自动化决策',
  '单独同意',
  '书面同意',
  '个人同意',
  '撤回同意',
  '去标识化',
  '匿名化',
  '标准合同',
  '安全评估',
  '数据出境',
  '跨境提供',
  '境外接收方',
  '关键信息基础设施',
  '关键信息基础设施运营者',
  '国家网信部门',
  '网信部门',
  '图像采集',
  '身份识别',
  '个人身份识别设备',
  '委托处理',
  '可携带',
  '合规审计',
  '违法所得',
  '信用档案',
  '公益诉讼',
  '保存期限',
  '个人权益',
  '生物识别',
  '医疗健康',
  '金融账户',
  '行踪轨迹',
  '特定身份',
  '用户画像',
  '商业贿赂',
  '安全生产',
  '职业健康',
  '隐私政策',
  '数据安全',
  '数据分类分级',
  // everyday words for the same things (see synonyms.ts)
  '刷脸',
  '个人数据',
  '用户数据',
  '用户信息',
  '客户信息',
  '外包',
  '外包方',
  '大数据',
  '个性化推荐',
  '精准营销',
  '数据保护官',
  '网信办',
  '合规检查',
  '互联网平台',
];

/** Function words, question words and filler that carry no topic (Chinese and English). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 地 得 了 着 过 和 与 及 或 或者 以及 并 并且 而 而且 在 是 为 为了 对 对于 于 以 将 把 被 由 从 向 至 到 等 等等 之 其 该 此 这 那 ' +
    '这些 那些 这个 那个 这样 那样 这种 那种 也 都 就 还 又 再 很 更 已 已经 会 能 可 可以 要 需 需要 应该 吗 呢 吧 啊 呀 么 嘛 哦 ' +
    '什么 什么样 怎么 怎么样 怎样 如何 哪 哪些 哪个 哪里 为什么 为何 多少 几 是否 有没有 有 没有 没 不 我 我们 你 你们 您 他 他们 她 它 它们 ' +
    '自己 谁 一个 一些 个 些 所 所有 如果 因为 所以 但是 但 然而 则 即 即使 虽然 只 只有 还是 比如 例如 之类 时 时候 里 请问 一下 ' +
    '吗？ 呢？ 能否 可否 做 干 弄 搞 让 给 跟 同 啥 咋 怎 嗯 ' +
    'a an the of to in on for and or is are was were be been being by with as at from that this these those it its ' +
    'what how which who whom why when where do does did can could should would will shall may might must i we you he she they ' +
    'me my our your their not no yes if then than so such about into over under'
  ).split(' '),
);

/** Keyword extraction also skips words that are everywhere in rules and regulations. */
const KEYWORD_STOP_WORDS: ReadonlySet<string> = new Set([
  ...STOP_WORDS,
  ...'应当 不得 规定 有关 相关 进行 依照 按照 根据 本法 法律 行政法规 其他 情形 方式 部门 国家 之一 以下 以上 下列 前款 本条 条款'.split(' '),
]);

let jieba: Jieba | undefined;
let tfidf: TfIdf | undefined;

function segmenter(): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    jieba.loadDict(Buffer.from(DOMAIN_WORDS.map((w) => `${w} 3000 n`).join('\n')));
  }
  return jieba;
}

function keywordExtractor(): TfIdf {
  if (!tfidf) {
    tfidf = TfIdf.withDict(idf);
    // The domain words are specific: give them a high inverse document frequency.
    tfidf.loadDict(Buffer.from(DOMAIN_WORDS.map((w) => `${w} 11.0`).join('\n')));
    tfidf.setConfig({ minKeywordLength: 2, useHmm: true });
  }
  return tfidf;
}

/**
 * jieba's search mode adds only the 2- and 3-character dictionary words inside a long word, so
 * 个人信息处理者 would not match 个人信息. Words of 5+ characters also yield their dictionary
 * sub-words of 4+ characters. Cached: the vocabulary is bounded.
 */
const longSubwords = new Map<string, string[]>();
function subwords(word: string): string[] {
  let out = longSubwords.get(word);
  if (!out) {
    out = segmenter()
      .cutAll(word)
      .filter((w) => w.length >= 4 && w.length < word.length);
    if (longSubwords.size > 200_000) longSubwords.clear();
    longSubwords.set(word, out);
  }
  return out;
}

const HAN = /\p{Script=Han}/u;
const WORD = /[\p{L}\p{N}]+(?:\.\p{N}+)*/gu;
const NUM = `[${CN_NUMERAL_CHARS}0-9]+`;
/** 第十四条 / 第14条 / 第一章 … and ranges 第一条–第三条, 第十条至第十二条. */
const MARKER = new RegExp(`第(${NUM})([条章节款项编])(?:\\s*[–—~～至到-]\\s*第(${NUM})\\2)?`, 'g');

function pushSegment(out: string[], segment: string): void {
  if (!segment.trim()) return;
  for (const token of segmenter().cutForSearch(segment, true)) {
    if (HAN.test(token)) {
      if (STOP_WORDS.has(token)) continue;
      out.push(token);
      if (token.length >= 5) out.push(...subwords(token));
      continue;
    }
    for (const m of token.toLowerCase().matchAll(WORD)) {
      const w = m[0];
      if (STOP_WORDS.has(w) || (w.length === 1 && !/\d/.test(w))) continue;
      out.push(w);
    }
  }
}

/**
 * Search tokens: jieba cut-for-search (plus 4+-character sub-words of long words), English words
 * lower-cased, numbers; stop words and punctuation removed. Structural references become one token
 * each in a canonical form (第14条 → 第十四条), and ranges are expanded (第一条–第三条 → 第一条 第二条
 * 第三条), so a question about 第二条 finds the chunk located at 第一条–第三条. Full-width forms
 * are folded (ＧＤＰＲ → gdpr).
 */
export function tokenize(text: string): string[] {
  const s = text.normalize('NFKC');
  const out: string[] = [];
  let from = 0;
  for (const m of s.matchAll(MARKER)) {
    pushSegment(out, s.slice(from, m.index));
    from = m.index + m[0].length;
    const a = parseNumeral(m[1]!);
    const b = m[3] ? parseNumeral(m[3]) : a;
    const unit = m[2]!;
    if (a === null || b === null) continue;
    if (b >= a && b - a <= 100) for (let n = a; n <= b; n++) out.push(`第${toNumeral(n)}${unit}`);
    else out.push(`第${toNumeral(a)}${unit}`, `第${toNumeral(b)}${unit}`);
  }
  pushSegment(out, s.slice(from));
  return out;
}

/**
 * Words with their jieba part-of-speech tags (n, v, vn, m …), in text order, with the domain
 * dictionary loaded; punctuation and spaces are kept as their own entries (tag "x"), so the words
 * concatenate back to the text exactly (offsets into it stay valid).
 */
export function tagWords(text: string): { word: string; tag: string }[] {
  if (!text) return [];
  return segmenter().tag(text, true);
}

/** Parts of speech kept as keywords: nouns of all kinds, verbal nouns, idioms, English words. */
const KEYWORD_POS = ['n', 'nr', 'nrt', 'ns', 'nt', 'nz', 'vn', 'an', 'l', 'i', 'j', 'eng'];

/** TF-IDF keywords (jieba): noun-like words of at least 2 characters, no stop words, highest weight first. */
export function keywords(text: string, topK: number): { word: string; weight: number }[] {
  if (topK <= 0 || !text.trim()) return [];
  const found = keywordExtractor().extractKeywords(segmenter(), text.normalize('NFKC'), topK * 3 + 10, KEYWORD_POS);
  return found
    .filter((k) => [...k.keyword].length >= 2 && !KEYWORD_STOP_WORDS.has(k.keyword.toLowerCase()) && /[\p{L}]/u.test(k.keyword))
    .slice(0, topK)
    .map((k) => ({ word: k.keyword, weight: k.weight }));
}
