import type { Logger } from 'pino';

/**
 * Job names and their payload types. Modules add their own jobs by declaration merging:
 *   declare module '../../platform/queue/types.js' { interface JobPayloads { 'content.extract': { materialId: string } } }
 */
export interface JobPayloads {
  /** Deletes finished job records past their retention. */
  'system.cleanup-jobs': { olderThanMs: number };
  /** Extract, chunk and index an uploaded material. */
  'content.extract': { materialId: string };
}

export type JobName = keyof JobPayloads & string;
export type JobStatus = 'queued' | 'running' | 'completed' | 'failed';
export const JOB_STATUSES: JobStatus[] = ['queued', 'running', 'completed', 'failed'];

export interface JobContext<P> {
  id: string;
  name: string;
  payload: P;
  /** 1 for the first try. */
  attempt: number;
  /** Aborted when the process must stop before the job finishes. */
  signal: AbortSignal;
  progress(percent: number): Promise<void>;
  log: Logger;
}

export type JobHandler<P> = (ctx: JobContext<P>) => Promise<unknown>;

export interface EnqueueOptions {
  delayMs?: number;
  maxAttempts?: number;
}

export interface JobView {
  id: string;
  name: string;
  status: JobStatus;
  progress: number;
  attempts: number;
  maxAttempts: number;
  error: string | null;
  result: unknown;
  createdAt: number;
  finishedAt: number | null;
}

export type JobOutcome = 'completed' | 'retried' | 'failed';

export interface QueueObserver {
  onOutcome?(name: string, outcome: JobOutcome, durationMs: number): void;
}

/** The queue port: the in-process database adapter and the BullMQ adapter both implement it. */
export interface JobQueue {
  readonly kind: 'database' | 'bullmq';
  register<K extends JobName>(name: K, handler: JobHandler<JobPayloads[K]>): void;
  enqueue<K extends JobName>(name: K, payload: JobPayloads[K], options?: EnqueueOptions): Promise<string>;
  get(id: string): Promise<JobView | null>;
  counts(): Promise<Record<JobStatus, number>>;
  /** Start processing registered handlers (worker processes only). */
  start(): void;
  /** Stop taking jobs and wait up to timeoutMs for running ones. */
  stop(timeoutMs: number): Promise<void>;
  ping(): Promise<void>;
}

/** Exponential backoff with full jitter, capped at 5 minutes. */
export function retryDelayMs(attempt: number, baseMs = 1000): number {
  const ceiling = Math.min(5 * 60_000, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
