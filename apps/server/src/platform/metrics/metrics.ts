import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { JobQueue, JobOutcome } from '../queue/types.js';
import type { PoolStats } from '../db/database.js';

/** One registry per container, so tests can build many apps in one process. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly jobOutcomes: Counter<'name' | 'outcome'>;
  readonly jobDuration: Histogram<'name'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'kpl_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.jobOutcomes = new Counter({
      name: 'kpl_queue_job_outcomes_total',
      help: 'Finished job attempts by job name and outcome',
      labelNames: ['name', 'outcome'],
      registers: [this.registry],
    });
    this.jobDuration = new Histogram({
      name: 'kpl_queue_job_duration_seconds',
      help: 'Job run time by job name',
      labelNames: ['name'],
      buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [this.registry],
    });
  }

  recordJob(name: string, outcome: JobOutcome, durationMs: number): void {
    this.jobOutcomes.inc({ name, outcome });
    this.jobDuration.observe({ name }, durationMs / 1000);
  }

  /** Gauges read on scrape, so they are never stale and cost nothing between scrapes. */
  observeRuntime(sources: { pool: () => PoolStats; queue: JobQueue }): void {
    new Gauge({
      name: 'kpl_db_pool_connections',
      help: 'Database pool connections by state',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const s = sources.pool();
        this.set({ state: 'total' }, s.total);
        this.set({ state: 'idle' }, s.idle);
        this.set({ state: 'waiting' }, s.waiting);
      },
    });
    new Gauge({
      name: 'kpl_queue_jobs',
      help: 'Jobs by status',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        try {
          const counts = await sources.queue.counts();
          for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
        } catch {
          // The queue's backing store is down; /health/ready reports that.
        }
      },
    });
  }
}
