import { loginResponseSchema, ROLE_PERMISSIONS } from '@kpl/shared';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO_PASSWORD, login, seedAndLogin, type TestApp } from '../../test/harness.js';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('sign-in and tokens', () => {
  let t: TestApp;
  let secret: Uint8Array;
  beforeAll(async () => {
    t = await createTestApp();
    await seedAndLogin(t, []);
    secret = new TextEncoder().encode(t.config.JWT_SECRET);
  });
  afterAll(() => t.close());

  const me = (authorization: string) => t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization } });

  it('signs in with login name, 工号 or e-mail and returns tokens and the user', async () => {
    for (const username of ['learner01', 'LEARNER01', 'KPL0004', 'kpl0004', 'learner01@demo.kaopeilian.cn']) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD } });
      expect(res.statusCode, username).toBe(200);
      const body = loginResponseSchema.parse(res.json());
      expect(body.user).toMatchObject({ username: 'learner01', role: 'learner', permissions: [...ROLE_PERMISSIONS.learner] });
      expect(body.expiresIn).toBe(900);
    }
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'nobody', password: 'x' } });
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'learner02', password: 'wrong' } });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('ERR-AUTH-0003');
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it('locks an account for 15 minutes after 5 failures, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'learner03', password: 'bad' } });
      expect(r.statusCode).toBe(401);
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'learner03', password: DEMO_PASSWORD } });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('ERR-AUTH-0004');
    // The counter follows the account, not the name typed: the 工号 is locked too.
    const viaNo = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'KPL0006', password: DEMO_PASSWORD } });
    expect(viaNo.statusCode).toBe(429);
    // Unknown names lock the same way, so lockout reveals nothing about which accounts exist.
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ghost', password: 'bad' } });
    const ghost = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'ghost', password: 'bad' } });
    expect(ghost.json().error.code).toBe('ERR-AUTH-0004');
  });

  it('accepts a valid access token and rejects forged, unsigned, expired and malformed ones', async () => {
    const s = await login(t, 'learner04', DEMO_PASSWORD);
    expect((await me(`Bearer ${s.token}`)).json()).toMatchObject({ username: 'learner04' });

    const [header, payload] = s.token.split('.');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    expect((await me(`Bearer ${unsigned}`)).statusCode).toBe(401);

    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const elevated = `${header}.${b64({ ...claims, role: 'admin' })}.${s.token.split('.')[2]}`;
    expect((await me(`Bearer ${elevated}`)).statusCode).toBe(401);

    const otherKey = await new SignJWT({ role: 'learner' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(s.userId)
      .setIssuer('kaopeilian')
      .setAudience('kaopeilian-api')
      .setIssuedAt()
      .setJti('x')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('another-secret-of-sufficient-length-123456'));
    expect((await me(`Bearer ${otherKey}`)).statusCode).toBe(401);

    const expired = await new SignJWT({ role: 'learner' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(s.userId)
      .setIssuer('kaopeilian')
      .setAudience('kaopeilian-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setJti('y')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 1800)
      .sign(secret);
    const exp = await me(`Bearer ${expired}`);
    expect(exp.statusCode).toBe(401);
    expect(exp.json().error.code).toBe('ERR-AUTH-0005');

    const wrongAudience = await new SignJWT({ role: 'learner' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(s.userId)
      .setIssuer('kaopeilian')
      .setAudience('someone-else')
      .setIssuedAt()
      .setJti('z')
      .setExpirationTime('5m')
      .sign(secret);
    expect((await me(`Bearer ${wrongAudience}`)).statusCode).toBe(401);

    for (const bad of ['Bearer', 'Bearer abc', 'Basic dXNlcjpwYXNz', `bearer ${s.token}x`]) {
      expect((await me(bad)).statusCode, bad).toBe(401);
    }
  });

  it('revokes the access token and the refresh family on logout', async () => {
    const s = await login(t, 'learner05', DEMO_PASSWORD);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.headers, payload: { refreshToken: s.refreshToken } });
    expect(out.statusCode).toBe(204);
    const after = await me(`Bearer ${s.token}`);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('ERR-AUTH-0005');
    const refresh = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: s.refreshToken } });
    expect(refresh.statusCode).toBe(401);
  });

  it('rotates refresh tokens, and reuse of a rotated one revokes the whole family', async () => {
    const s = await login(t, 'learner06', DEMO_PASSWORD);
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: s.refreshToken } });
    expect(first.statusCode).toBe(200);
    const rotated = loginResponseSchema.parse(first.json());
    expect(rotated.refreshToken).not.toBe(s.refreshToken);
    expect((await me(`Bearer ${rotated.accessToken}`)).statusCode).toBe(200);

    // The old token is presented again (stolen copy): everyone in the family is signed out.
    const reuse = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: s.refreshToken } });
    expect(reuse.statusCode).toBe(401);
    const victim = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: rotated.refreshToken } });
    expect(victim.statusCode).toBe(401);
    // Other sign-ins of the same user are separate families and keep working.
    const other = await login(t, 'learner06', DEMO_PASSWORD);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: other.refreshToken } })).statusCode).toBe(200);
  });

  it('rejects garbage refresh tokens with 401, never 500', async () => {
    for (const refreshToken of ['x', `${'0'.repeat(36)}.${'a'.repeat(43)}`, '01a21305-1182-71ab-9dd3-5c7573f92b69.short']) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
      expect(r.statusCode, refreshToken).toBe(401);
    }
  });

  it('changes the password with the current one and the policy, ending other sessions', async () => {
    const s = await login(t, 'learner07', DEMO_PASSWORD);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: s.headers, payload: { currentPassword: 'nope', newPassword: 'NewPass123' } });
    expect(wrong.json().error.code).toBe('ERR-AUTH-0009');
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: s.headers, payload: { currentPassword: DEMO_PASSWORD, newPassword: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details.problems).toContain('must be at least 8 characters');
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: s.headers, payload: { currentPassword: DEMO_PASSWORD, newPassword: 'NewPass123' } });
    expect(ok.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: s.refreshToken } })).statusCode).toBe(401);
    await login(t, 'learner07', 'NewPass123');
  });

  it('keeps registration off until an admin turns it on, and applies the password policy', async () => {
    const payload = { username: 'newbie', password: 'Welcome123', displayName: '新同事' };
    const off = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload });
    expect(off.statusCode).toBe(403);
    expect(off.json().error.code).toBe('ERR-AUTH-0007');

    const admin = await login(t, 'admin', DEMO_PASSWORD);
    const settings = { registrationEnabled: true, passwordPolicy: { minLength: 10, requireLetter: true, requireDigit: true, requireSymbol: true } };
    const put = await t.app.inject({ method: 'PUT', url: '/api/v1/auth/settings', headers: admin.headers, payload: settings });
    expect(put.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/settings' })).json()).toEqual(settings);

    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload });
    expect(weak.json().error.code).toBe('ERR-AUTH-0008');
    const ok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { ...payload, password: 'Welcome123!' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().user).toMatchObject({ username: 'newbie', role: 'learner' });
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { ...payload, password: 'Welcome123!' } });
    expect(dup.statusCode).toBe(409);
  });

  it('stops a deactivated user at once, whatever tokens they hold', async () => {
    const admin = await login(t, 'admin', DEMO_PASSWORD);
    const s = await login(t, 'learner08', DEMO_PASSWORD);
    const off = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${s.userId}`, headers: admin.headers, payload: { status: 'disabled' } });
    expect(off.statusCode).toBe(200);
    expect((await me(`Bearer ${s.token}`)).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: s.refreshToken } })).statusCode).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'learner08', password: DEMO_PASSWORD } });
    expect(again.json().error.code).toBe('ERR-AUTH-0006');
  });

  it('audits sign-ins, failures and token reuse', async () => {
    const rows = await t.container.database.db.selectFrom('audit_log').selectAll().execute();
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['auth.login', 'auth.login_failed', 'auth.logout', 'auth.refresh_reuse', 'auth.password_changed', 'auth.registered', 'settings.updated', 'user.deactivated', 'auth.token_revoked']) {
      expect(actions, a).toContain(a);
    }
  });
});

describe('per-IP limit on sign-in', () => {
  it('answers 429 past LOGIN_RATE_LIMIT_MAX attempts from one address', async () => {
    const t = await createTestApp({ LOGIN_RATE_LIMIT_MAX: '3' });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++) {
        codes.push((await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: `u${i}`, password: 'x' } })).statusCode);
      }
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await t.close();
    }
  });
});
