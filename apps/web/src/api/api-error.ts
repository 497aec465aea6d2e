/** Client-side codes for failures that never reached (or were not understood from) the server. */
export const CLIENT_ERROR_CODES = {
  NETWORK: 'NETWORK',
  BAD_RESPONSE: 'BAD_RESPONSE',
} as const;

export interface ApiErrorInit {
  code: string;
  message: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  details?: unknown;
  requestId?: string;
}

/** Every failed API call rejects with this, so callers can branch on a stable `code`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly code: string;
  readonly status: number;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(init: ApiErrorInit, options?: { cause?: unknown }) {
    super(init.message, options);
    this.code = init.code;
    this.status = init.status;
    this.details = init.details;
    this.requestId = init.requestId;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
