import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractDocument, SearchIndex } from './index.js';
import { parseNumeral } from './numerals.js';

/**
 * Retrieval quality on the real sample: questions as a learner would type them (not article text),
 * each with the article that answers it. A question counts as answered when one of the top 5
 * chunks is located at that article (a chunk "第一章 总则 › 第一条–第三条" covers 第二条).
 * A few questions have more than one right answer; `also` lists the other articles that answer it.
 * The questions were written before looking at any ranking and have not been changed since.
 */
const QUESTIONS: { q: string; article: string; also?: string[] }[] = [
  { q: '处理敏感个人信息需要取得什么样的同意？', article: '第二十九条' },
  { q: '个人信息出境前要做哪些评估?', article: '第五十五条', also: ['第三十八条', '第四十条'] },
  { q: '未满十四周岁的未成年人信息怎么处理', article: '第三十一条' },
  { q: '违法处理个人信息最高罚多少钱', article: '第六十六条' },
  { q: '公司能不能把员工的个人信息提供给别的公司？需要员工同意吗', article: '第二十三条' },
  { q: '在商场里装摄像头拍人脸有什么要求', article: '第二十六条' },
  { q: '用户注销账号要求我们删掉他的数据，什么情况下必须删除？', article: '第四十七条' },
  { q: '发生数据泄露之后企业要通知谁？', article: '第五十七条' },
  { q: '什么是去标识化', article: '第七十三条' },
  { q: '用大数据给不同顾客定不同的价格合法吗', article: '第二十四条' },
  { q: '哪些信息属于敏感个人信息', article: '第二十八条' },
  { q: '个人信息最长能保存多长时间', article: '第十九条' },
  { q: '员工能要求查看和复制公司保存的自己的资料吗', article: '第四十五条' },
  { q: '用户可以撤回之前给的同意吗？撤回以后之前的处理还有效吗', article: '第十五条' },
  { q: '委托外包公司处理客户信息时要约定哪些内容', article: '第二十一条' },
  { q: '什么情况下需要指定个人信息保护负责人', article: '第五十二条' },
  { q: '外国公司在境外处理中国人的信息受不受这部法律管', article: '第三条' },
  { q: '人去世以后，家属能查看他的个人信息吗', article: '第四十九条' },
  { q: '这部法律从哪天开始实施', article: '第七十四条' },
  { q: '公司需要定期做个人信息合规审计吗', article: '第五十四条' },
];

/** The article numbers a location covers: "… › 第一条–第三条" → [1, 2, 3]. */
export function articlesAt(location: string): number[] {
  const last = location.split(' › ').at(-1) ?? '';
  const m = /^第(.+?)条(?:–第(.+?)条)?$/.exec(last);
  if (!m) return [];
  const a = parseNumeral(m[1]!)!;
  const b = m[2] ? parseNumeral(m[2])! : a;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

const articleNo = (label: string) => parseNumeral(/^第(.+)条$/.exec(label)![1]!)!;

describe('retrieval quality on 《个人信息保护法》 (Markdown sample)', () => {
  const index = new SearchIndex();

  beforeAll(async () => {
    const doc = await extractDocument(readFileSync(new URL('../../../fixtures/samples/pipl.md', import.meta.url)), 'markdown');
    index.add(
      doc.chunks.map((c) => ({
        chunkId: `pipl-${c.index}`,
        materialId: 'pipl',
        courseId: 'pipl-course',
        text: c.text,
        location: c.location,
        knowledgePointIds: [],
      })),
    );
  });

  it('answers at least 18 of 20 learner questions in the top 5', () => {
    const rows = QUESTIONS.map(({ q, article, also = [] }) => {
      const wanted = [article, ...also].map(articleNo);
      const hits = index.search(q, { limit: 5 });
      const rank = hits.findIndex((h) => articlesAt(h.location).some((n) => wanted.includes(n)));
      return { q, article: [article, ...also].join('/'), rank: rank < 0 ? '—' : String(rank + 1), top: hits[0]?.location.split(' › ').at(-1) ?? '' };
    });
    const answered = rows.filter((r) => r.rank !== '—').length;
    const table = rows.map((r, i) => `${String(i + 1).padStart(2)}  ${r.rank.padStart(4)}  ${r.article.padEnd(24)} top 1: ${r.top.padEnd(18)} ${r.q}`).join('\n');
    console.log(`\n #  rank  expected                 top hit                   question\n${table}\nanswered in top 5: ${answered}/20\n`);
    expect(answered).toBeGreaterThanOrEqual(18);
  });
});
