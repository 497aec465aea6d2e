import type { Kysely } from 'kysely';
import { createTable } from './helpers.js';

/**
 * The wrong-answer book. One entry per (learner, question), pinned to the version last answered
 * wrongly; `revision` guards read-modify-write updates (no row locks on SQLite). Knowledge points of
 * the pinned version are copied to wrong_answer_points so the list filters with an index.
 * wrong_answer_attempts remembers every attempt already applied, so a re-delivered job changes nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'wrong_answers')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('question_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('version_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('wrong_count', 'integer', (c) => c.notNull())
    .addColumn('streak', 'integer', (c) => c.notNull())
    .addColumn('last_wrong_at', 'bigint', (c) => c.notNull())
    .addColumn('last_answered_at', 'bigint', (c) => c.notNull())
    .addColumn('last_attempt_id', 'varchar(36)')
    .addColumn('exam_id', 'varchar(36)')
    .addColumn('exam_title', 'varchar(200)')
    .addColumn('cleared_at', 'bigint')
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wrong_answers_user_question').on('wrong_answers').columns(['user_id', 'question_id']).unique().execute();
  await db.schema.createIndex('wrong_answers_user_status').on('wrong_answers').columns(['user_id', 'status', 'last_wrong_at']).execute();

  await createTable(db, 'wrong_answer_points')
    .addColumn('entry_id', 'varchar(36)', (c) => c.notNull().references('wrong_answers.id'))
    .addColumn('knowledge_point', 'varchar(100)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('wrong_answer_points_entry').on('wrong_answer_points').column('entry_id').execute();
  await db.schema.createIndex('wrong_answer_points_value').on('wrong_answer_points').columns(['knowledge_point', 'entry_id']).execute();

  await createTable(db, 'wrong_answer_attempts')
    .addColumn('attempt_id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
}
