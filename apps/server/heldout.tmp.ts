import { readFileSync } from 'node:fs';
import { extractDocument, SearchIndex } from './src/modules/content/index.js';
import { parseNumeral } from './src/modules/content/numerals.js';
function articlesAt(location: string): number[] {
  const last = location.split(' › ').at(-1) ?? '';
  const m = /^第(.+?)条(?:–第(.+?)条)?$/.exec(last);
  if (!m) return [];
  const a = parseNumeral(m[1]!)!;
  const b = m[2] ? parseNumeral(m[2])! : a;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}
const HELD = [
  ['个人信息泄露了可以找法院要赔偿吗', '第六十九条'],
  ['大型互联网平台要承担哪些额外义务', '第五十八条'],
  ['收集手机号码需要告诉用户用途吗', '第十七条'],
  ['国家机关能把个人信息存到国外吗', '第三十六条'],
  ['可以拒绝商家用算法给我推送广告吗', '第二十四条'],
  ['公开的个人信息别人可以随便用吗', '第二十七条'],
  ['谁负责监督个人信息保护工作', '第六十条'],
  ['个人信息处理者是什么意思', '第七十三条'],
  ['两个公司共同处理个人信息出了问题谁负责', '第二十条'],
  ['可以把我的数据转到另一家公司吗', '第四十五条'],
];
const doc = await extractDocument(readFileSync('apps/server/fixtures/samples/pipl.md'), 'markdown');
const idx = new SearchIndex();
idx.add(doc.chunks.map((c) => ({ chunkId: 'c' + c.index, materialId: 'm', courseId: 'k', text: c.text, location: c.location, knowledgePointIds: [] })));
let ok = 0;
for (const [q, a] of HELD) {
  const n = parseNumeral(a.slice(1, -1));
  const hits = idx.search(q, { limit: 5 });
  const r = hits.findIndex((h) => articlesAt(h.location).includes(n));
  if (r >= 0) ok++;
  console.log(r < 0 ? '—' : r + 1, a, q);
}
console.log('held-out', ok, '/10');
