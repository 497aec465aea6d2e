import { sql, type Kysely } from 'kysely';

/**
 * Re-grading after a key was corrected: each grade records the question version it was made
 * against. Attempts keep the version they showed (`attempt_questions.version_id`); a re-grade moves
 * the grade to the corrected version. Existing grades were all made against the pinned version.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('attempt_grades').addColumn('version_id', 'varchar(36)').execute();
  await sql`update attempt_grades set version_id = (
    select aq.version_id from attempt_questions aq
    where aq.attempt_id = attempt_grades.attempt_id and aq.question_id = attempt_grades.question_id
  )`.execute(db);
}
