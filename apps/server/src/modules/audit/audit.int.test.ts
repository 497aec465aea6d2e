import { auditPageSchema, type AuditAction } from '@kpl/shared';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { migrations } from '../../db/migrations/index.js';
import { up as createAuditTable } from '../../db/migrations/0004_audit.js';
import { createDatabase, type Database } from '../../platform/db/database.js';
import { migrateToLatest } from '../../platform/db/migrator.js';
import type { DB } from '../../platform/db/schema.js';
import { backend, createTestApp, isolatedEnv, type TestApp, type TestEnv } from '../../test/harness.js';
import { createAudit, type AuditService } from './index.js';

/** Until 0004 is registered in migrations/index.ts, tests apply it themselves. */
async function migrateWithAudit(db: Kysely<DB>): Promise<void> {
  await migrateToLatest(db);
  if (!('0004_audit' in migrations)) await createAuditTable(db as unknown as Kysely<unknown>);
}

const T0 = Date.UTC(2025, 0, 1);

describe(`audit log on ${backend}`, () => {
  let env: TestEnv;
  let database: Database;
  let audit: AuditService;

  beforeAll(async () => {
    env = await isolatedEnv();
    database = createDatabase(env.env.DATABASE_URL!);
    await migrateWithAudit(database.db);
    audit = createAudit(database.db).service;
  });
  afterAll(async () => {
    await database.close();
    await env.cleanup();
  });
  beforeEach(async () => {
    await database.db.deleteFrom('audit_log').execute();
  });

  /** Records at a chosen time, so ordering and ranges are deterministic. */
  async function recordAt(at: number, entry: Parameters<AuditService['record']>[0]): Promise<void> {
    vi.useFakeTimers({ now: at, toFake: ['Date'] });
    try {
      await audit.record(entry);
    } finally {
      vi.useRealTimers();
    }
  }

  async function seed(): Promise<void> {
    const admin = { actorId: '0197a000-0000-7000-8000-000000000001', actorName: '管理员 Admin' };
    const manager = { actorId: '0197a000-0000-7000-8000-000000000002', actorName: '张经理' };
    await recordAt(T0 + 1000, { ...admin, action: 'auth.login', ip: '10.0.0.1', requestId: 'req-1' });
    await recordAt(T0 + 2000, { ...admin, action: 'user.created', targetType: 'user', targetId: 'user-zhang', details: { username: 'zhang.san' } });
    await recordAt(T0 + 3000, { ...manager, action: 'user.updated', targetType: 'user', targetId: 'user-zhang', details: { field: 'phone' } });
    await recordAt(T0 + 4000, { action: 'auth.login_failed', outcome: 'failure', details: { username: 'ghost' } });
    await recordAt(T0 + 5000, { ...manager, action: 'department.created', targetType: 'department', targetId: 'dept-east' });
    await recordAt(T0 + 6000, { ...admin, action: 'settings.updated', targetType: 'settings', targetId: 'password_policy' });
  }

  const actionsOf = async (filter: Parameters<AuditService['query']>[0]) => (await audit.query(filter)).items.map((i) => i.action);

  it('stores every field and reads it back in the API shape', async () => {
    await recordAt(T0, {
      actorId: 'actor-1',
      actorName: '张三𠮷',
      action: 'user.role_changed',
      targetType: 'user',
      targetId: 'user-1',
      ip: '203.0.113.9',
      requestId: 'req-abc',
      details: { from: 'learner', to: 'manager', nested: { list: [1, '二'] } },
    });
    const page = await audit.query();
    expect(auditPageSchema.parse(page)).toEqual(page);
    expect(page.items).toEqual([
      {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        at: T0,
        actorId: 'actor-1',
        actorName: '张三𠮷',
        action: 'user.role_changed',
        targetType: 'user',
        targetId: 'user-1',
        ip: '203.0.113.9',
        requestId: 'req-abc',
        outcome: 'success',
        details: { from: 'learner', to: 'manager', nested: { list: [1, '二'] } },
      },
    ]);
    expect(typeof page.items[0]!.at).toBe('number');
  });

  it('stores null for everything left out', async () => {
    await audit.record({ action: 'auth.logout' });
    const [item] = (await audit.query()).items;
    expect(item).toMatchObject({ actorId: null, actorName: null, targetType: null, targetId: null, ip: null, requestId: null, details: null });
  });

  it('filters by each field and lists newest first', async () => {
    await seed();
    expect(await actionsOf({})).toEqual([
      'settings.updated',
      'department.created',
      'auth.login_failed',
      'user.updated',
      'user.created',
      'auth.login',
    ]);
    expect(await actionsOf({ action: 'user.created' })).toEqual(['user.created']);
    expect(await actionsOf({ action: ['auth.login', 'auth.login_failed'] })).toEqual(['auth.login_failed', 'auth.login']);
    expect(await actionsOf({ actorId: '0197a000-0000-7000-8000-000000000002' })).toEqual(['department.created', 'user.updated']);
    expect(await actionsOf({ targetType: 'user', targetId: 'user-zhang' })).toEqual(['user.updated', 'user.created']);
    expect(await actionsOf({ targetType: 'department' })).toEqual(['department.created']);
    expect(await actionsOf({ outcome: 'failure' })).toEqual(['auth.login_failed']);
    expect(await actionsOf({ from: T0 + 2000, to: T0 + 4000 })).toEqual(['auth.login_failed', 'user.updated', 'user.created']);
    expect(await actionsOf({ from: T0 + 5500 })).toEqual(['settings.updated']);
    expect(await actionsOf({ to: T0 + 1000 })).toEqual(['auth.login']);
    expect(await actionsOf({ from: T0 + 4000, to: T0 + 3000 })).toEqual([]);
    expect(await actionsOf({ action: 'user.updated', actorId: '0197a000-0000-7000-8000-000000000001' })).toEqual([]);
  });

  it('searches actor name, target id and action case-insensitively, with wildcards taken literally', async () => {
    await seed();
    expect(await actionsOf({ q: 'admin' })).toEqual(['settings.updated', 'user.created', 'auth.login']);
    expect(await actionsOf({ q: '经理' })).toEqual(['department.created', 'user.updated']);
    expect(await actionsOf({ q: 'USER-ZHANG' })).toEqual(['user.updated', 'user.created']);
    expect(await actionsOf({ q: 'Login_Failed' })).toEqual(['auth.login_failed']);
    // '_' matches only an underscore and '%' only a percent sign.
    expect(await actionsOf({ q: 'password_policy' })).toEqual(['settings.updated']);
    expect(await actionsOf({ q: 'password%policy' })).toEqual([]);
    expect(await actionsOf({ q: 'user_zhang' })).toEqual([]);
    expect(await actionsOf({ q: '!' })).toEqual([]);
  });

  it('pages with a total, and caps the page size at 200', async () => {
    for (let i = 0; i < 7; i++) await recordAt(T0 + i, { action: 'users.exported', targetId: `export-${i}` });
    const first = await audit.query({ page: 1, pageSize: 3 });
    expect(first).toMatchObject({ total: 7, page: 1, pageSize: 3 });
    expect(first.items.map((i) => i.targetId)).toEqual(['export-6', 'export-5', 'export-4']);
    const last = await audit.query({ page: 3, pageSize: 3 });
    expect(last.items.map((i) => i.targetId)).toEqual(['export-0']);
    expect((await audit.query({ page: 4, pageSize: 3 })).items).toEqual([]);
    expect(await audit.query({ pageSize: 1000 })).toMatchObject({ pageSize: 200, total: 7 });
    expect(await audit.query({ page: 0, pageSize: 0 })).toMatchObject({ page: 1, pageSize: 1 });
  });

  it('keeps the order of entries recorded in the same millisecond', async () => {
    for (let i = 0; i < 5; i++) await recordAt(T0, { action: 'user.updated', targetId: `same-ms-${i}` });
    expect((await audit.query()).items.map((i) => i.targetId)).toEqual(['same-ms-4', 'same-ms-3', 'same-ms-2', 'same-ms-1', 'same-ms-0']);
  });

  it('never stores passwords, tokens, secrets or keys in details', async () => {
    await audit.record({
      action: 'user.password_reset',
      details: {
        username: 'zhang.san',
        password: 'Passw0rd!',
        newPassword: 'N3w!pass',
        request: { refreshToken: 'rt-123', headers: [{ 'x-api-key': 'k-1' }], note: 'kept' },
        llm: { apiKey: 'sk-live', client_secret: 's', keyword: 'redacted too: looks like a key' },
      },
    });
    const row = await database.db.selectFrom('audit_log').select('details').executeTakeFirstOrThrow();
    for (const secret of ['Passw0rd!', 'N3w!pass', 'rt-123', 'k-1', 'sk-live']) expect(row.details).not.toContain(secret);
    const [item] = (await audit.query()).items;
    expect(item!.details).toEqual({
      username: 'zhang.san',
      password: '[redacted]',
      newPassword: '[redacted]',
      request: { refreshToken: '[redacted]', headers: [{ 'x-api-key': '[redacted]' }], note: 'kept' },
      llm: { apiKey: '[redacted]', client_secret: '[redacted]', keyword: '[redacted]' },
    });
  });

  it('clips over-long values to the column width instead of failing', async () => {
    await audit.record({ action: 'auth.login', actorName: '长'.repeat(150), requestId: 'r'.repeat(300), targetId: 't'.repeat(100) });
    const [item] = (await audit.query()).items;
    expect(item!.actorName).toBe('长'.repeat(100));
    expect(item!.requestId).toHaveLength(128);
    expect(item!.targetId).toHaveLength(64);
  });

  it('commits with the transaction it is given, and disappears with a rollback', async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await audit.record({ action: 'user.deactivated', targetType: 'user', targetId: 'rolled-back' }, trx);
        expect((await trx.selectFrom('audit_log').select('id').execute()).length).toBe(1);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect((await audit.query()).total).toBe(0);

    await database.db.transaction().execute((trx) => audit.record({ action: 'user.activated', targetId: 'committed' }, trx));
    expect((await audit.query()).items.map((i) => i.targetId)).toEqual(['committed']);
  });
});

