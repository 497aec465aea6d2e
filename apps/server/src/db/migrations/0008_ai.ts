import type { Kysely } from 'kysely';
import { createTable } from './helpers.js';

// Constants copied here on purpose: migrations never import application code.
const BUILTIN_BACKEND_ID = '00000000-0000-7000-8000-000000000001';
const CAPABILITIES = ['generateQuestions', 'gradeAnswer', 'tutorAnswer', 'rolePlayTurn', 'evaluatePractice', 'embed'];

/** Latency bucket upper bounds (ms) of ai_usage; the last bucket is unbounded. */
const LATENCY_BUCKETS = ['le_250', 'le_500', 'le_1000', 'le_2000', 'le_5000', 'le_10000', 'le_20000', 'le_30000', 'le_60000', 'le_inf'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'ai_backends')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('base_url', 'varchar(500)')
    .addColumn('model', 'varchar(200)')
    .addColumn('app_id', 'varchar(200)')
    .addColumn('options', 'text', (c) => c.notNull())
    // base64(iv ‖ tag ‖ ciphertext), AES-256-GCM; the mask is kept so lists never decrypt.
    .addColumn('api_key_enc', 'text')
    .addColumn('api_key_mask', 'varchar(32)')
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('connect_timeout_ms', 'integer')
    .addColumn('first_byte_timeout_ms', 'integer')
    .addColumn('total_timeout_ms', 'integer')
    .addColumn('max_concurrency', 'integer')
    .addColumn('max_queue', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await createTable(db, 'ai_capability_settings')
    .addColumn('capability', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('backend_id', 'varchar(36)', (c) => c.notNull().references('ai_backends.id'))
    .addColumn('fallback_to_builtin', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  // One row per hour, backend and capability: every process adds to it, so usage is global.
  let usage = createTable(db, 'ai_usage')
    .addColumn('hour', 'bigint', (c) => c.notNull())
    .addColumn('backend_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('capability', 'varchar(32)', (c) => c.notNull())
    .addColumn('calls', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('prompt_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('completion_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('latency_ms_sum', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('first_byte_ms_sum', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('first_byte_count', 'integer', (c) => c.notNull().defaultTo(0));
  for (const b of LATENCY_BUCKETS) usage = usage.addColumn(b, 'integer', (c) => c.notNull().defaultTo(0));
  await usage.addPrimaryKeyConstraint('ai_usage_pk', ['hour', 'backend_id', 'capability']).execute();

  // Out of the box every capability uses the offline engine, so the product works with no keys.
  const rows = db as unknown as Kysely<{ ai_backends: Record<string, unknown>; ai_capability_settings: Record<string, unknown> }>;
  const t = Date.now();
  await rows
    .insertInto('ai_backends')
    .values({
      id: BUILTIN_BACKEND_ID,
      name: '内置离线引擎',
      kind: 'builtin',
      base_url: null,
      model: null,
      app_id: null,
      options: '{}',
      api_key_enc: null,
      api_key_mask: null,
      enabled: 1,
      created_at: t,
      updated_at: t,
    })
    .execute();
  await rows
    .insertInto('ai_capability_settings')
    .values(CAPABILITIES.map((capability) => ({ capability, backend_id: BUILTIN_BACKEND_ID, fallback_to_builtin: 0, updated_at: t })))
    .execute();
}
