import { sql, type Kysely } from 'kysely';
import { createTable, longText } from './helpers.js';

/**
 * The question bank. A question points to its current immutable version; versions stay forever
 * (attempts pin them). Knowledge points and tags of the current version are copied into
 * question_labels so the catalog filters on them with an index instead of parsing JSON.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'question_banks')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('course_id', 'varchar(36)', (c) => c.references('courses.id'))
    .addColumn('owner_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('question_banks_owner').on('question_banks').column('owner_id').execute();
  await db.schema.createIndex('question_banks_course').on('question_banks').column('course_id').execute();

  await createTable(db, 'questions')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('bank_id', 'varchar(36)', (c) => c.notNull().references('question_banks.id'))
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('difficulty', 'integer', (c) => c.notNull())
    .addColumn('default_points', sql`decimal(8,2)`, (c) => c.notNull())
    .addColumn('current_version_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('current_hash', 'varchar(64)', (c) => c.notNull())
    /** The current stem as plain text, for the list's text filter. */
    .addColumn('stem_text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('questions_bank').on('questions').columns(['bank_id', 'status', 'type', 'difficulty']).execute();
  await db.schema.createIndex('questions_status_type').on('questions').columns(['status', 'type', 'difficulty']).execute();
  await db.schema.createIndex('questions_bank_hash').on('questions').columns(['bank_id', 'current_hash']).execute();

  await createTable(db, 'question_versions')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('question_id', 'varchar(36)', (c) => c.notNull().references('questions.id'))
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('content', longText(db), (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // One version per distinct content of a question: reverting an edit points back to the old version.
  await db.schema.createIndex('question_versions_question_hash').on('question_versions').columns(['question_id', 'hash']).unique().execute();

  // No unique key: MySQL's case- and width-insensitive collation would treat some distinct labels as equal.
  await createTable(db, 'question_labels')
    .addColumn('question_id', 'varchar(36)', (c) => c.notNull().references('questions.id'))
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('value', 'varchar(100)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('question_labels_question').on('question_labels').column('question_id').execute();
  await db.schema.createIndex('question_labels_value').on('question_labels').columns(['kind', 'value', 'question_id']).execute();
}
