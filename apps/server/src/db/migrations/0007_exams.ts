import type { Kysely } from 'kysely';
import { createTable, longText } from './helpers.js';

/**
 * Papers, exams, attempts and results. Scores are doubles rounded to hundredths by the app.
 * The answer of each question lives on its pinned `attempt_questions` row, so an autosave is one
 * conditional single-row UPDATE (`seq < :seq AND sealed = 0`) and never races an INSERT.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'papers')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    // JSON: fixed → [{questionId, points}], random → [rule].
    .addColumn('definition', longText(db), (c) => c.notNull())
    .addColumn('question_count', 'integer', (c) => c.notNull())
    .addColumn('total_points', 'double precision', (c) => c.notNull())
    .addColumn('owner_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('papers_owner').on('papers').columns(['owner_id', 'created_at']).execute();

  await createTable(db, 'exams')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('paper_id', 'varchar(36)', (c) => c.notNull().references('papers.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('opens_at', 'bigint', (c) => c.notNull())
    .addColumn('closes_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('attempts_allowed', 'integer', (c) => c.notNull())
    .addColumn('pass_mark', 'double precision', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('published_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('exams_owner').on('exams').columns(['owner_id', 'created_at']).execute();
  await db.schema.createIndex('exams_status').on('exams').columns(['status', 'opens_at']).execute();
  await db.schema.createIndex('exams_paper').on('exams').column('paper_id').execute();

  await createTable(db, 'exam_audience')
    .addColumn('exam_id', 'varchar(36)', (c) => c.notNull().references('exams.id'))
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(36)', (c) => c.notNull())
    .addPrimaryKeyConstraint('exam_audience_pk', ['exam_id', 'target_type', 'target_id'])
    .execute();
  await db.schema.createIndex('exam_audience_target').on('exam_audience').columns(['target_type', 'target_id']).execute();

  await createTable(db, 'attempts')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('exam_id', 'varchar(36)', (c) => c.notNull().references('exams.id'))
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('users.id'))
    .addColumn('attempt_no', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('seed', 'varchar(64)', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('deadline_at', 'bigint', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint')
    .addColumn('submit_reason', 'varchar(16)')
    .addColumn('score', 'double precision')
    .addColumn('max_score', 'double precision', (c) => c.notNull())
    .addColumn('pending_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('passed', 'integer')
    .addColumn('graded_at', 'bigint')
    .execute();
  // The unique key makes a concurrent double start create one attempt; the loser returns it.
  await db.schema.createIndex('attempts_exam_user_no').on('attempts').columns(['exam_id', 'user_id', 'attempt_no']).unique().execute();
  await db.schema.createIndex('attempts_user').on('attempts').columns(['user_id', 'exam_id']).execute();
  // The overdue sweep: in-progress attempts ordered by deadline.
  await db.schema.createIndex('attempts_status_deadline').on('attempts').columns(['status', 'deadline_at']).execute();

  await createTable(db, 'attempt_questions')
    .addColumn('attempt_id', 'varchar(36)', (c) => c.notNull().references('attempts.id'))
    .addColumn('question_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('version_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('points', 'double precision', (c) => c.notNull())
    // JSON list of option keys in display order, or null.
    .addColumn('option_order', 'varchar(64)')
    .addColumn('answer', longText(db))
    .addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('saved_at', 'bigint')
    // Set by submit in the same transaction that reads the answers: later saves match no row.
    .addColumn('sealed', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('attempt_questions_pk', ['attempt_id', 'question_id'])
    .execute();

  await createTable(db, 'attempt_grades')
    .addColumn('attempt_id', 'varchar(36)', (c) => c.notNull().references('attempts.id'))
    .addColumn('question_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('max_score', 'double precision', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('grader', 'varchar(16)')
    .addColumn('correct', 'integer')
    .addColumn('comment', 'text')
    .addColumn('detail', longText(db))
    .addColumn('ai_confidence', 'double precision')
    // JSON: the AI's score, explanation and per-rubric-point findings.
    .addColumn('ai_assessment', longText(db))
    .addColumn('graded_by', 'varchar(36)')
    .addColumn('graded_at', 'bigint')
    .addPrimaryKeyConstraint('attempt_grades_pk', ['attempt_id', 'question_id'])
    .execute();
  await db.schema.createIndex('attempt_grades_status').on('attempt_grades').columns(['status', 'attempt_id']).execute();

  await createTable(db, 'attempt_events')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('attempt_id', 'varchar(36)', (c) => c.notNull().references('attempts.id'))
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('detail', 'varchar(500)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attempt_events_attempt').on('attempt_events').columns(['attempt_id', 'at']).execute();
}
