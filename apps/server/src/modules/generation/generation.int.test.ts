import { readFileSync } from 'node:fs';
import { candidateSchema, generationJobSchema, type Candidate, type GenerationJob } from '@kpl/shared';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { SAMPLE_URL } from '../ai/builtin/fixtures.js';
import { GenerationRepository } from './generation.repository.js';
import { GenerationJobsService } from './jobs.service.js';
import type { GeneratedCandidate } from '../ai/capabilities.js';
import type { GenerationPorts } from './ports.js';

let t: TestApp;
let admin: Session;
let instructor: Session;
let other: Session;
let learner: Session;
let manager: Session;
let courseId: string;
let materialId: string;
let bankId: string;
let job: GenerationJob;
let materialText: string;

type Method = 'GET' | 'POST' | 'PATCH';
const call = (who: Session, method: Method, url: string, payload?: unknown) => t.app.inject({ method, url, headers: who.headers, payload: payload as object });
const squeeze = (s: string) => s.replace(/\s+/g, '');

async function finished(who: Session, id: string): Promise<GenerationJob> {
  for (let i = 0; i < 400; i++) {
    const r = await call(who, 'GET', `/api/v1/ai/generation-jobs/${id}`);
    const body = generationJobSchema.parse(r.json());
    if (body.status === 'completed' || body.status === 'failed') return body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('generation job did not finish');
}

async function queue(who: Session, query: string): Promise<Candidate[]> {
  const r = await call(who, 'GET', `/api/v1/ai/review-queue?pageSize=200&${query}`);
  expect(r.statusCode, r.body).toBe(200);
  return (r.json().items as unknown[]).map((i) => candidateSchema.parse(i));
}

const decide = async (who: Session, payload: unknown) => {
  const r = await call(who, 'POST', '/api/v1/ai/review-queue/decisions', payload);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { approved: { id: string; questionId: string }[]; rejected: string[]; skipped: { id: string; reason: string }[] };
};

beforeAll(async () => {
  t = await createTestApp();
  ({ admin, instructor, learner01: learner, manager } = await seedAndLogin(t, ['admin', 'instructor', 'learner01', 'manager']));
  // A second instructor: sees neither the first one's jobs nor their candidates.
  const created = await call(admin, 'POST', '/api/v1/users', { username: 'instructor2', password: 'Passw0rd!', displayName: '讲师二', role: 'instructor' });
  expect(created.statusCode, created.body).toBe(201);
  other = await login(t, 'instructor2', 'Passw0rd!');
  t.container.queue.start();

  courseId = (await call(instructor, 'POST', '/api/v1/courses', { title: '个人信息保护法培训' })).json().id;
  const fd = new FormData();
  fd.append('file', new Blob([readFileSync(SAMPLE_URL)]), 'pipl.md');
  materialId = (await t.app.inject({ method: 'POST', url: `/api/v1/courses/${courseId}/materials`, headers: instructor.headers, payload: fd })).json().id;
  for (let i = 0; i < 400; i++) {
    const m = await call(instructor, 'GET', `/api/v1/materials/${materialId}`);
    if (m.json().status !== 'processing') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  materialText = (await call(instructor, 'GET', `/api/v1/materials/${materialId}/text`)).json().text;
  // Published, so the second instructor can see the course (but not use the first one's bank).
  expect((await call(instructor, 'PATCH', `/api/v1/courses/${courseId}`, { status: 'published' })).statusCode).toBe(200);
  bankId = (await call(instructor, 'POST', '/api/v1/question-banks', { name: '个人信息保护法题库', courseId })).json().id;

  const res = await call(instructor, 'POST', '/api/v1/ai/generation-jobs', { courseId, types: ['single', 'multiple', 'true_false', 'fill_blank', 'short_answer'], count: 20, bankId });
  expect(res.statusCode, res.body).toBe(202);
  expect(res.json()).toMatchObject({ status: 'queued', progress: 0, courseId, materialIds: [materialId], bankId, stats: null });
  job = await finished(instructor, res.json().id);
});
afterAll(() => t.close());

describe('question generation: job → validated candidates', () => {
  it('completes with progress, counts and figures', () => {
    expect(job.status).toBe('completed');
    expect(job.progress).toBe(100);
    expect(job.finishedAt).not.toBeNull();
    const stats = job.stats!;
    expect(stats.candidates).toBe(20);
    expect(stats.passRate).toBeGreaterThanOrEqual(0.9);
    expect(stats.valid + stats.invalid).toBe(20);
    expect(job.counts).toMatchObject({ total: 20, pending: stats.valid, invalid: stats.invalid, approved: 0, rejected: 0 });
    expect(Object.keys(stats.byType).sort()).toEqual(['fill_blank', 'multiple', 'short_answer', 'single', 'true_false']);
    expect(Object.values(stats.keyDistribution.single).reduce((a, b) => a + b, 0)).toBe(stats.byType.single);
    expect(stats.keyDistribution.trueFalse.true + stats.keyDistribution.trueFalse.false).toBe(stats.byType.true_false);
    expect(stats.longestIsKeyRate).not.toBeNull();
    expect(stats.chunks).toBeGreaterThan(10);
  });

  it('stores every candidate with its validation report and a source span that is in the material', async () => {
    const items = await queue(instructor, `jobId=${job.id}`);
    expect(items).toHaveLength(20);
    expect(items.map((c) => c.index)).toEqual([...Array(20).keys()]);
    for (const c of items) {
      expect(c.validation.valid).toBe(c.status === 'pending');
      expect(c.source!.materialId).toBe(materialId);
      expect(squeeze(materialText)).toContain(squeeze(c.source!.quote));
      expect(c.source!.citation).toMatch(/^pipl › /);
      expect(c.content!.source).toEqual(c.source);
    }
    const pending = await queue(instructor, `jobId=${job.id}&status=pending`);
    expect(pending.every((c) => c.status === 'pending')).toBe(true);
    expect(pending).toHaveLength(job.counts.pending);
    const singles = await queue(instructor, `jobId=${job.id}&type=single`);
    expect(singles.length).toBe(job.stats!.byType.single);
  });

  it('approves candidates in bulk: they become bank questions that keep the source citation', async () => {
    const pending = await queue(instructor, `jobId=${job.id}&status=pending`);
    const picked = pending.slice(0, 3);
    const result = await decide(instructor, { ids: picked.map((c) => c.id), decision: 'approve' });
    expect(result.approved.map((a) => a.id)).toEqual(picked.map((c) => c.id));
    expect(result.skipped).toEqual([]);
    for (const [i, a] of result.approved.entries()) {
      const q = await call(instructor, 'GET', `/api/v1/questions/${a.questionId}`);
      expect(q.statusCode, q.body).toBe(200);
      expect(q.json().bankId).toBe(bankId);
      expect(q.json().content.source).toEqual(picked[i]!.source);
      expect(q.json().content.type).toBe(picked[i]!.type);
    }
    const after = await queue(instructor, `jobId=${job.id}&status=approved`);
    expect(after.map((c) => c.questionId).sort()).toEqual(result.approved.map((a) => a.questionId).sort());
    const banks = (await call(instructor, 'GET', '/api/v1/question-banks?pageSize=200')).json().items as { id: string; questionCount: number }[];
    expect(banks.find((b) => b.id === bankId)?.questionCount).toBe(3);
    // Approving again does nothing.
    const again = await decide(instructor, { ids: [picked[0]!.id], decision: 'approve' });
    expect(again.approved).toEqual([]);
    expect(again.skipped[0]!.id).toBe(picked[0]!.id);
  });

  it('rejects candidates, which then cannot be approved', async () => {
    const pending = await queue(instructor, `jobId=${job.id}&status=pending`);
    const ids = pending.slice(0, 2).map((c) => c.id);
    expect((await decide(instructor, { ids, decision: 'reject' })).rejected).toEqual(ids);
    const late = await decide(instructor, { ids, decision: 'approve' });
    expect(late.approved).toEqual([]);
    expect(late.skipped.map((s) => s.id)).toEqual(ids);
    const rejected = await queue(instructor, `jobId=${job.id}&status=rejected`);
    expect(rejected.map((c) => c.id).sort()).toEqual([...ids].sort());
    expect(rejected.every((c) => c.reviewedBy === instructor.userId && c.reviewedAt)).toBe(true);
  });

  it('edits a candidate, validates it again, and approves the edited version', async () => {
    const [c] = await queue(instructor, `jobId=${job.id}&status=pending&type=true_false`);
    const content = { ...c!.content!, explanation: '审核时补充的解析。', difficulty: 2 };
    const edited = await call(instructor, 'PATCH', `/api/v1/ai/review-queue/${c!.id}`, { content });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ status: 'pending', validation: { valid: true }, content: { explanation: '审核时补充的解析。', difficulty: 2, source: c!.source } });
    const result = await decide(instructor, { ids: [c!.id], decision: 'approve' });
    const q = (await call(instructor, 'GET', `/api/v1/questions/${result.approved[0]!.questionId}`)).json();
    expect(q.content.explanation).toBe('审核时补充的解析。');
    expect(q.difficulty).toBe(2);
    expect(q.content.source.quote).toBe(c!.source!.quote);
    // A decided candidate can no longer be edited.
    expect((await call(instructor, 'PATCH', `/api/v1/ai/review-queue/${c!.id}`, { content })).statusCode).toBe(409);
  });

  it('an edit the source does not support makes the candidate invalid, with the reason; it can only be fixed or rejected', async () => {
    const [c] = await queue(instructor, `jobId=${job.id}&status=pending&type=fill_blank`);
    const wrong = { ...c!.content!, blanks: [{ accepted: ['完全无关的答案'] }, ...(c!.content!.type === 'fill_blank' ? c!.content!.blanks.slice(1) : [])] };
    const r = await call(instructor, 'PATCH', `/api/v1/ai/review-queue/${c!.id}`, { content: wrong });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().status).toBe('invalid');
    expect(r.json().validation.issues.map((i: { rule: string }) => i.rule)).toContain('key-support');
    expect((await decide(instructor, { ids: [c!.id], decision: 'approve' })).skipped).toHaveLength(1);
    // Fixing the cited quote is validated against the chunk too.
    const badQuote = await call(instructor, 'PATCH', `/api/v1/ai/review-queue/${c!.id}`, { content: c!.content, quote: '资料里没有这句话。' });
    expect(badQuote.json().validation.issues.map((i: { rule: string }) => i.rule)).toContain('source');
    const fixed = await call(instructor, 'PATCH', `/api/v1/ai/review-queue/${c!.id}`, { content: c!.content });
    expect(fixed.json().status).toBe('invalid'); // the bad quote stays until corrected
    const restored = await call(instructor, 'PATCH', `/api/v1/ai/review-queue/${c!.id}`, { content: c!.content, quote: c!.source!.quote });
    expect(restored.json()).toMatchObject({ status: 'pending', validation: { valid: true } });
    expect((await decide(instructor, { ids: [c!.id], decision: 'reject' })).rejected).toEqual([c!.id]);
  });

  it('flags candidates that repeat questions already in the bank', async () => {
    const res = await call(instructor, 'POST', '/api/v1/ai/generation-jobs', { courseId, types: ['single', 'multiple', 'true_false', 'fill_blank', 'short_answer'], count: 20, bankId });
    const second = await finished(instructor, res.json().id);
    const approved = (await queue(instructor, `jobId=${job.id}&status=approved`)).length;
    expect(second.stats!.duplicates).toBeGreaterThanOrEqual(approved);
    const dups = (await queue(instructor, `jobId=${second.id}`)).filter((c) => c.validation.duplicateOf?.kind === 'bank');
    expect(dups.length).toBeGreaterThanOrEqual(approved);
    for (const d of dups) expect(d.status).toBe('invalid');
  });

  it('restricts the material to the chunks of the given knowledge points', async () => {
    const kp = await call(instructor, 'POST', `/api/v1/courses/${courseId}/knowledge-points`, { name: '敏感个人信息' });
    expect(kp.statusCode, kp.body).toBe(201);
    const res = await call(instructor, 'POST', '/api/v1/ai/generation-jobs', { materialIds: [materialId], knowledgePointIds: [kp.json().id], types: ['true_false', 'fill_blank'], count: 4, bankId });
    expect(res.statusCode, res.body).toBe(202);
    const done = await finished(instructor, res.json().id);
    expect(done.stats!.chunks).toBeLessThan(job.stats!.chunks);
    const items = await queue(instructor, `jobId=${done.id}`);
    expect(items.length).toBeGreaterThan(0);
    for (const c of items) expect(c.source!.quote).toContain('敏感个人信息');
  });
});

