import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { examKit } from './exams.test-support.js';

const IP_LIMIT = 100;
const USER_LIMIT = 200;

/**
 * A classroom behind one NAT address: every request below comes from the same IP (inject's
 * 127.0.0.1). The exam-taking routes count per user, everything else per IP.
 */
describe(`rate limits of the exam-taking routes (${backend})`, () => {
  let t: TestApp;
  let s: Record<'instructor' | 'learner01' | 'learner02', Session>;
  let kit: ReturnType<typeof examKit>;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_MAX: String(IP_LIMIT), USER_RATE_LIMIT_MAX: String(USER_LIMIT) });
    s = await seedAndLogin(t, ['instructor', 'learner01', 'learner02']);
    kit = examKit(t, s.instructor);
  });
  afterAll(() => t.close());

  it('lets one user autosave 150 times a minute from a shared IP, limits them per user, and leaves other users alone', async () => {
    const { examId, ids } = await kit.openExam([s.learner01.userId, s.learner02.userId]);
    const start = async (who: Session) => (await kit.call('POST', `/api/v1/exams/${examId}/attempts`, who)).json().id as string;
    const first = await start(s.learner01);
    const save = (who: Session, attemptId: string, seq: number) => kit.call('PUT', `/api/v1/attempts/${attemptId}/answers/${ids.single}`, who, { answer: seq % 2 ? 'A' : 'B', seq });

    // 150 saves: well past the per-IP limit of 100, all accepted.
    const codes: number[] = [];
    for (let seq = 1; seq <= 150; seq++) codes.push((await save(s.learner01, first, seq)).statusCode);
    expect(codes.filter((c) => c !== 200)).toEqual([]);
    const resumed = await kit.call('GET', `/api/v1/attempts/${first}`, s.learner01);
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json().answers.find((a: { questionId: string }) => a.questionId === ids.single)).toMatchObject({ seq: 150, answer: 'B' });

    // The same user is limited per user: the 201st save in the window is refused in the error shape.
    for (let seq = 151; seq <= USER_LIMIT; seq++) expect((await save(s.learner01, first, seq)).statusCode).toBe(200);
    const over = await save(s.learner01, first, USER_LIMIT + 1);
    expect(over.statusCode).toBe(429);
    expect(over.json().error).toMatchObject({ code: 'ERR-COMMON-0006', details: { limit: USER_LIMIT } });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);

    // Another learner on the same address is unaffected, for saves and proctoring events alike.
    const second = await start(s.learner02);
    for (let seq = 1; seq <= 20; seq++) expect((await save(s.learner02, second, seq)).statusCode).toBe(200);
    const events = await kit.call('POST', `/api/v1/attempts/${second}/events`, s.learner02, { events: [{ kind: 'tab_hidden', at: Date.now() }] });
    expect(events.statusCode).toBe(200);
  });

  it('keeps the per-IP limit everywhere else, for anonymous callers too', async () => {
    const codes: number[] = [];
    for (let i = 0; i < IP_LIMIT + 1; i++) codes.push((await t.app.inject({ method: 'GET', url: '/api/v1/system/dependencies' })).statusCode);
    expect(codes).toContain(429);
    // A signed-in user's ordinary route shares that per-IP budget (it is spent by now).
    expect((await kit.call('GET', '/api/v1/me/exams', s.learner02)).statusCode).toBe(429);
    // A request without a token to a per-user route is refused by the access check, not counted.
    const anonymous = await t.app.inject({ method: 'PUT', url: `/api/v1/attempts/01900000-0000-7000-8000-000000000000/answers/x`, payload: { answer: 'A', seq: 1 } });
    expect(anonymous.statusCode).toBe(401);
  });
});
