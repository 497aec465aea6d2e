// Search benchmark: 100,000 Chinese chunks, 1,000 queries.
//
//   npm run bench:search        (node --conditions=source --import tsx bench/search.mjs)
//
// The corpus: 200 courses × 500 chunks of 300–600 characters. Each chunk mixes sentences and
// clauses recombined from the real sample (《个人信息保护法》, apps/server/fixtures/samples/pipl.md)
// with synthetic sentences whose words are drawn from jieba's dictionary by their corpus frequency
// (a realistic Zipf distribution over ~350,000 real words), a quarter of them from the course's own
// topic vocabulary. Queries are 2–6 terms drawn the same way (half from the sample's vocabulary,
// half from the frequency-weighted dictionary), 30 % of them filtered to 1–3 courses.
// Prints the build time, the index's memory (heap + array buffers, measured after GC with the
// generated documents released) and query latency percentiles. Exits 1 when p50 ≥ 5 ms or p99 ≥ 25 ms.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';
import { extractDocument, SearchIndex, tokenize } from '../apps/server/src/modules/content/index.ts';

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100_000);
const COURSES = 200;
const QUERIES = Number(process.env.BENCH_QUERIES ?? 1_000);
const TARGET = { p50: 5, p99: 25 };

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const memory = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
};

// deterministic random numbers
let seed = 20261125;
const random = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};
const pick = (a) => a[Math.floor(random() * a.length)];

// --- vocabulary ------------------------------------------------------------------------------
const pipl = await extractDocument(readFileSync(new URL('../apps/server/fixtures/samples/pipl.md', import.meta.url)), 'markdown');
const sentences = pipl.text.split('\n\n').flatMap((p) => p.replace(/^第\S+条 /, '').split(/(?<=[。；：])/)).filter((s) => s.length >= 8);
const clauses = sentences.flatMap((s) => s.split(/[，、；：。]/)).filter((c) => c.length >= 4);
const piplWords = [...new Set(tokenize(pipl.text))].filter((w) => w.length >= 2);

const require = createRequire(import.meta.url);
const dictFile = require.resolve('@node-rs/jieba/dict.txt', { paths: [new URL('../apps/server/', import.meta.url).pathname] });
const words = [];
const cumulative = [];
let total = 0;
for (const line of readFileSync(dictFile, 'utf8').split('\n')) {
  const [word, freq, tag] = line.split(' ');
  if (!word || !/^\p{Script=Han}+$/u.test(word) || !/^(n|v|vn|a|ad|d|nz|ns|nt|nr|m|f|s|t|p|c|u|r|l|i)/.test(tag ?? '')) continue;
  total += Number(freq);
  words.push(word);
  cumulative.push(total);
}
/** A dictionary word, drawn by its corpus frequency. */
const frequentWord = () => {
  const x = random() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return words[lo];
};
// topic words: mid-frequency nouns, 300 per course
const nouns = words.filter((w, i) => w.length >= 2 && cumulative[i] - (cumulative[i - 1] ?? 0) > 20 && cumulative[i] - (cumulative[i - 1] ?? 0) < 3000);
const topics = Array.from({ length: COURSES }, () => Array.from({ length: 300 }, () => pick(nouns)));

const PUNCT = ['，', '，', '，', '、', '；'];
function syntheticSentence(topic) {
  let s = '';
  const n = 8 + Math.floor(random() * 18);
  for (let i = 0; i < n; i++) {
    s += random() < 0.25 ? pick(topic) : frequentWord();
    if (random() < 0.15) s += pick(PUNCT);
  }
  return s + '。';
}
function chunkText(course) {
  const target = 300 + Math.floor(random() * 300);
  let text = '';
  while (text.length < target) {
    const r = random();
    text += r < 0.2 ? pick(sentences) : r < 0.35 ? `${pick(clauses)}，${pick(clauses)}。` : syntheticSentence(topics[course]);
  }
  return text.slice(0, 600);
}

// --- build -------------------------------------------------------------------------------------
tokenize('预热分词器'); // load jieba's dictionary before measuring
const before = memory();
const index = new SearchIndex();
let buildMs = 0;
for (let i = 0; i < CHUNKS; i += 1000) {
  const batch = [];
  for (let j = i; j < Math.min(i + 1000, CHUNKS); j++) {
    const course = j % COURSES;
    batch.push({
      chunkId: `chunk-${j}`,
      materialId: `material-${course}-${Math.floor(j / COURSES) % 10}`,
      courseId: `course-${course}`,
      text: chunkText(course),
      location: `第${(j % 12) + 1}章 ${topics[course][j % 300]} › 第${(j % 80) + 1}条`,
      knowledgePointIds: [`kp-${course}-${j % 7}`],
    });
  }
  const t = performance.now();
  index.add(batch);
  buildMs += performance.now() - t;
}
const after = memory();

// --- queries -----------------------------------------------------------------------------------
const queries = Array.from({ length: QUERIES + 100 }, () => {
  const n = 2 + Math.floor(random() * 5);
  const terms = Array.from({ length: n }, () => (random() < 0.5 ? pick(piplWords) : frequentWord()));
  const filtered = random() < 0.3;
  const courseIds = filtered ? Array.from({ length: 1 + Math.floor(random() * 3) }, () => `course-${Math.floor(random() * COURSES)}`) : undefined;
  return { q: terms.join(' '), courseIds };
});
for (const { q, courseIds } of queries.slice(0, 100)) index.search(q, { courseIds }); // warm-up
const times = { all: [], unfiltered: [], filtered: [] };
let hits = 0;
for (const { q, courseIds } of queries.slice(100)) {
  const t = performance.now();
  hits += index.search(q, { courseIds }).length;
  const ms = performance.now() - t;
  times.all.push(ms);
  (courseIds ? times.filtered : times.unfiltered).push(ms);
}
const pct = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
};

const cpu = os.cpus();
const mb = (b) => (b / 1024 / 1024).toFixed(0);
console.log(`machine: ${cpu.length} × ${cpu[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log(`corpus:  ${index.size.toLocaleString('en')} chunks in ${COURSES} courses, ${index.materials().size.toLocaleString('en')} materials`);
console.log(`build:   ${(buildMs / 1000).toFixed(1)} s in index.add (${Math.round(CHUNKS / (buildMs / 1000)).toLocaleString('en')} chunks/s, tokenising included; generating the text not counted)`);
console.log(`memory:  ${mb(after.heap - before.heap)} MB heap + ${mb(after.buffers - before.buffers)} MB array buffers (chunk texts included)`);
console.log(`queries: ${QUERIES} (${times.filtered.length} filtered to 1–3 courses), ${(hits / QUERIES).toFixed(1)} hits each on average`);
console.log('                 p50 ms   p95 ms   p99 ms   max ms');
for (const [name, a] of Object.entries(times)) {
  if (!a.length) continue;
  console.log(`  ${name.padEnd(12)} ${[50, 95, 99, 100].map((p) => pct(a, p).toFixed(2).padStart(8)).join(' ')}`);
}
const p50 = pct(times.all, 50);
const p99 = pct(times.all, 99);
const ok = p50 < TARGET.p50 && p99 < TARGET.p99;
console.log(`target:  p50 < ${TARGET.p50} ms and p99 < ${TARGET.p99} ms — ${ok ? 'met' : 'NOT met'}`);
process.exitCode = ok ? 0 : 1;
