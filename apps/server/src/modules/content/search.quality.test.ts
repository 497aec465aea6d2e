import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractDocument, SearchIndex } from './index.js';
import { articlesIn } from './chunk.js';
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

/**
 * Held out: written before the thesaurus (synonyms.ts) existed, to check that tuning on the
 * questions above generalises. Before the thesaurus 7/10 were answered in the top 5; after, 8/10.
 * Not used for tuning since; the bar is lower because nothing was adjusted for these.
 */
const HELD_OUT: { q: string; article: string }[] = [
  { q: '个人信息泄露了可以找法院要赔偿吗', article: '第六十九条' },
  { q: '大型互联网平台要承担哪些额外义务', article: '第五十八条' },
  { q: '收集手机号码需要告诉用户用途吗', article: '第十七条' },
  { q: '国家机关能把个人信息存到国外吗', article: '第三十六条' },
  { q: '可以拒绝商家用算法给我推送广告吗', article: '第二十四条' },
  { q: '公开的个人信息别人可以随便用吗', article: '第二十七条' },
  { q: '谁负责监督个人信息保护工作', article: '第六十条' },
  { q: '个人信息处理者是什么意思', article: '第七十三条' },
  { q: '两个公司共同处理个人信息出了问题谁负责', article: '第二十条' },
  { q: '可以把我的数据转到另一家公司吗', article: '第四十五条' },
];

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

  /** Runs the questions and prints the rank table; returns how many were answered in the top 5. */
  const run = (title: string, questions: { q: string; article: string; also?: string[] }[]) => {
    const rows = questions.map(({ q, article, also = [] }) => {
      const wanted = [article, ...also].map(articleNo);
      const hits = index.search(q, { limit: 5 });
      const rank = hits.findIndex((h) => articlesIn(h.location).some((n) => wanted.includes(n)));
      return { q, article: [article, ...also].join('/'), rank: rank < 0 ? '—' : String(rank + 1), top: hits[0]?.location.split(' › ').at(-1) ?? '' };
    });
    const answered = rows.filter((r) => r.rank !== '—').length;
    const table = rows.map((r, i) => `${String(i + 1).padStart(2)}  ${r.rank.padStart(4)}  ${r.article.padEnd(24)} ${r.top.padEnd(16)} ${r.q}`).join('\n');
    console.log(`\n${title}\n #  rank  expected                 top-1 chunk      question\n${table}\nanswered in top 5: ${answered}/${questions.length}\n`);
    return answered;
  };

  it('answers at least 18 of 20 learner questions in the top 5', () => {
    expect(run('Questions', QUESTIONS)).toBeGreaterThanOrEqual(18);
  });

  it('answers at least 7 of 10 held-out questions in the top 5', () => {
    expect(run('Held-out questions', HELD_OUT)).toBeGreaterThanOrEqual(7);
  });
});