describe('question generation: access and bad input', () => {
  it('needs ai.generate: learners and managers get 403', async () => {
    const body = { courseId, types: ['single'], count: 1, bankId };
    for (const who of [learner, manager]) {
      expect((await call(who, 'POST', '/api/v1/ai/generation-jobs', body)).statusCode).toBe(403);
      expect((await call(who, 'GET', '/api/v1/ai/review-queue')).statusCode).toBe(403);
    }
  });

  it('shows instructors only their own jobs and candidates; administrators see all and may review', async () => {
    expect((await call(other, 'GET', `/api/v1/ai/generation-jobs/${job.id}`)).json().error.code).toBe('ERR-AI-0007');
    expect(await queue(other, `jobId=${job.id}`)).toEqual([]);
    expect((await call(other, 'GET', '/api/v1/ai/generation-jobs')).json().total).toBe(0);
    const [c] = await queue(instructor, `jobId=${job.id}&status=pending`);
    const patch = await call(other, 'PATCH', `/api/v1/ai/review-queue/${c!.id}`, { content: c!.content });
    expect(patch.statusCode).toBe(404);
    expect(patch.json().error.code).toBe('ERR-AI-0008');
    const foreign = await decide(other, { ids: [c!.id], decision: 'reject' });
    expect(foreign).toEqual({ approved: [], rejected: [], skipped: [{ id: c!.id, reason: expect.any(String) }] });

    expect((await call(admin, 'GET', `/api/v1/ai/generation-jobs/${job.id}`)).statusCode).toBe(200);
    expect((await queue(admin, `jobId=${job.id}`)).length).toBe(20);
    expect((await call(admin, 'GET', '/api/v1/ai/generation-jobs')).json().total).toBeGreaterThanOrEqual(3);
    const byAdmin = await decide(admin, { ids: [c!.id], decision: 'approve' });
    expect(byAdmin.approved).toHaveLength(1);
    expect((await queue(admin, `jobId=${job.id}&status=approved`)).find((x) => x.id === c!.id)?.reviewedBy).toBe(admin.userId);
  });

  it('approves into another bank only when the reviewer may edit it', async () => {
    const otherBank = (await call(other, 'POST', '/api/v1/question-banks', { name: '讲师二的题库' })).json().id;
    const [c] = await queue(instructor, `jobId=${job.id}&status=pending`);
    const refused = await call(instructor, 'POST', '/api/v1/ai/review-queue/decisions', { ids: [c!.id], decision: 'approve', bankId: otherBank });
    expect(refused.statusCode).toBe(403);
    expect((await queue(instructor, `jobId=${job.id}&status=pending`)).map((x) => x.id)).toContain(c!.id);
    const ownBank = (await call(instructor, 'POST', '/api/v1/question-banks', { name: '另一个题库' })).json().id;
    const moved = await decide(instructor, { ids: [c!.id], decision: 'approve', bankId: ownBank });
    const q = (await call(instructor, 'GET', `/api/v1/questions/${moved.approved[0]!.questionId}`)).json();
    expect(q.bankId).toBe(ownBank);
  });

  it('refuses jobs it cannot run, before queueing them', async () => {
    const post = (who: Session, body: unknown) => call(who, 'POST', '/api/v1/ai/generation-jobs', body);
    const base = { types: ['single'], count: 2, bankId };
    expect((await post(instructor, { types: ['single'], count: 2, bankId })).statusCode).toBe(400); // neither course nor materials
    expect((await post(instructor, { ...base, courseId, count: 0 })).statusCode).toBe(400);
    expect((await post(instructor, { ...base, courseId, types: [] })).statusCode).toBe(400);
    expect((await post(instructor, { ...base, courseId: '0190a000-0000-7000-8000-000000000000' })).json().error.code).toBe('ERR-COURSE-0001');
    expect((await post(instructor, { ...base, materialIds: ['0190a000-0000-7000-8000-000000000000'] })).json().error.code).toBe('ERR-COURSE-0002');
    expect((await post(instructor, { ...base, courseId, bankId: '0190a000-0000-7000-8000-000000000000' })).json().error.code).toBe('ERR-QUESTION-0002');
    expect((await post(other, { ...base, courseId })).statusCode).toBe(403); // the bank is the first instructor's
    const emptyCourse = (await call(instructor, 'POST', '/api/v1/courses', { title: '空课程' })).json().id;
    expect((await post(instructor, { ...base, courseId: emptyCourse })).json().error.code).toBe('ERR-COURSE-0005');
    const otherBank = (await call(other, 'POST', '/api/v1/question-banks', { name: `讲师二题库${Date.now()}` })).json().id;
    expect((await post(other, { ...base, courseId: emptyCourse, bankId: otherBank })).json().error.code).toBe('ERR-COURSE-0001'); // a draft of someone else
    const foreignKp = (await call(instructor, 'POST', `/api/v1/courses/${emptyCourse}/knowledge-points`, { name: '其他课程的知识点' })).json().id;
    expect((await post(instructor, { ...base, courseId, knowledgePointIds: [foreignKp] })).json().error.code).toBe('ERR-COURSE-0007');
    const unlinked = (await call(instructor, 'POST', `/api/v1/courses/${courseId}/knowledge-points`, { name: '资料里没有的词' })).json().id;
    expect((await post(instructor, { ...base, courseId, knowledgePointIds: [unlinked] })).statusCode).toBe(409);
    expect((await call(instructor, 'GET', '/api/v1/ai/generation-jobs/0190a000-0000-7000-8000-000000000000')).json().error.code).toBe('ERR-AI-0007');
  });
});

