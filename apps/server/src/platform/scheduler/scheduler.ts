import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type ScheduledTask = () => Promise<void>;

/**
 * Periodic tasks (deadline sweeps, reminders, cleanup). Tasks must be idempotent and find their work
 * in the database on every tick, so a restart or a second scheduler changes nothing.
 */
export interface Scheduler {
  readonly kind: 'timer' | 'bullmq';
  every(name: string, intervalMs: number, task: ScheduledTask): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** In-process timers; a tick is skipped while the previous run of the same task is still going. */
export class TimerScheduler implements Scheduler {
  readonly kind = 'timer' as const;
  private readonly tasks = new Map<string, { intervalMs: number; task: ScheduledTask }>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  every(name: string, intervalMs: number, task: ScheduledTask): void {
    this.tasks.set(name, { intervalMs, task });
  }

  async start(): Promise<void> {
    for (const [name, { intervalMs, task }] of this.tasks) {
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return;
        busy = true;
        const run = task()
          .catch((err: unknown) => this.logger.error({ err, task: name }, 'scheduled task failed'))
          .finally(() => {
            busy = false;
            this.inFlight.delete(run);
          });
        this.inFlight.add(run);
      }, intervalMs);
      this.timers.push(timer);
    }
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
    await Promise.all(this.inFlight);
  }
}

/** BullMQ job schedulers: one run per interval across every scheduler replica. */
export class BullmqScheduler implements Scheduler {
  readonly kind = 'bullmq' as const;
  private readonly tasks = new Map<string, { intervalMs: number; task: ScheduledTask }>();
  private queue: Queue | undefined;
  private worker: Worker | undefined;

  constructor(
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  every(name: string, intervalMs: number, task: ScheduledTask): void {
    this.tasks.set(name, { intervalMs, task });
  }

  async start(): Promise<void> {
    this.queue = new Queue('schedules', { connection: this.connection, prefix: this.prefix });
    for (const [name, { intervalMs }] of this.tasks) {
      await this.queue.upsertJobScheduler(name, { every: intervalMs }, { name, opts: { removeOnComplete: 100, removeOnFail: 100 } });
    }
    this.worker = new Worker(
      'schedules',
      async (job) => {
        const entry = this.tasks.get(job.name);
        if (entry) await entry.task();
      },
      { connection: this.connection.duplicate({ maxRetriesPerRequest: null }), prefix: this.prefix, concurrency: 1 },
    );
    this.worker.on('failed', (job, err) => this.logger.error({ err, task: job?.name }, 'scheduled task failed'));
    this.worker.on('error', (err) => this.logger.error({ err }, 'scheduler worker error'));
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
  }
}
