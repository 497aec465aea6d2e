import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createContainer } from '../../container.js';
import { startProcess } from '../../platform/lifecycle.js';
import { backend, isolatedEnv, seedAndLogin, type TestEnv } from '../../test/harness.js';
import { bootOn, examKit, TYPES } from './exams.test-support.js';

/** Full marks of the sample set except the short answer (waiting for a grade): 2 + 3 + 1 + 2. */
const OBJECTIVE_FULL = 8;

describe(`a worker starting up (${backend})`, () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await isolatedEnv({ EXAM_GRACE_MS: '1000' });
  });
  afterAll(() => env.cleanup());

  it('submits attempts that ran out while no server was up at once, without waiting for the scheduler', async () => {
    const p = await bootOn(env);
    const s = await seedAndLogin(p, ['instructor', 'learner01']);
    const kit = examKit(p, s.instructor);
    const { examId, ids } = await kit.openExam([s.learner01.userId]);
    const attemptId = await kit.start(s.learner01, examId);
    await kit.answerAll(s.learner01, attemptId, ids);
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
