import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { JobQueue } from '../../platform/queue/types.js';
import type { Scheduler } from '../../platform/scheduler/scheduler.js';

const RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Finished job records are kept a week for inspection, then removed by a daily job. */
export function registerSystemJobs(db: Kysely<DB>, queue: JobQueue, scheduler: Scheduler): void {
  queue.register('system.cleanup-jobs', async ({ payload }) => {
    const res = await db
      .deleteFrom('jobs')
      .where('status', 'in', ['completed', 'failed'])
      .where('finished_at', '<', Date.now() - payload.olderThanMs)
      .executeTakeFirst();
    return { deleted: Number(res.numDeletedRows) };
  });
  scheduler.every('system.cleanup-jobs', 24 * 3600 * 1000, async () => {
    await queue.enqueue('system.cleanup-jobs', { olderThanMs: RETENTION_MS });
  });
}
