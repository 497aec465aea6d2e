// Question-generation report on the sample material (《个人信息保护法》, apps/server/fixtures/samples/pipl.md).
//
//   npm run report:generation        (node --conditions=source --import tsx scripts/generation-report.mjs)
//   npm run report:generation -- --count 60 --difficulty 3 --json
//
// Extracts the sample with the content module, runs the builtin (offline) generator for every
// question type, validates the candidates with the same validator the generation jobs use, and
// prints: candidates, validation pass rate, failures by rule, duplicate rate (within the batch and
// against a bank holding the batch already), key-position distribution, longest-option-is-key rate,
// and a few generated questions of each type. Deterministic: the same figures on every run.
import { parseArgs } from 'node:util';
import { createBuiltinCapabilities, sampleChunks, stripTags } from '../apps/server/src/modules/ai/builtin/index.ts';
import { LONGEST_KEY_FLAG_RATE, NEAR_DUPLICATE_THRESHOLD, validateBatch } from '../apps/server/src/modules/generation/validate.ts';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '60' }, difficulty: { type: 'string', default: '3' }, examples: { type: 'string', default: '2' }, json: { type: 'boolean', default: false } },
});
const count = Number(values.count);
const difficulty = Number(values.difficulty);
const TYPES = ['single', 'multiple', 'true_false', 'fill_blank', 'short_answer'];
const TYPE_NAMES = { single: '单选', multiple: '多选', true_false: '判断', fill_blank: '填空', short_answer: '简答' };

const chunks = await sampleChunks();
const ai = createBuiltinCapabilities();
const started = performance.now();
const generated = await ai.generateQuestions({ chunks, types: TYPES, count, difficulty });
const generationMs = performance.now() - started;
const chunkTexts = new Map(chunks.map((c) => [c.chunkId, { materialId: c.materialId, text: c.text }]));
const { results, stats } = validateBatch(
  generated.map((g, i) => ({ id: `c${i}`, content: g.content, source: g.source })),
  chunkTexts,
  [],
);
// The same batch once more, against a bank that already holds it: every candidate should be caught.
const rerun = validateBatch(
  generated.map((g, i) => ({ id: `r${i}`, content: g.content, source: g.source })),
  chunkTexts,
  results.filter((r) => r.content).map((r, i) => ({ kind: 'bank', id: `q${i}`, text: stripTags(r.content.stem) })),
);

const pct = (x) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const report = {
  material: 'apps/server/fixtures/samples/pipl.md',
  chunks: chunks.length,
  requested: { count, difficulty, types: TYPES },
  generationMs: Math.round(generationMs),
  stats,
  duplicateRateAgainstBankWithSameBatch: rerun.stats.duplicateRate,
};

if (values.json) {
  console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}

const line = (label, value) => console.log(`${label.padEnd(34)} ${value}`);
console.log(`# 出题报告 — builtin 引擎，样例资料《个人信息保护法》（${chunks.length} 个片段）\n`);
line('candidates / requested', `${stats.candidates} / ${count} (difficulty ${difficulty}, ${Math.round(generationMs)} ms)`);
line('by type', TYPES.map((t) => `${t} ${stats.byType[t] ?? 0}`).join(', '));
line('validation pass rate', `${pct(stats.passRate)} (${stats.valid} valid, ${stats.invalid} invalid)`);
line('failures by rule', Object.keys(stats.failures).length ? JSON.stringify(stats.failures) : 'none');
line(`duplicate rate (Jaccard ≥ ${NEAR_DUPLICATE_THRESHOLD})`, `${pct(stats.duplicateRate)} within the batch; ${pct(rerun.stats.duplicateRate)} when the bank already holds it`);
line('key positions — single', JSON.stringify(stats.keyDistribution.single));
line('key positions — multiple', JSON.stringify(stats.keyDistribution.multiple));
line('true / false', JSON.stringify(stats.keyDistribution.trueFalse));
line('keys balanced', stats.keyBalanced ? 'yes' : `no — ${stats.keyImbalance}`);
line('longest option is the key (single)', `${pct(stats.longestIsKeyRate)} (flag above ${pct(LONGEST_KEY_FLAG_RATE)}: ${stats.longestIsKeyFlagged ? 'FLAGGED' : 'ok'})`);

console.log('\n## 样题\n');
const examples = Number(values.examples);
for (const type of TYPES) {
  for (const r of results.filter((x) => x.content?.type === type).slice(0, examples)) {
    const c = r.content;
    console.log(`【${TYPE_NAMES[type]}】${stripTags(c.stem)}`);
    if (c.type === 'single' || c.type === 'multiple') {
      for (const o of c.options) console.log(`   ${c.correct.includes(o.key) ? '✔' : ' '} ${o.key}. ${stripTags(o.text)}`);
    }
    if (c.type === 'true_false') console.log(`   答案：${c.correct ? '正确' : '错误'}`);
    if (c.type === 'fill_blank') console.log(`   答案：${c.blanks.map((b) => b.accepted.join(' / ')).join('；')}`);
    if (c.type === 'short_answer') {
      for (const p of c.rubric) console.log(`   · ${p.point}（关键词：${p.keywords.join('、')}）`);
    }
    console.log(`   出处：${c.source?.citation ?? ''}${r.report.valid ? '' : `  ✗ ${r.report.issues.map((i) => i.message).join(' ')}`}\n`);
  }
}
