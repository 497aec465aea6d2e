import { ERROR_CATALOGUE, type ErrorCode } from '@kpl/shared';

/**
 * The one error type services throw. The code is stable and maps to an HTTP status in the
 * catalogue; `message` is for people (defaults to the catalogue text); `details` is structured
 * data a client can act on (e.g. per-field problems).
 */
export class AppError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.name = 'AppError';
    this.statusCode = ERROR_CATALOGUE[code].status;
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
