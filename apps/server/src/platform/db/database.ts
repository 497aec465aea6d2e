import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, MysqlDialect, SqliteDialect, sql } from 'kysely';
import { createPool, type Pool } from 'mysql2';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'mysql';

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Database {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Round trip to the server; throws when unreachable. */
  ping(): Promise<void>;
  poolStats(): PoolStats;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Max connections in the MySQL pool. */
  poolSize?: number;
  connectTimeoutMs?: number;
}

export function createDatabase(url: string, options: DatabaseOptions = {}): Database {
  if (url.startsWith('sqlite:')) return createSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('mysql://')) return createMysql(url, options);
  throw new Error(`Unsupported DATABASE_URL: ${url.split(':')[0]}`);
}

function createSqlite(path: string): Database {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const conn = new SQLite(file);
  conn.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before we answer, so an acknowledged write survives a power cut too.
  conn.pragma('synchronous = FULL');
  conn.pragma('foreign_keys = ON');
  conn.pragma('busy_timeout = 5000');
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(conn) }) });
  return {
    db,
    dialect: 'sqlite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: () => db.destroy(),
  };
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver prepares a statement for every query; preparing was ~7 % of the server's
 * CPU on the exam-storm save path. Reusing prepared statements by SQL text is safe because Kysely
 * runs one query at a time on its single connection (a stream holds the connection until it ends).
 */
function withStatementCache(conn: SQLite.Database): Pick<SQLite.Database, 'prepare' | 'close'> {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => conn.close(),
    prepare: (source: string) => {
      let stmt = cache.get(source);
      if (stmt) cache.delete(source); // re-inserted below: the Map's order is the recency order
      else stmt = conn.prepare(source);
      cache.set(source, stmt);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return stmt;
    },
  } as Pick<SQLite.Database, 'prepare' | 'close'>;
}

function createMysql(url: string, options: DatabaseOptions): Database {
  const pool: Pool = createPool({
    uri: url,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    connectionLimit: options.poolSize ?? 10,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    // MariaDB returns SUM/AVG as DECIMAL strings by default; we want numbers.
    decimalNumbers: true,
    supportBigNumbers: true,
    bigNumberStrings: false,
  });
  const db = new Kysely<DB>({ dialect: new MysqlDialect({ pool }) });
  return {
    db,
    dialect: 'mysql',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    poolStats: () => mysqlPoolStats(pool),
    close: () => db.destroy(),
  };
}

/** mysql2 keeps its counters in private fields; read them defensively. */
function mysqlPoolStats(pool: Pool): PoolStats {
  const p = pool as unknown as {
    _allConnections?: { length: number };
    _freeConnections?: { length: number };
    _connectionQueue?: { length: number };
  };
  return {
    total: p._allConnections?.length ?? 0,
    idle: p._freeConnections?.length ?? 0,
    waiting: p._connectionQueue?.length ?? 0,
  };
}
