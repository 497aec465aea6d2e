import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../test/fixtures/test-jobs.js';
import { backend, REDIS_TEST_URL } from '../../test/harness.js';
import { createRedis } from '../redis.js';
import { BullmqQueue } from './bullmq-queue.js';
import type { JobOutcome, JobView } from './types.js';

const silent = pino({ level: 'silent' });

async function waitFor(q: BullmqQueue, id: string, done: (j: JobView) => boolean, timeoutMs = 15_000): Promise<JobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await q.get(id);
    if (job && done(job)) return job;
    if (Date.now() > until) throw new Error(`timed out; last state ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// BullMQ needs Redis: this runs in the MariaDB + Redis pass of the suite.
describe.runIf(backend === 'mysql')('BullMQ queue', () => {
  const prefix = `kpltest-${randomBytes(4).toString('hex')}`;
  const redis = createRedis(REDIS_TEST_URL, 'test');
  const outcomes: JobOutcome[] = [];
  let queue: BullmqQueue;
  beforeAll(async () => {
    await redis.connect();
    queue = new BullmqQueue({ connection: redis, prefix, concurrency: 2, logger: silent, observer: { onOutcome: (_n, o) => outcomes.push(o) } });
    let failures = 0;
    queue.register('test.work', async ({ payload, progress }) => {
      await progress(40);
      if (failures < (payload.failTimes ?? 0)) {
        failures++;
        throw new Error(`failure ${failures}`);
      }
      return { doubled: payload.value * 2 };
    });
    queue.start();
  });
  afterAll(async () => {
    await queue.stop(2000);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('runs a job and reports it completed with its result', async () => {
    const id = await queue.enqueue('test.work', { value: 4 });
    const job = await waitFor(queue, id, (j) => j.status === 'completed');
    expect(job).toMatchObject({ name: 'test.work', status: 'completed', result: { doubled: 8 }, attempts: 1 });
    expect(outcomes).toContain('completed');
    expect((await queue.counts()).completed).toBeGreaterThanOrEqual(1);
  });

  it('retries before succeeding', async () => {
    const id = await queue.enqueue('test.work', { value: 5, failTimes: 1 }, { maxAttempts: 3 });
    const job = await waitFor(queue, id, (j) => j.status === 'completed', 20_000);
    expect(job.attempts).toBe(2);
    expect(outcomes).toContain('retried');
  }, 30_000);

  it('returns null for an unknown job', async () => {
    expect(await queue.get('no-such-job')).toBeNull();
  });
});
