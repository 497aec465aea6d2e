import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../test/fixtures/test-jobs.js';
import { backend, isolatedEnv, type TestEnv } from '../../test/harness.js';
import { createDatabase, type Database } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import { DatabaseQueue } from './database-queue.js';
import type { JobOutcome, JobView } from './types.js';

const silent = pino({ level: 'silent' });

async function waitFor(fn: () => Promise<JobView | null>, done: (j: JobView) => boolean, timeoutMs = 10_000): Promise<JobView> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await fn();
    if (job && done(job)) return job;
    if (Date.now() > until) throw new Error(`timed out; last state ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe(`database queue on ${backend}`, () => {
  let env: TestEnv;
  let database: Database;
  beforeAll(async () => {
    env = await isolatedEnv();
    database = createDatabase(env.env.DATABASE_URL!);
    await migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database.close();
    await env.cleanup();
  });

  it('runs a job, records progress and result, and reports outcomes', async () => {
    const outcomes: JobOutcome[] = [];
    const queue = new DatabaseQueue(database.db, {
      concurrency: 2,
      leaseMs: 5000,
      pollMs: 20,
      logger: silent,
      observer: { onOutcome: (_n, o) => outcomes.push(o) },
    });
    const seen: number[] = [];
    queue.register('test.work', async ({ payload, progress }) => {
      await progress(50);
      seen.push(payload.value);
      return { doubled: payload.value * 2 };
    });
    const id = await queue.enqueue('test.work', { value: 21 });
    expect((await queue.get(id))?.status).toBe('queued');
    queue.start();
    const job = await waitFor(() => queue.get(id), (j) => j.status === 'completed');
    await queue.stop(1000);
    expect(job).toMatchObject({ status: 'completed', progress: 100, attempts: 1, result: { doubled: 42 }, error: null });
    expect(seen).toEqual([21]);
    expect(outcomes).toEqual(['completed']);
    expect((await queue.counts()).completed).toBeGreaterThanOrEqual(1);
  });

  it('retries a failing job, then fails it for good after max attempts', async () => {
    const queue = new DatabaseQueue(database.db, { concurrency: 1, leaseMs: 5000, pollMs: 20, logger: silent });
    let calls = 0;
    queue.register('test.work', async ({ payload }) => {
      calls++;
      if (calls <= (payload.failTimes ?? 0)) throw new Error(`failure ${calls}`);
      return 'ok';
    });
    // Make retries immediate: the backoff's run_at is moved to now by the test.
    const flush = setInterval(() => void database.db.updateTable('jobs').set({ run_at: 0 }).where('status', '=', 'queued').execute(), 30);
    try {
      queue.start();
      const retried = await queue.enqueue('test.work', { value: 1, failTimes: 2 }, { maxAttempts: 3 });
      const ok = await waitFor(() => queue.get(retried), (j) => j.status === 'completed');
      expect(ok.attempts).toBe(3);
      calls = 0;
      const doomed = await queue.enqueue('test.work', { value: 1, failTimes: 99 }, { maxAttempts: 2 });
      const failed = await waitFor(() => queue.get(doomed), (j) => j.status === 'failed');
      expect(failed).toMatchObject({ attempts: 2, error: 'failure 2' });
    } finally {
      clearInterval(flush);
      await queue.stop(1000);
    }
  });

  it('never runs a job twice when two workers compete', async () => {
    const runs = new Map<number, number>();
    const make = () => {
      const q = new DatabaseQueue(database.db, { concurrency: 3, leaseMs: 5000, pollMs: 10, logger: silent });
      q.register('test.work', async ({ payload }) => {
        runs.set(payload.value, (runs.get(payload.value) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 5));
      });
      return q;
    };
    const a = make();
    const b = make();
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push(await a.enqueue('test.work', { value: 1000 + i }));
    a.start();
    b.start();
    for (const id of ids) await waitFor(() => a.get(id), (j) => j.status === 'completed');
    await Promise.all([a.stop(1000), b.stop(1000)]);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(runs.size).toBe(20);
  });

  it('resumes a job whose worker process was killed mid-run', async () => {
    const marker = join(env.dataDir, `started-${Date.now()}`);
    const producer = new DatabaseQueue(database.db, { concurrency: 1, leaseMs: 800, logger: silent });
    const id = await producer.enqueue('test.hang', { marker });

    const fixture = fileURLToPath(new URL('../../test/fixtures/hanging-worker.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
      env: { ...process.env, DATABASE_URL: env.env.DATABASE_URL, JOB_LEASE_MS: '800' },
      stdio: 'inherit',
    });
    try {
      const until = Date.now() + 20_000;
      while (!existsSync(marker)) {
        if (Date.now() > until) throw new Error('the worker never started the job');
        await new Promise((r) => setTimeout(r, 50));
      }
      expect((await producer.get(id))?.status).toBe('running');
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((r) => child.once('exit', r));

    // A fresh worker (the "restarted" process) takes the job over once the dead worker's lease lapses.
    const restarted = new DatabaseQueue(database.db, { concurrency: 1, leaseMs: 800, pollMs: 50, logger: silent });
    restarted.register('test.hang', async () => 'finished after restart');
    restarted.start();
    const job = await waitFor(() => restarted.get(id), (j) => j.status === 'completed');
    await restarted.stop(1000);
    expect(job).toMatchObject({ attempts: 2, result: 'finished after restart' });
  }, 40_000);

  it('hands unfinished jobs back when shutdown runs out of time', async () => {
    const queue = new DatabaseQueue(database.db, { concurrency: 1, leaseMs: 60_000, pollMs: 20, logger: silent });
    let aborted = false;
    queue.register('test.hang', async ({ signal }) => {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
      aborted = true;
    });
    const id = await queue.enqueue('test.hang', { marker: '/dev/null' });
    queue.start();
    await waitFor(() => queue.get(id), (j) => j.status === 'running');
    await queue.stop(100);
    expect(aborted).toBe(true);
    const job = await queue.get(id);
    expect(job?.status).toBe('queued');
  });
});
