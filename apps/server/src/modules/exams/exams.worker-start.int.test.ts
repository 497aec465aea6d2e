import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createContainer } from '../../container.js';
import { startProcess } from '../../platform/lifecycle.js';
import { backend, isolatedEnv, seedAndLogin, type TestApp, type TestEnv } from '../../test/harness.js';
import { examKit, SAMPLE_QUESTIONS, TYPES } from './exams.test-support.js';

/** Full marks of the sample set except the short answer (waiting for a grade): 2 + 3 + 1 + 2. */
const OBJECTIVE_FULL = 8;

describe(`a worker starting up (${backend})`, () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await isolatedEnv({ EXAM_GRACE_MS: '1000' });
  });
  afterAll(() => env.cleanup());

  async function boot(): Promise<TestApp> {
    const config = loadConfig(env.env);
    const container = await createContainer(config);
    const app = await buildApp(container);
    await app.ready();
    return {
      app,
      container,
      config,
      close: async () => {
        await app.close();
        await container.close();
      },
    };
  }

  it('submits attempts that ran out while no server was up at once, without waiting for the scheduler', async () => {
    const p = await boot();
    const s = await seedAndLogin(p, ['instructor', 'learner01']);
    const kit = examKit(p, s.instructor);
    const { examId, ids } = await kit.openExam([s.learner01.userId]);
    const attemptId = (await kit.call('POST', `/api/v1/exams/${examId}/attempts`, s.learner01)).json().id as string;
    for (const [i, type] of TYPES.entries()) {
      expect((await kit.call('PUT', `/api/v1/attempts/${attemptId}/answers/${ids[type]}`, s.learner01, { answer: SAMPLE_QUESTIONS[type].right, seq: i + 1 })).statusCode).toBe(200);
    }
    // The deadline passes while every process is down.
    await p.container.database.db.updateTable('attempts').set({ deadline_at: Date.now() - 10 * 60_000 }).where('id', '=', attemptId).execute();
    await p.close();

    // A worker (no scheduler in this process) comes up: its start-up sweep submits the attempt with every saved answer.
    const container = await createContainer(loadConfig(env.env));
    const proc = await startProcess(container, 'worker');
    try {
      expect(proc.app).toBeNull();
      await proc.startupTasks;
      const row = await container.database.db.selectFrom('attempts').selectAll().where('id', '=', attemptId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ status: 'submitted', submit_reason: 'timeout', pending_count: 1 });
      expect(Number(row.score)).toBe(OBJECTIVE_FULL);
      const grades = await container.database.db.selectFrom('attempt_grades').select('question_id').where('attempt_id', '=', attemptId).execute();
      expect(grades).toHaveLength(TYPES.length);
    } finally {
      await proc.shutdown('test');
    }
  }, 60_000);
});
