import { Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { newId } from '../ids.js';
import {
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

export interface BullmqQueueOptions {
  /** Connection for producers; BullMQ duplicates it for blocking worker connections. */
  connection: Redis;
  prefix: string;
  concurrency: number;
  logger: Logger;
  observer?: QueueObserver;
}

const QUEUE_NAME = 'jobs';
const DAY = 24 * 3600;

/** The queue port on BullMQ: for several web and worker processes sharing Redis. */
export class BullmqQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly queue: Queue;
  private readonly handlers = new Map<string, JobHandler<never>>();
  private worker: Worker | undefined;
  private readonly aborts = new Map<string, AbortController>();

  constructor(private readonly options: BullmqQueueOptions) {
    this.queue = new Queue(QUEUE_NAME, { connection: options.connection, prefix: options.prefix });
    this.queue.on('error', (err) => options.logger.error({ err }, 'bullmq queue error'));
  }

  register<K extends JobName>(name: K, handler: JobHandler<JobPayloads[K]>): void {
    this.handlers.set(name, handler as JobHandler<never>);
  }

  async enqueue<K extends JobName>(name: K, payload: JobPayloads[K], options: EnqueueOptions = {}): Promise<string> {
    const id = newId();
    await this.queue.add(name, payload, {
      jobId: id,
      attempts: options.maxAttempts ?? 3,
      delay: options.delayMs ?? 0,
      backoff: { type: 'custom' },
      removeOnComplete: { age: 7 * DAY },
      removeOnFail: { age: 30 * DAY },
    });
    return id;
  }

  async get(id: string): Promise<JobView | null> {
    const job = await Job.fromId(this.queue, id);
    if (!job) return null;
    const state = await job.getState();
    const status: JobStatus =
      state === 'active' ? 'running' : state === 'completed' ? 'completed' : state === 'failed' ? 'failed' : 'queued';
    return {
      id,
      name: job.name,
      status,
      progress: typeof job.progress === 'number' ? job.progress : 0,
      attempts: job.attemptsMade + (status === 'running' ? 1 : 0),
      maxAttempts: job.opts.attempts ?? 1,
      error: job.failedReason ?? null,
      result: job.returnvalue ?? null,
      createdAt: job.timestamp,
      finishedAt: job.finishedOn ?? null,
    };
  }

  async counts(): Promise<Record<JobStatus, number>> {
    const c = await this.queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed');
    return {
      queued: (c.waiting ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0),
      running: c.active ?? 0,
      completed: c.completed ?? 0,
      failed: c.failed ?? 0,
    };
  }

  start(): void {
    if (this.worker) return;
    const { observer, logger } = this.options;
    this.worker = new Worker(
      QUEUE_NAME,
      async (job: Job) => {
        const handler = this.handlers.get(job.name);
        if (!handler) throw new Error(`No handler registered for job ${job.name}`);
        const abort = new AbortController();
        this.aborts.set(job.id!, abort);
        try {
          return await handler({
            id: job.id!,
            name: job.name,
            payload: job.data as never,
            attempt: job.attemptsMade + 1,
            signal: abort.signal,
            log: logger.child({ jobId: job.id, job: job.name, attempt: job.attemptsMade + 1 }),
            progress: (p) => job.updateProgress(Math.max(0, Math.min(100, Math.round(p)))),
          });
        } finally {
          this.aborts.delete(job.id!);
        }
      },
      {
        connection: this.options.connection.duplicate({ maxRetriesPerRequest: null }),
        prefix: this.options.prefix,
        concurrency: this.options.concurrency,
        settings: { backoffStrategy: (attemptsMade: number) => retryDelayMs(attemptsMade) },
      },
    );
    this.worker.on('completed', (job) => observer?.onOutcome?.(job.name, 'completed', durationOf(job)));
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      logger[final ? 'error' : 'warn']({ err, jobId: job.id, job: job.name }, final ? 'job failed' : 'job failed; will retry');
      observer?.onOutcome?.(job.name, final ? 'failed' : 'retried', durationOf(job));
    });
    this.worker.on('error', (err) => logger.error({ err }, 'bullmq worker error'));
  }

  async stop(timeoutMs: number): Promise<void> {
    const worker = this.worker;
    if (worker) {
      const graceful = worker.close().then(() => false);
      const timedOut = await Promise.race([graceful, new Promise<boolean>((r) => setTimeout(() => r(true), timeoutMs).unref())]);
      if (timedOut) {
        // BullMQ moves the stalled jobs back to waiting once their lock expires.
        for (const a of this.aborts.values()) a.abort();
        await worker.close(true);
      }
      await worker.disconnect?.();
    }
    await this.queue.close();
  }

  async ping(): Promise<void> {
    await this.options.connection.ping();
  }
}

function durationOf(job: Job): number {
  return job.finishedOn && job.processedOn ? job.finishedOn - job.processedOn : 0;
}
