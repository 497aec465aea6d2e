import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiDownload, apiRequest, connectSession, type SessionHooks } from './client';
import { filenameFromContentDisposition } from './content-disposition';

const USER = { id: 'u1', username: 'admin', displayName: 'Admin', role: 'admin', departmentId: null, permissions: [] };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

function apiError(status: number, code: string, message = 'x'): Response {
  return json(status, { error: { code, message, requestId: 'req-1' } });
}

/** An in-memory session wired to the client, as the session store would be. */
function fakeSession(accessToken: string | null, refreshToken: string | null) {
  const state = { accessToken, refreshToken };
  const onExpired = vi.fn(() => {
    state.accessToken = null;
    state.refreshToken = null;
  });
  const hooks: SessionHooks = {
    getAccessToken: () => state.accessToken,
    getRefreshToken: () => state.refreshToken,
    onRefreshed: (session) => Object.assign(state, session),
    onExpired,
  };
  connectSession(hooks);
  return { state, onExpired };
}

function stubFetch(handler: (path: string, init: RequestInit) => Response | Promise<Response>) {
  const fetchMock = vi.fn(async (path: string, init: RequestInit) => handler(path, init));
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

const authHeader = (init: RequestInit) => (init.headers as Record<string, string>).Authorization;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('apiRequest', () => {
  it('sends the bearer token and validates the body with the schema', async () => {
    fakeSession('token-1', 'refresh-1');
    const fetchMock = stubFetch(() => json(200, { n: 1 }));
    const schema = { parse: (data: unknown) => data as { n: number } };

    await expect(apiRequest('/api/v1/thing', { schema })).resolves.toEqual({ n: 1 });
    expect(authHeader(fetchMock.mock.calls[0]![1])).toBe('Bearer token-1');
  });

  it('refreshes once for concurrent 401s, then retries each request once', async () => {
    const { state, onExpired } = fakeSession('old', 'refresh-1');
    const fetchMock = stubFetch(async (path, init) => {
      if (path === '/api/v1/auth/refresh') {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return json(200, { accessToken: 'new', refreshToken: 'refresh-2', expiresIn: 900, user: USER });
      }
      return authHeader(init) === 'Bearer new' ? json(200, { path }) : apiError(401, 'ERR-AUTH-0001');
    });

    const results = await Promise.all(['/a', '/b', '/c'].map((path) => apiRequest(path)));

    expect(results).toEqual([{ path: '/a' }, { path: '/b' }, { path: '/c' }]);
    expect(fetchMock.mock.calls.filter(([path]) => path === '/api/v1/auth/refresh')).toHaveLength(1);
    expect(fetchMock).toHaveBeenCalledTimes(7); // 3 originals + 1 refresh + 3 retries
    expect(state).toMatchObject({ accessToken: 'new', refreshToken: 'refresh-2', user: USER });
    expect(onExpired).not.toHaveBeenCalled();
  });

  it('ends the session when the refresh token is rejected', async () => {
    const { onExpired } = fakeSession('old', 'refresh-1');
    stubFetch(() => apiError(401, 'ERR-AUTH-0001'));

    const error = await apiRequest('/a').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'ERR-AUTH-0001', status: 401, requestId: 'req-1' });
    expect(onExpired).toHaveBeenCalledOnce();
  });

  it('parses the server error shape into an ApiError', async () => {
    fakeSession(null, null);
    stubFetch(() =>
      json(429, { error: { code: 'ERR-COMMON-0006', message: 'Slow down.', details: { retryAfterMs: 500 }, requestId: 'r9' } }),
    );

    await expect(apiRequest('/a')).rejects.toMatchObject({
      code: 'ERR-COMMON-0006',
      message: 'Slow down.',
      status: 429,
      details: { retryAfterMs: 500 },
      requestId: 'r9',
    });
  });

  it('reports network failures as NETWORK and unreadable answers as BAD_RESPONSE', async () => {
    fakeSession(null, null);
    stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(apiRequest('/a')).rejects.toMatchObject({ code: 'NETWORK', status: 0 });

    stubFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    await expect(apiRequest('/a')).rejects.toMatchObject({ code: 'BAD_RESPONSE', status: 502 });

    const strict = {
      parse: (data: unknown) => {
        if (typeof data !== 'string') throw new Error('not a string');
        return data;
      },
    };
    stubFetch(() => json(200, { unexpected: true }));
    await expect(apiRequest('/a', { schema: strict })).rejects.toMatchObject({ code: 'BAD_RESPONSE', status: 200 });
  });

  it('treats accepted non-2xx statuses as results', async () => {
    fakeSession(null, null);
    stubFetch(() => json(503, { status: 'unavailable', components: {}, failing: ['database'] }));

    await expect(apiRequest('/health/ready', { acceptStatuses: [503] })).resolves.toMatchObject({
      status: 'unavailable',
    });
  });
});

describe('query, multipart and downloads', () => {
  it('builds the query string, leaving out empty values and joining lists', async () => {
    fakeSession('t', 'r');
    const fetchMock = stubFetch(() => json(200, {}));
    await apiRequest('/api/v1/audit', { query: { action: ['auth.login', 'auth.logout'], q: '', page: 2, outcome: undefined, subtree: false } });
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/audit?action=auth.login%2Cauth.logout&page=2&subtree=false');
  });

  it('sends FormData as multipart without a JSON content type', async () => {
    fakeSession('t', 'r');
    const fetchMock = stubFetch(() => json(200, {}));
    const form = new FormData();
    form.append('a', '1');
    await apiRequest('/upload', { method: 'POST', body: form });
    const init = fetchMock.mock.calls[0]![1];
    expect(init.body).toBe(form);
    expect((init.headers as Record<string, string>)['Content-Type']).toBeUndefined();
  });

  it('downloads a file with its UTF-8 name, and reports failures as ApiError', async () => {
    fakeSession('t', 'r');
    stubFetch(
      () =>
        new Response(new Uint8Array([1, 2, 3]), {
          status: 200,
          headers: { 'content-disposition': `attachment; filename="users.xlsx"; filename*=UTF-8''%E7%94%A8%E6%88%B7.xlsx` },
        }),
    );
    const file = await apiDownload('/api/v1/users/export', { query: { role: 'learner' } });
    expect(file.filename).toBe('用户.xlsx');
    expect(file.blob.size).toBe(3);

    stubFetch(() => apiError(403, 'ERR-AUTH-0002'));
    await expect(apiDownload('/x')).rejects.toMatchObject({ code: 'ERR-AUTH-0002', status: 403 });
  });
});

describe('filenameFromContentDisposition', () => {
  it('prefers filename*, falls back to filename, and copes with junk', () => {
    expect(filenameFromContentDisposition(`attachment; filename="a.xlsx"; filename*=UTF-8''%E6%A8%A1%E6%9D%BF.xlsx`)).toBe('模板.xlsx');
    expect(filenameFromContentDisposition('attachment; filename="plain name.xlsx"')).toBe('plain name.xlsx');
    expect(filenameFromContentDisposition('attachment; filename=bare.xlsx')).toBe('bare.xlsx');
    expect(filenameFromContentDisposition(`attachment; filename*=UTF-8''%E0%A4; filename="ok.xlsx"`)).toBe('ok.xlsx');
    expect(filenameFromContentDisposition('inline')).toBeNull();
    expect(filenameFromContentDisposition(null)).toBeNull();
  });
});
