import type { Kysely } from 'kysely';
import { createTable, longText } from './helpers.js';

/** AI question generation: jobs and the candidates they produce (with validation reports) awaiting review. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'generation_jobs')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('created_by', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('course_id', 'varchar(36)')
    .addColumn('material_ids', 'text', (c) => c.notNull())
    .addColumn('knowledge_point_ids', 'text', (c) => c.notNull())
    .addColumn('types', 'varchar(200)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('difficulty', 'integer')
    .addColumn('bank_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('stats', longText(db))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('generation_jobs_creator').on('generation_jobs').columns(['created_by', 'created_at']).execute();

  await createTable(db, 'generation_candidates')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('job_id', 'varchar(36)', (c) => c.notNull().references('generation_jobs.id'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('type', 'varchar(16)')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('content', longText(db))
    .addColumn('raw', longText(db))
    .addColumn('material_id', 'varchar(36)')
    .addColumn('chunk_id', 'varchar(36)')
    .addColumn('quote', 'text')
    .addColumn('citation', 'varchar(500)')
    .addColumn('validation', longText(db), (c) => c.notNull())
    .addColumn('question_id', 'varchar(36)')
    .addColumn('reviewed_by', 'varchar(36)')
    .addColumn('reviewed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('generation_candidates_job').on('generation_candidates').columns(['job_id', 'idx']).execute();
  await db.schema.createIndex('generation_candidates_status').on('generation_candidates').columns(['status', 'created_at']).execute();
}
