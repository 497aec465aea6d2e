import { beforeAll, describe, expect, it } from 'vitest';
import type { SourceChunk, StreamEvent, TutorAnswerInput } from '../capabilities.js';
import { sampleChunks } from './fixtures.js';
import { NO_ANSWER, tutorAnswer } from './tutor.js';

let chunks: SourceChunk[];
beforeAll(async () => {
  chunks = await sampleChunks();
});

async function ask(input: Omit<TutorAnswerInput, 'passages'>, options?: { signal?: AbortSignal }) {
  const events: StreamEvent[] = [];
  for await (const e of tutorAnswer({ ...input, passages: chunks }, options)) events.push(e);
  const text = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
  const citations = events.flatMap((e) => (e.type === 'citation' ? [e] : []));
  return { events, text, citations };
}

describe('builtin tutorAnswer', () => {
  it('answers 「处理敏感个人信息需要什么条件」 from the sensitive-information articles, citing them', async () => {
    const { text, citations, events } = await ask({ question: '处理敏感个人信息需要什么条件' });
    expect(citations.length).toBeGreaterThanOrEqual(1);
    expect(citations.length).toBeLessThanOrEqual(3);
    const first = citations[0]!;
    expect(first.citation).toContain('敏感个人信息的处理规则');
    expect(first.quote).toContain('敏感个人信息');
    expect(text).toContain('单独同意');
    for (const c of citations) {
      const chunk = chunks.find((x) => x.chunkId === c.chunkId)!;
      expect(chunk.text).toContain(c.quote);
      expect(c.materialId).toBe(chunk.materialId);
      expect(text).toContain(c.quote.replace(/\n+/g, '').slice(0, 20));
    }
    expect(text).toMatch(/\[1\]/);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    expect(done.type === 'done' && done.usage!.completionTokens).toBeGreaterThan(10);
    // Streamed in small pieces, not one block.
    expect(events.filter((e) => e.type === 'delta').length).toBeGreaterThan(5);
  });

  it('answers from retrieved passages that all share the subject, quoting each sentence once across copies', async () => {
    // What the tutor route passes: the few chunks search found (all about 敏感个人信息), here from
    // three copies of the same material, as in the demo course (PDF, DOCX and Markdown).
    const found = chunks.filter((c) => c.text.includes('敏感个人信息')).slice(0, 2);
    const copies = [1, 2, 3].flatMap((n) => found.map((c) => ({ ...c, chunkId: `${c.chunkId}-${n}`, materialId: `copy-${n}` })));
    const events: StreamEvent[] = [];
    for await (const e of tutorAnswer({ question: '处理敏感个人信息需要满足什么条件？', passages: copies })) events.push(e);
    const text = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    const quotes = events.flatMap((e) => (e.type === 'citation' ? [e.quote.replace(/\s+/g, '')] : []));
    expect(text).not.toBe(NO_ANSWER);
    expect(quotes.length).toBeGreaterThanOrEqual(1);
    expect(new Set(quotes).size).toBe(quotes.length);
    expect(quotes.some((q) => q.includes('敏感个人信息'))).toBe(true);
  });

  it('finds the retention rule for 「个人信息可以保存多久」', async () => {
    const { citations } = await ask({ question: '个人信息可以保存多久' });
    expect(citations[0]!.quote).toContain('保存期限应当为实现处理目的所必要的最短时间');
  });

  it('says so when the passages do not answer the question, without citations', async () => {
    const { text, citations } = await ask({ question: '今天天气怎么样，适合去爬山吗' });
    expect(text).toBe(NO_ANSWER);
    expect(citations).toEqual([]);
  });

  it('uses the previous question for a short follow-up', async () => {
    const alone = await ask({ question: '那罚款呢？' });
    const followUp = await ask({ question: '那罚款呢？', history: [{ role: 'user', content: '违反个人信息保护法处理个人信息会受到什么处罚' }] });
    expect(followUp.citations[0]!.citation).toContain('法律责任');
    expect(followUp.text).toContain('罚款');
    expect(alone.text).not.toBe(followUp.text);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const it = tutorAnswer({ question: '处理敏感个人信息需要什么条件', passages: chunks }, { signal: controller.signal })[Symbol.asyncIterator]();
    await it.next();
    controller.abort(new Error('client went away'));
    await expect(it.next()).rejects.toThrow('client went away');
  });
});
