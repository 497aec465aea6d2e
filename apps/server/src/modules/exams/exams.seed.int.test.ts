import { attemptSchema, myExamsSchema, questionContentSchema } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, createTestApp, DEMO_PASSWORD, login, seedAndLogin, type TestApp } from '../../test/harness.js';
import { seedDemoCourse } from '../courses/index.js';
import { DEMO_BANK_NAME, DEMO_EXAM_TITLE, seedDemoExam, waitForDemoMaterials, type DemoExamDeps } from './index.js';

describe(`demo exam seed (${backend})`, () => {
  let t: TestApp;
  let deps: DemoExamDeps;
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndLogin(t, []);
    const c = t.container;
    deps = { db: c.database.db, questions: c.questions, knowledgePoints: c.courses.knowledgePoints, papers: c.exams.papers, exams: c.exams.exams };
  });
  afterAll(() => t.close());

  const counts = async () => {
    const db = t.container.database.db;
    const n = async (table: 'question_banks' | 'questions' | 'question_versions' | 'papers' | 'exams' | 'knowledge_points') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { banks: await n('question_banks'), questions: await n('questions'), versions: await n('question_versions'), papers: await n('papers'), exams: await n('exams'), kps: await n('knowledge_points') };
  };

  it('needs the demo course; then imports the bank with citations, builds a random paper and opens the exam to the learners, once', async () => {
    expect(await seedDemoExam(deps)).toEqual({ seeded: false, questions: 0, cited: 0 });
    const { materials, learning } = t.container.courses;
    await seedDemoCourse(t.container.database.db, materials, learning);
    t.container.queue.start();
    expect(await waitForDemoMaterials(t.container.database.db, 60_000)).toBe(true);

    const first = await seedDemoExam(deps);
    expect(first).toMatchObject({ seeded: true, questions: 40 });
    // Every quote of the fixture is found in the extracted statute.
    expect(first.cited).toBe(40);
    const db = t.container.database.db;
    const bank = await db.selectFrom('question_banks').selectAll().where('name', '=', DEMO_BANK_NAME).executeTakeFirstOrThrow();
    expect(bank.course_id).not.toBeNull();
    const rows = await db.selectFrom('questions').innerJoin('question_versions', 'question_versions.id', 'questions.current_version_id').select(['questions.type', 'question_versions.content']).where('questions.bank_id', '=', bank.id).execute();
    const byType = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.type]: (acc[r.type] ?? 0) + 1 }), {});
    expect(byType).toEqual({ single: 14, multiple: 8, true_false: 8, fill_blank: 6, short_answer: 4 });
    const contents = rows.map((r) => questionContentSchema.parse(JSON.parse(r.content)));
    const chunkIds = contents.map((c) => c.source?.chunkId).filter((id): id is string => Boolean(id));
    expect(chunkIds).toHaveLength(40);
    const chunks = await db.selectFrom('chunks').select(['id', 'text']).where('id', 'in', chunkIds).execute();
    expect(new Set(chunks.map((c) => c.id)).size).toBe(new Set(chunkIds).size);
    // The questions' knowledge points are confirmed knowledge points of the course.
    const kps = await db.selectFrom('knowledge_points').select(['name', 'status']).where('course_id', '=', bank.course_id!).execute();
    const used = new Set(contents.flatMap((c) => c.knowledgePoints));
    expect(used.size).toBe(6);
    for (const name of used) expect(kps.find((k) => k.name === name)?.status).toBe('confirmed');

    // Seeding twice changes nothing.
    const before = await counts();
    expect((await seedDemoExam(deps)).seeded).toBe(false);
    expect(await counts()).toEqual(before);
    expect(before).toMatchObject({ banks: 1, questions: 40, versions: 40, papers: 1, exams: 1 });

    // A demo learner sees the open exam and can start it: 24 questions drawn by the paper's rules.
    const learner = await login(t, 'learner01', DEMO_PASSWORD);
    const mine = myExamsSchema.parse((await t.app.inject({ method: 'GET', url: '/api/v1/me/exams', headers: learner.headers })).json());
    const exam = mine.available.find((e) => e.title === DEMO_EXAM_TITLE)!;
    expect(exam).toMatchObject({ durationMinutes: 30, attemptsAllowed: 3, passMark: 60, questionCount: 24, totalPoints: 100, attemptsUsed: 0 });
    expect(exam.opensAt).toBeLessThan(Date.now() - 23 * 3600_000);
    expect(exam.closesAt).toBeGreaterThan(Date.now() + 29 * 24 * 3600_000);
    const started = await t.app.inject({ method: 'POST', url: `/api/v1/exams/${exam.id}/attempts`, headers: learner.headers });
    expect(started.statusCode, started.body).toBe(201);
    const view = attemptSchema.parse(started.json());
    expect(view.questions).toHaveLength(24);
    const drawn = view.questions.reduce<Record<string, number>>((acc, q) => ({ ...acc, [q.type]: (acc[q.type] ?? 0) + 1 }), {});
    expect(drawn).toEqual({ single: 10, multiple: 5, true_false: 5, fill_blank: 3, short_answer: 1 });
    expect(view.questions.reduce((sum, q) => sum + q.points, 0)).toBe(100);
    // Every demo learner's department is invited.
    const other = await login(t, 'learner04', DEMO_PASSWORD);
    const theirs = myExamsSchema.parse((await t.app.inject({ method: 'GET', url: '/api/v1/me/exams', headers: other.headers })).json());
    expect(theirs.available.map((e) => e.title)).toContain(DEMO_EXAM_TITLE);
  }, 120_000);
});