describe(`GET /audit on ${backend}`, () => {
  let env: TestEnv;
  let database: Database;
  let t: TestApp;
  const asked: string[] = [];

  beforeAll(async () => {
    // The module needs its database before the app registers its routes, so the app is pointed at
    // a database made (and given the audit table) here; it is the one t.container.database uses.
    env = await isolatedEnv();
    database = createDatabase(env.env.DATABASE_URL!);
    await migrateWithAudit(database.db);
    const audit = createAudit(database.db);
    t = await createTestApp(
      { DATABASE_URL: env.env.DATABASE_URL! },
      {
        // Under its own prefix, so it cannot clash with the audit module the container may register.
        routes: async (api) => {
          await api.register(audit.module.routes!, { prefix: '/under-test' });
        },
        authorize: async (_request, permission) => {
          asked.push(permission);
        },
      },
    );
    await audit.service.record({ action: 'auth.login', actorName: 'Admin' });
    await audit.service.record({ action: 'auth.login_failed', actorName: 'ghost', outcome: 'failure' });
    await audit.service.record({ action: 'user.created', actorName: 'Admin', targetType: 'user', targetId: 'u-1' });
  });
  afterAll(async () => {
    await t?.close();
    await database?.close();
    await env?.cleanup();
  });

  it('is guarded by the audit.read permission', async () => {
    asked.length = 0;
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/under-test/audit' });
    expect(res.statusCode).toBe(200);
    expect(asked).toEqual(['audit.read']);
  });

  it('returns a page, newest first', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/under-test/audit?pageSize=2' });
    const body = auditPageSchema.parse(res.json());
    expect(body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(body.items.map((i) => i.action)).toEqual(['user.created', 'auth.login_failed']);
  });

  it('accepts several actions, repeated or comma-separated', async () => {
    const expected: AuditAction[] = ['auth.login_failed', 'auth.login'];
    for (const query of ['action=auth.login&action=auth.login_failed', 'action=auth.login,auth.login_failed']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/under-test/audit?${query}` });
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((i: { action: string }) => i.action)).toEqual(expected);
    }
  });

  it('coerces numbers and filters by outcome and text', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/under-test/audit?outcome=failure&from=0&to=${Date.now() + 1000}&q=GHOST` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ total: 1, items: [{ action: 'auth.login_failed', actorName: 'ghost' }] });
  });

  it('rejects from after to with a clear message', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/under-test/audit?from=2000&to=1000' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'ERR-COMMON-0001',
      details: [{ path: 'querystring.to', message: '"from" must be earlier than or equal to "to"' }],
    });
  });

  it('rejects unknown actions, a page size over 200 and non-numeric times', async () => {
    for (const query of ['action=user.exploded', 'pageSize=201', 'from=yesterday']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/v1/under-test/audit?${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code).toBe('ERR-COMMON-0001');
    }
  });

  it('appears in the OpenAPI document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' });
    const doc = res.json() as { paths: Record<string, { get?: { tags?: string[] } }> };
    expect(doc.paths['/api/v1/under-test/audit']?.get?.tags).toEqual(['audit']);
  });
});
