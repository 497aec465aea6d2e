import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, isolatedEnv, type TestEnv } from '../../test/harness.js';
import { UsersRepository } from '../../modules/identity/index.js';
import { newId, now } from '../ids.js';
import { sql } from 'kysely';
import { createDatabase, type Database } from './database.js';
import { migrations } from '../../db/migrations/index.js';
import { migrateToLatest, pendingMigrations } from './migrator.js';

describe(`data layer on ${backend}`, () => {
  let env: TestEnv;
  let database: Database;
  beforeAll(async () => {
    env = await isolatedEnv();
    database = createDatabase(env.env.DATABASE_URL!);
  });
  afterAll(async () => {
    await database.close();
    await env.cleanup();
  });

  it('applies every migration once, then has nothing pending', async () => {
    expect(database.dialect).toBe(backend);
    const first = await migrateToLatest(database.db);
    expect(first.applied).toEqual(Object.keys(migrations));
    const second = await migrateToLatest(database.db);
    expect(second.applied).toEqual([]);
    expect(await pendingMigrations(database.db)).toEqual([]);
  });

  it('reuses prepared statements safely: repeated queries, a stream interleaved with nothing else, a schema change', async () => {
    const names = async () => (await sql<{ n: string }>`select name as n from departments order by name`.execute(database.db)).rows.map((r) => r.n);
    const before = await names();
    expect(await names()).toEqual(before);
    const seen: unknown[] = [];
    for await (const row of database.db.selectFrom('departments').select('name').stream()) seen.push(row.name);
    expect(seen.length).toBe(before.length);
    // The same SQL text after the table changed shape still runs (SQLite re-prepares on schema change).
    await sql`create table stmt_cache_probe (a integer)`.execute(database.db);
    await sql`insert into stmt_cache_probe (a) values (1)`.execute(database.db);
    const probe = () => sql<{ a: number }>`select * from stmt_cache_probe`.execute(database.db);
    expect((await probe()).rows).toEqual([{ a: 1 }]);
    await sql`alter table stmt_cache_probe add column b integer`.execute(database.db);
    expect((await probe()).rows).toEqual([{ a: 1, b: null }]);
    await sql`drop table stmt_cache_probe`.execute(database.db);
  });

  it('round-trips Chinese and 4-byte characters, numbers and null', async () => {
    const t = now();
    const id = newId();
    await database.db
      .insertInto('departments')
      .values({ id, parent_id: null, name: '总部𠮷😀', sort_order: 2, path: `/${id}/`, created_at: t, updated_at: t })
      .execute();
    const row = await database.db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ name: '总部𠮷😀', parent_id: null, path: `/${id}/` });
    expect(Number(row.sort_order)).toBe(2);
    expect(Number(row.created_at)).toBe(t);
  });

  it('enforces unique usernames and foreign keys', async () => {
    const t = now();
    const base = { display_name: 'x', password_hash: 'x', role: 'learner' as const, status: 'active' as const, created_at: t, updated_at: t };
    const repo = new UsersRepository(database.db);
    await repo.insert({ ...base, id: newId(), username: 'zhang.san' });
    await expect(repo.insert({ ...base, id: newId(), username: 'zhang.san' })).rejects.toThrow();
    await expect(repo.insert({ ...base, id: newId(), username: 'orphan', department_id: newId() })).rejects.toThrow();
    expect(await repo.count()).toBe(1);
  });

  it('rolls a failed transaction back completely', async () => {
    const before = await database.db.selectFrom('departments').select('id').execute();
    await expect(
      database.db.transaction().execute(async (trx) => {
        const id = newId();
        await trx.insertInto('departments').values({ id, parent_id: null, name: '回滚测试', path: `/${id}/`, created_at: 1, updated_at: 1 }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await database.db.selectFrom('departments').select('id').execute()).toHaveLength(before.length);
  });

  it('reports pool statistics and answers a ping', async () => {
    await database.ping();
    const stats = database.poolStats();
    expect(stats.total).toBeGreaterThanOrEqual(1);
  });
});
