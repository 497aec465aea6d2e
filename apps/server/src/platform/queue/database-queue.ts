import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/schema.js';
import { newId, now } from '../ids.js';
import {
  JOB_STATUSES,
  retryDelayMs,
  type EnqueueOptions,
  type JobHandler,
  type JobName,
  type JobPayloads,
  type JobQueue,
  type JobStatus,
  type JobView,
  type QueueObserver,
} from './types.js';

export interface DatabaseQueueOptions {
  concurrency: number;
  /** A running job's lease; a worker that dies stops renewing it and another worker takes the job over. */
  leaseMs: number;
  pollMs?: number;
  logger: Logger;
  observer?: QueueObserver;
}

interface Running {
  id: string;
  done: Promise<void>;
  abort: AbortController;
}

/**
 * In-process queue whose job records live in the database: a restart, or a second process,
 * resumes whatever was queued or left running with an expired lease.
 */
export class DatabaseQueue implements JobQueue {
  readonly kind = 'database' as const;
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly running = new Map<string, Running>();
  private readonly workerId = `${hostname()}:${process.pid}:${newId().slice(-8)}`;
  private timer: NodeJS.Timeout | undefined;
  private active = false;
  private ticking = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly options: DatabaseQueueOptions,
  ) {}

  register<K extends JobName>(name: K, handler: JobHandler<JobPayloads[K]>): void {
    this.handlers.set(name, handler as JobHandler<never>);
  }

  async enqueue<K extends JobName>(name: K, payload: JobPayloads[K], options: EnqueueOptions = {}): Promise<string> {
    const id = newId();
    const t = now();
    await this.db
      .insertInto('jobs')
      .values({
        id,
        name,
        payload: JSON.stringify(payload),
        status: 'queued',
        progress: 0,
        attempts: 0,
        max_attempts: options.maxAttempts ?? 3,
        result: null,
        error: null,
        run_at: t + (options.delayMs ?? 0),
        locked_by: null,
        locked_until: null,
        created_at: t,
        updated_at: t,
        finished_at: null,
      })
      .execute();
    if (this.active) setImmediate(() => void this.tick());
    return id;
  }

  async get(id: string): Promise<JobView | null> {
    const row = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      progress: Number(row.progress),
      attempts: Number(row.attempts),
      maxAttempts: Number(row.max_attempts),
      error: row.error,
      result: row.result === null ? null : JSON.parse(row.result),
      createdAt: Number(row.created_at),
      finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    };
  }

  async counts(): Promise<Record<JobStatus, number>> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const out = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const r of rows) out[r.status] = Number(r.n);
    return out;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.timer = setInterval(() => void this.tick(), this.options.pollMs ?? 500);
    void this.tick();
  }

  async stop(timeoutMs: number): Promise<void> {
    this.active = false;
    clearInterval(this.timer);
    const all = Promise.all([...this.running.values()].map((r) => r.done));
    const timedOut = await Promise.race([
      all.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref()),
    ]);
    if (!timedOut) return;
    // Out of time: abort what is left and hand it back so the next worker starts it at once.
    for (const r of this.running.values()) r.abort.abort();
    const ids = [...this.running.keys()];
    if (ids.length > 0) {
      await this.db
        .updateTable('jobs')
        .set({ status: 'queued', locked_by: null, locked_until: null, updated_at: now() })
        .where('id', 'in', ids)
        .where('locked_by', '=', this.workerId)
        .execute();
      this.options.logger.warn({ jobs: ids }, 'shutdown timeout: unfinished jobs returned to the queue');
    }
  }

  async ping(): Promise<void> {
    await this.db.selectFrom('jobs').select('id').limit(1).execute();
  }

  private async tick(): Promise<void> {
    if (!this.active || this.ticking) return;
    this.ticking = true;
    try {
      while (this.active && this.running.size < this.options.concurrency) {
        const job = await this.claimNext();
        if (!job) break;
        this.launch(job);
      }
    } catch (err) {
      this.options.logger.error({ err }, 'job queue poll failed');
    } finally {
      this.ticking = false;
    }
  }

  /** Claims one due job with a conditional update, so two workers never run the same job. */
  private async claimNext(): Promise<{ id: string; name: string; payload: string; attempts: number; max: number } | null> {
    const names = [...this.handlers.keys()];
    if (names.length === 0) return null;
    const t = now();
    const candidates = await this.db
      .selectFrom('jobs')
      .select(['id'])
      .where('name', 'in', names)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', t)]),
          eb.and([eb('status', '=', 'running'), eb('locked_until', '<', t)]),
        ]),
      )
      .where('id', 'not in', ['', ...this.running.keys()])
      .orderBy('run_at')
      .limit(5)
      .execute();
    for (const { id } of candidates) {
      const res = await this.db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          locked_by: this.workerId,
          locked_until: t + this.options.leaseMs,
          attempts: eb('attempts', '+', 1),
          updated_at: t,
        }))
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', t)]),
            eb.and([eb('status', '=', 'running'), eb('locked_until', '<', t)]),
          ]),
        )
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1) continue;
      const row = await this.db
        .selectFrom('jobs')
        .select(['id', 'name', 'payload', 'attempts', 'max_attempts'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { id, name: row.name, payload: row.payload, attempts: Number(row.attempts), max: Number(row.max_attempts) };
    }
    return null;
  }

  private launch(job: { id: string; name: string; payload: string; attempts: number; max: number }): void {
    const abort = new AbortController();
    const entry: Running = { id: job.id, abort, done: Promise.resolve() };
    entry.done = this.execute(job, abort).finally(() => {
      this.running.delete(job.id);
      if (this.active) setImmediate(() => void this.tick());
    });
    this.running.set(job.id, entry);
  }

  private async execute(
    job: { id: string; name: string; payload: string; attempts: number; max: number },
    abort: AbortController,
  ): Promise<void> {
    const log = this.options.logger.child({ jobId: job.id, job: job.name, attempt: job.attempts });
    const started = Date.now();
    const owned = () => this.db.updateTable('jobs').where('id', '=', job.id).where('locked_by', '=', this.workerId);
    if (job.attempts > job.max) {
      // It was interrupted (crash, kill) on every try: stop retrying rather than loop forever.
      await owned()
        .set({ status: 'failed', error: 'Interrupted too many times', locked_by: null, finished_at: now(), updated_at: now() })
        .execute();
      this.options.observer?.onOutcome?.(job.name, 'failed', 0);
      return;
    }
    const heartbeat = setInterval(() => {
      void owned()
        .set({ locked_until: now() + this.options.leaseMs })
        .execute()
        .catch((err: unknown) => log.warn({ err }, 'job lease renewal failed'));
    }, Math.max(100, Math.floor(this.options.leaseMs / 3)));
    try {
      const handler = this.handlers.get(job.name)!;
      const result = await handler({
        id: job.id,
        name: job.name,
        payload: JSON.parse(job.payload) as never,
        attempt: job.attempts,
        signal: abort.signal,
        log,
        progress: async (percent) => {
          await owned()
            .set({ progress: Math.max(0, Math.min(100, Math.round(percent))), updated_at: now() })
            .execute();
        },
      });
      if (abort.signal.aborted) return;
      const t = now();
      await owned()
        .set({
          status: 'completed',
          progress: 100,
          result: result === undefined ? null : JSON.stringify(result),
          error: null,
          locked_by: null,
          locked_until: null,
          finished_at: t,
          updated_at: t,
        })
        .execute();
      this.options.observer?.onOutcome?.(job.name, 'completed', Date.now() - started);
    } catch (err) {
      if (abort.signal.aborted) return;
      const message = err instanceof Error ? err.message : String(err);
      const t = now();
      if (job.attempts < job.max) {
        log.warn({ err }, 'job failed; will retry');
        await owned()
          .set({ status: 'queued', error: message, run_at: t + retryDelayMs(job.attempts), locked_by: null, locked_until: null, updated_at: t })
          .execute();
        this.options.observer?.onOutcome?.(job.name, 'retried', Date.now() - started);
      } else {
        log.error({ err }, 'job failed');
        await owned()
          .set({ status: 'failed', error: message, locked_by: null, locked_until: null, finished_at: t, updated_at: t })
          .execute();
        this.options.observer?.onOutcome?.(job.name, 'failed', Date.now() - started);
      }
    } finally {
      clearInterval(heartbeat);
    }
  }
}
