import { errorBodySchema, loginResponseSchema, sessionUserSchema, type SessionUser } from '@kpl/shared';
import { ApiError, CLIENT_ERROR_CODES } from './api-error';
import { filenameFromContentDisposition } from './content-disposition';

export { ApiError, isApiError } from './api-error';

/** Anything with a Zod-style `parse`: keeps this module independent of the schema library. */
export interface ResponseSchema<T> {
  parse(data: unknown): T;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Query-string values; empty ones (undefined, null, '', []) are left out, lists are comma-separated. */
export type QueryParams = Record<string, string | number | boolean | readonly string[] | null | undefined>;

export interface RequestOptions<T> {
  method?: HttpMethod;
  /** Sent as JSON; FormData is sent as multipart as it is. */
  body?: unknown;
  query?: QueryParams;
  /** Validates the response body; without one the body is returned unchecked. */
  schema?: ResponseSchema<T>;
  /** Send the access token and refresh it on 401. Default true. */
  auth?: boolean;
  /** Non-2xx statuses whose body is a regular result (e.g. readiness answers 503 with the same shape). */
  acceptStatuses?: readonly number[];
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Let the request outlive the page (fetch keepalive), e.g. a last report sent while the tab closes. */
  keepalive?: boolean;
}

export interface RefreshedSession {
  accessToken: string;
  refreshToken: string;
  user?: SessionUser;
}

/** How the client reaches the session without importing the store (and the router behind it). */
export interface SessionHooks {
  getAccessToken(): string | null;
  getRefreshToken(): string | null;
  onRefreshed(session: RefreshedSession): void;
  /** The refresh token was rejected: the user must sign in again. */
  onExpired(): void;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const REFRESH_PATH = '/api/v1/auth/refresh';

// Refresh may or may not repeat the user; the tokens are what matter.
const refreshResponseSchema = loginResponseSchema.extend({ user: sessionUserSchema.optional() });

let hooks: SessionHooks | null = null;
let refreshInFlight: Promise<boolean> | null = null;

export function connectSession(sessionHooks: SessionHooks): void {
  hooks = sessionHooks;
}

export async function apiRequest<T = unknown>(path: string, options: RequestOptions<T> = {}): Promise<T> {
  const response = await sendWithSession(path, options, 'application/json');
  return readResult(response, options);
}

export interface DownloadedFile {
  blob: Blob;
  /** From Content-Disposition, when the server names the file. */
  filename: string | null;
}

export type DownloadOptions = Pick<RequestOptions<never>, 'query' | 'signal' | 'timeoutMs'>;

/** A file behind the bearer token (so not a plain link): fetched whole, errors still as ApiError. */
export async function apiDownload(path: string, options: DownloadOptions = {}): Promise<DownloadedFile> {
  const response = await sendWithSession(path, options, '*/*');
  if (!response.ok) throw await toApiError(response);
  const filename = filenameFromContentDisposition(response.headers.get('content-disposition'));
  try {
    return { blob: await response.blob(), filename };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError({ code: CLIENT_ERROR_CODES.NETWORK, message: 'The download was interrupted.', status: 0 }, { cause: error });
  }
}

export type StreamOptions = Pick<RequestOptions<never>, 'method' | 'body' | 'signal' | 'timeoutMs'>;

/**
 * A response whose body the caller reads as a stream (server-sent events), with the same token and
 * one refresh on a 401 as apiRequest: a failure before the stream starts rejects with ApiError.
 * `timeoutMs` covers only the wait for the headers, and once they are here aborting `signal` no
 * longer reaches the fetch: the reader cancels the body itself.
 */
export async function apiStream(path: string, options: StreamOptions = {}, accept = 'text/event-stream'): Promise<Response> {
  const response = await sendWithSession(path, options, accept);
  if (!response.ok) throw await toApiError(response);
  return response;
}

function withQuery(path: string, query: QueryParams | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `${path}${path.includes('?') ? '&' : '?'}${search}` : path;
}

async function sendWithSession<T>(path: string, options: RequestOptions<T>, accept: string): Promise<Response> {
  const useAuth = options.auth ?? true;
  const url = withQuery(path, options.query);
  const tokenUsed = useAuth ? (hooks?.getAccessToken() ?? null) : null;
  let response = await send(url, options, tokenUsed, accept);

  if (response.status === 401 && hooks && tokenUsed !== null) {
    // Another request may already have renewed the token while this one was in flight.
    const current = hooks.getAccessToken();
    const renewed = (current !== null && current !== tokenUsed) || (await refreshSession());
    if (!renewed) {
      hooks.onExpired();
      throw await toApiError(response);
    }
    response = await send(url, options, hooks.getAccessToken(), accept);
  }
  return response;
}

/** All concurrent 401s share one refresh call: refresh tokens are single-use on the server. */
function refreshSession(): Promise<boolean> {
  refreshInFlight ??= doRefresh().finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

async function doRefresh(): Promise<boolean> {
  const refreshToken = hooks?.getRefreshToken();
  if (!hooks || !refreshToken) return false;
  try {
    const session = await apiRequest(REFRESH_PATH, {
      method: 'POST',
      body: { refreshToken },
      schema: refreshResponseSchema,
      auth: false,
    });
    hooks.onRefreshed(session);
    return true;
  } catch (error) {
    // Offline is not a rejected session: keep the user signed in and let the caller see NETWORK.
    if (error instanceof ApiError && error.code === CLIENT_ERROR_CODES.NETWORK) throw error;
    return false;
  }
}

async function send<T>(path: string, options: RequestOptions<T>, accessToken: string | null, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept };
  // FormData sets its own multipart Content-Type with the boundary.
  const isForm = typeof FormData !== 'undefined' && options.body instanceof FormData;
  if (options.body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;

  const timeout = withTimeout(options.signal, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    return await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : isForm ? (options.body as FormData) : JSON.stringify(options.body),
      signal: timeout.signal,
      keepalive: options.keepalive,
    });
  } catch (error) {
    // A caller's own abort (e.g. vue-query cancelling) is not a failure: pass it through untouched.
    if (options.signal?.aborted) throw error;
    throw new ApiError(
      { code: CLIENT_ERROR_CODES.NETWORK, message: 'Network request failed.', status: 0 },
      { cause: error },
    );
  } finally {
    timeout.clear();
  }
}

async function readResult<T>(response: Response, options: RequestOptions<T>): Promise<T> {
  if (!response.ok && !options.acceptStatuses?.includes(response.status)) {
    throw await toApiError(response);
  }
  const body = response.status === 204 ? undefined : await readJson(response);
  if (!options.schema) return body as T;
  try {
    return options.schema.parse(body);
  } catch (error) {
    throw badResponse(response, 'The response does not match the expected schema.', error);
  }
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch (error) {
    throw badResponse(response, 'The response is not valid JSON.', error);
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) {
    return badResponse(response, `Unexpected HTTP ${response.status} response.`);
  }
  const { code, message, details, requestId } = parsed.data.error;
  return new ApiError({ code, message, status: response.status, details, requestId });
}

function badResponse(response: Response, message: string, cause?: unknown): ApiError {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  return new ApiError(
    { code: CLIENT_ERROR_CODES.BAD_RESPONSE, message, status: response.status, requestId },
    { cause },
  );
}

/** Aborts after `ms` or when the caller aborts, whichever comes first (AbortSignal.any is too new for older in-house browsers). */
function withTimeout(callerSignal: AbortSignal | undefined, ms: number) {
  const controller = new AbortController();
  const abort = () => controller.abort(callerSignal?.reason);
  const timer = setTimeout(() => controller.abort(new DOMException('Request timed out', 'TimeoutError')), ms);
  if (callerSignal?.aborted) abort();
  else callerSignal?.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', abort);
    },
  };
}