describe('question generation: the job when the AI fails', () => {
  const ctx = (jobId: string, attempt: number) => ({
    id: 'j',
    name: 'generation.run',
    payload: { jobId },
    attempt,
    signal: new AbortController().signal,
    progress: async () => undefined,
    log: pino({ level: 'silent' }),
  });
  /** A jobs service on the test app's data with the given AI; jobs are run by hand, so no queue. */
  const jobsWith = (ai: GenerationPorts['ai']) => {
    const c = t.container;
    const ports: GenerationPorts = {
      ai,
      courses: c.courses.courses,
      materials: c.courses.repositories.materials,
      knowledgePoints: c.courses.repositories.knowledgePoints,
      questions: c.questions.service,
      banks: c.questions.banks,
      catalog: c.questions.catalog,
    };
    const noQueue = { enqueue: async () => 'x' } as unknown as ConstructorParameters<typeof GenerationJobsService>[2];
    return new GenerationJobsService(new GenerationRepository(c.database.db), ports, noQueue);
  };
  const asInstructor = () => ({ id: instructor.userId, username: 'instructor', displayName: '讲师', role: 'instructor' as const, departmentId: null, departmentPath: null, ip: null, requestId: null });

  it('retries a transient failure, then marks the job failed with the reason', async () => {
    const failing = jobsWith({
      generateQuestions: async () => {
        throw new Error('connection reset');
      },
    });
    const actor = asInstructor();
    const created = await failing.create(actor, { courseId, types: ['single'], count: 2, bankId });
    await expect(failing.run(ctx(created.id, 1))).rejects.toThrow('connection reset');
    expect((await failing.get(actor, created.id)).status).toBe('running');
    await expect(failing.run(ctx(created.id, 2))).resolves.toMatchObject({ failed: expect.any(String) });
    const after = await failing.get(actor, created.id);
    expect(after).toMatchObject({ status: 'failed', counts: { total: 0 } });
    expect(after.error).toContain('failed');
  });

  it('keeps what a misbehaving backend returns as invalid candidates, with reasons', async () => {
    const svc = jobsWith({
      // What an LLM backend may send back: not necessarily what the contract promises.
      generateQuestions: async (input) =>
        [
          { content: { type: 'single', stem: '编造的题目', options: [{ key: 'A', text: '甲' }, { key: 'B', text: '甲' }], correct: ['A'] }, source: { chunkId: input.chunks[0]!.chunkId, quote: '这句话不在资料里' } },
          { content: { type: 'nonsense' }, source: { chunkId: 'unknown', quote: 'x' } },
        ] as unknown as GeneratedCandidate[],
    });
    const actor = asInstructor();
    const created = await svc.create(actor, { courseId, types: ['single'], count: 2, bankId });
    await svc.run(ctx(created.id, 1));
    const done = await svc.get(actor, created.id);
    expect(done).toMatchObject({ status: 'completed', counts: { total: 2, invalid: 2, pending: 0 }, stats: { passRate: 0, failures: { source: 2, options: 1, schema: 1 } } });
    const [first, second] = await queue(instructor, `jobId=${created.id}`);
    expect(first!.validation.issues.map((i) => i.rule).sort()).toEqual(['key-support', 'options', 'source'].sort());
    expect(second!.content).toBeNull();
    expect(second!.raw).toContain('nonsense');
    expect(second!.source).toBeNull();
  });
});
