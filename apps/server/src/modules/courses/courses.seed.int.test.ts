import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, login, seedAndLogin, DEMO_PASSWORD, type TestApp } from '../../test/harness.js';
import { seedDemoCourse } from './courses.seed.js';

describe('demo course seed', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndLogin(t, []);
    t.container.queue.start();
  });
  afterAll(() => t.close());

  it('uploads the three sample files through the real path, extracts them and assigns the learners', async () => {
    const { materials, learning } = t.container.courses;
    expect(await seedDemoCourse(t.container.database.db, materials, learning)).toEqual({ seeded: true });
    expect(await seedDemoCourse(t.container.database.db, materials, learning)).toEqual({ seeded: false });
    const learner = await login(t, 'learner01', DEMO_PASSWORD);
    const mine = (await t.app.inject({ method: 'GET', url: '/api/v1/me/courses', headers: learner.headers })).json();
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ title: '《个人信息保护法》合规培训', required: true });
    const until = Date.now() + 60_000;
    let detail;
    do {
      await new Promise((r) => setTimeout(r, 200));
      detail = (await t.app.inject({ method: 'GET', url: `/api/v1/courses/${mine[0].id}`, headers: learner.headers })).json();
    } while (detail.chapters[0].materials.some((m: { status: string }) => m.status === 'processing') && Date.now() < until);
    expect(detail.chapters[0].materials.map((m: { kind: string; status: string }) => `${m.kind}:${m.status}`).sort()).toEqual(['docx:ready', 'markdown:ready', 'pdf:ready']);
    const enrolled = await t.container.database.db.selectFrom('enrolments').select('user_id').execute();
    expect(enrolled).toHaveLength(20);
  }, 90_000);
});
