import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAndLogin, type Session, type TestApp } from './harness.js';

/**
 * Generated bad input against the auth and user routes: whatever arrives, the answer is a 4xx in
 * the error shape (or a success for the rare valid draw) and never a 5xx.
 */
const anyJson = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(fc.constantFrom('username', 'password', 'displayName', 'role', 'departmentId', 'email', 'phone', 'employeeNo', 'status', 'refreshToken', 'name', 'parentId', 'currentPassword', 'newPassword', 'registrationEnabled', 'passwordPolicy'), fc.jsonValue()),
);
const weirdString = fc.oneof(
  fc.string(),
  fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', "' OR 1=1 --", '<script>alert(1)</script>', '𠮷'.repeat(300), 'a'.repeat(5000), '%', '_', '\\'),
);

describe('bad input never causes a 5xx', () => {
  let t: TestApp;
  let admin: Session;
  let someone: string;
  beforeAll(async () => {
    t = await createTestApp();
    ({ admin } = await seedAndLogin(t, ['admin']));
    someone = (await t.app.inject({ method: 'GET', url: '/api/v1/users?q=learner01', headers: admin.headers })).json().items[0].id;
  });
  afterAll(() => t.close());

  const targets = () =>
    [
      ['POST', '/api/v1/auth/login', false],
      ['POST', '/api/v1/auth/refresh', false],
      ['POST', '/api/v1/auth/register', false],
      ['POST', '/api/v1/auth/password', true],
      ['PUT', '/api/v1/auth/settings', true],
      ['POST', '/api/v1/users', true],
      ['PATCH', `/api/v1/users/${someone}`, true],
      ['POST', `/api/v1/users/${someone}/reset-password`, true],
      ['POST', '/api/v1/departments', true],
    ] as const;

  it('JSON bodies of any shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: targets().length - 1 }), anyJson, async (i, body) => {
        const [method, url, auth] = targets()[i]!;
        const res = await t.app.inject({ method, url, payload: body as object, headers: auth ? admin.headers : {} });
        expect(res.statusCode, `${method} ${url} ${JSON.stringify(body)?.slice(0, 200)} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json().error.code).toMatch(/^ERR-/);
      }),
      { numRuns: 300 },
    );
  });

  it('strings in every field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: targets().length - 1 }), weirdString, weirdString, async (i, a, b) => {
        const [method, url, auth] = targets()[i]!;
        const payload = { username: a, password: b, displayName: a, role: b, email: a, phone: b, name: a, parentId: b, refreshToken: a, currentPassword: a, newPassword: b };
        const res = await t.app.inject({ method, url, payload, headers: auth ? admin.headers : {} });
        expect(res.statusCode, `${method} ${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
      }),
      { numRuns: 200 },
    );
  });

  it('query strings and path ids', async () => {
    await fc.assert(
      fc.asyncProperty(weirdString, weirdString, async (a, b) => {
        const q = new URLSearchParams({ q: a, page: b, pageSize: a, role: b, status: a, departmentId: b, subtree: a }).toString();
        const list = await t.app.inject({ method: 'GET', url: `/api/v1/users?${q}`, headers: admin.headers });
        expect(list.statusCode, list.body.slice(0, 300)).toBeLessThan(500);
        const one = await t.app.inject({ method: 'GET', url: `/api/v1/users/${encodeURIComponent(a)}`, headers: admin.headers });
        expect(one.statusCode, one.body.slice(0, 300)).toBeLessThan(500);
        const audit = await t.app.inject({ method: 'GET', url: `/api/v1/audit?${new URLSearchParams({ q: a, from: b, action: a })}`, headers: admin.headers });
        expect(audit.statusCode, audit.body.slice(0, 300)).toBeLessThan(500);
      }),
      { numRuns: 150 },
    );
  });

  it('malformed authorization headers', async () => {
    await fc.assert(
      fc.asyncProperty(weirdString, async (h) => {
        // Header values cannot carry control or non-Latin-1 characters at all; replace them.
        // eslint-disable-next-line no-control-regex
        const value = `Bearer ${h}`.replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, 'x');
        const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: value } });
        expect(res.statusCode).toBe(401);
      }),
      { numRuns: 100 },
    );
  });
});
