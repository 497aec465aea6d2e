import { AppError, isAppError } from '../errors.js';

/**
 * Sagas: multi-step operations that reach outside one database transaction (files, AI calls, other
 * modules), so a failure cannot be rolled back and must be undone step by step instead.
 *
 * Steps run in order. When one throws (or the run is aborted), the steps that completed are
 * compensated in reverse order. The failing step itself is not compensated: it should leave
 * nothing behind when it throws. A failing compensation is recorded and the others still run, so
 * as much as possible is undone and the result says exactly what was not.
 */
export interface SagaStep<Ctx> {
  name: string;
  /** The signal is the run's own, so long steps (uploads, AI calls) can stop early. */
  run(ctx: Ctx, signal?: AbortSignal): Promise<void>;
  /** Undo `run`. Should be idempotent: an operator may retry it after a compensation failure. */
  compensate?(ctx: Ctx): Promise<void>;
}

export type SagaStatus = 'completed' | 'compensated' | 'compensation_failed';

export interface SagaResult {
  saga: string;
  status: SagaStatus;
  /** The step that threw, or for an abort the step that was not started. */
  failedStep?: string;
  error?: unknown;
  aborted: boolean;
  /** Steps whose compensation ran successfully, in the order they ran. */
  compensated: string[];
  compensationErrors: { step: string; error: unknown }[];
}

/** The subset of pino (and Fastify's logger) a saga writes to. */
export interface SagaLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SagaRunOptions {
  logger?: SagaLogger;
  signal?: AbortSignal;
  /** Throw a SagaFailedError (an AppError) instead of returning a failed result. */
  throwOnFailure?: boolean;
}

export interface Saga<Ctx> {
  readonly name: string;
  readonly steps: readonly string[];
  run(ctx: Ctx, options?: SagaRunOptions): Promise<SagaResult>;
}

const appErrorArgs = (error: unknown): ConstructorParameters<typeof AppError> =>
  isAppError(error) ? [error.code, error.message, error.details] : ['ERR-COMMON-0007'];

/**
 * Thrown by `run` with `throwOnFailure`. It keeps the failing step's AppError code, message and
 * details so the client sees the real reason (a conflict stays a 409); any other error becomes the
 * generic internal error, whose message reveals nothing. The full result is on `result`.
 */
export class SagaFailedError extends AppError {
  constructor(readonly result: SagaResult) {
    super(...appErrorArgs(result.error));
    this.name = 'SagaFailedError';
    this.cause = result.error;
  }
}

export function defineSaga<Ctx>(name: string, steps: SagaStep<Ctx>[]): Saga<Ctx> {
  const names = steps.map((s) => s.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) throw new Error(`Saga "${name}" has two steps named "${duplicate}"`);

  return {
    name,
    steps: names,
    async run(ctx, options = {}) {
      const { logger, signal } = options;
      const done: SagaStep<Ctx>[] = [];
      let failure: { step: string; error: unknown; aborted: boolean } | null = null;

      for (const step of steps) {
        if (signal?.aborted) {
          failure = { step: step.name, error: signal.reason, aborted: true };
          break;
        }
        try {
          await step.run(ctx, signal);
          done.push(step);
        } catch (error) {
          failure = { step: step.name, error, aborted: false };
          break;
        }
      }

      if (!failure) return { saga: name, status: 'completed', aborted: false, compensated: [], compensationErrors: [] };

      logger?.warn({ saga: name, step: failure.step, aborted: failure.aborted, err: failure.error }, 'saga step failed; compensating');
      const compensated: string[] = [];
      const compensationErrors: SagaResult['compensationErrors'] = [];
      for (const step of done.reverse()) {
        if (!step.compensate) continue;
        try {
          await step.compensate(ctx);
          compensated.push(step.name);
        } catch (error) {
          compensationErrors.push({ step: step.name, error });
          logger?.error({ saga: name, step: step.name, err: error }, 'saga compensation failed; manual clean-up needed');
        }
      }

      const result: SagaResult = {
        saga: name,
        status: compensationErrors.length > 0 ? 'compensation_failed' : 'compensated',
        failedStep: failure.step,
        error: failure.error,
        aborted: failure.aborted,
        compensated,
        compensationErrors,
      };
      logger?.info({ saga: name, status: result.status, compensated }, 'saga finished after failure');
      if (options.throwOnFailure) throw new SagaFailedError(result);
      return result;
    },
  };
}
