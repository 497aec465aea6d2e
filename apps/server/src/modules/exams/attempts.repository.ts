import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { SubmitReason } from '@kpl/shared';
import type { DB } from '../../platform/db/schema.js';
import type { AttemptGradesTable, AttemptQuestionsTable, AttemptsTable } from './exams.tables.js';
import './exams.tables.js';

export type AttemptRow = Selectable<AttemptsTable>;
export type GradeRow = Selectable<AttemptGradesTable>;
export type PinnedRow = Pick<Selectable<AttemptQuestionsTable>, 'question_id' | 'position' | 'version_id' | 'points' | 'option_order'>;
export type AnswerRow = Pick<Selectable<AttemptQuestionsTable>, 'question_id' | 'answer' | 'seq' | 'flagged' | 'saved_at'>;

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === 'ER_DUP_ENTRY' || e?.errno === 1062;
}

export class AttemptsRepository {
  constructor(readonly db: Kysely<DB>) {}

  withDb(db: Kysely<DB>): AttemptsRepository {
    return new AttemptsRepository(db);
  }

  find(id: string): Promise<AttemptRow | undefined> {
    return this.db.selectFrom('attempts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  ofUser(examId: string, userId: string): Promise<AttemptRow[]> {
    return this.db.selectFrom('attempts').selectAll().where('exam_id', '=', examId).where('user_id', '=', userId).orderBy('attempt_no').execute();
  }

  /** The user's attempts of several exams at once (the learner's exam list). */
  ofUserIn(examIds: string[], userId: string): Promise<AttemptRow[]> {
    if (examIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('attempts').selectAll().where('user_id', '=', userId).where('exam_id', 'in', examIds).orderBy('attempt_no').execute();
  }

  async hasAttempts(examId: string): Promise<boolean> {
    return Boolean(await this.db.selectFrom('attempts').select('id').where('exam_id', '=', examId).limit(1).executeTakeFirst());
  }

  /** One transaction: the attempt and its pinned questions appear together or not at all. */
  async create(attempt: Insertable<AttemptsTable>, questions: Insertable<AttemptQuestionsTable>[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('attempts').values(attempt).execute();
      for (let i = 0; i < questions.length; i += 200) await trx.insertInto('attempt_questions').values(questions.slice(i, i + 200)).execute();
    });
  }

  pinned(attemptId: string): Promise<PinnedRow[]> {
    return this.db
      .selectFrom('attempt_questions')
      .select(['question_id', 'position', 'version_id', 'points', 'option_order'])
      .where('attempt_id', '=', attemptId)
      .orderBy('position')
      .execute();
  }

  answers(attemptId: string): Promise<AnswerRow[]> {
    return this.db.selectFrom('attempt_questions').select(['question_id', 'answer', 'seq', 'flagged', 'saved_at']).where('attempt_id', '=', attemptId).orderBy('position').execute();
  }

  /**
   * The autosave: one conditional single-row UPDATE. It matches only while the stored seq is lower
   * and the attempt is not sealed, so duplicates, out-of-order arrivals and saves racing a submit
   * change nothing. The row exists from the start of the attempt, so there is no insert race.
   */
  async saveAnswer(attemptId: string, questionId: string, seq: number, answer: string, flagged: boolean | undefined, savedAt: number): Promise<boolean> {
    const res = await this.db
      .updateTable('attempt_questions')
      .set({ answer, seq, saved_at: savedAt, ...(flagged !== undefined && { flagged: flagged ? 1 : 0 }) })
      .where('attempt_id', '=', attemptId)
      .where('question_id', '=', questionId)
      .where('seq', '<', seq)
      .where('sealed', '=', 0)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  answerState(attemptId: string, questionId: string) {
    return this.db.selectFrom('attempt_questions').select(['seq', 'saved_at', 'sealed']).where('attempt_id', '=', attemptId).where('question_id', '=', questionId).executeTakeFirst();
  }

  /** The one submit that wins: only an in-progress attempt changes, so exactly one caller grades it. */
  async markSubmitted(id: string, at: number, reason: SubmitReason): Promise<boolean> {
    const res = await this.db
      .updateTable('attempts')
      .set({ status: 'submitted', submitted_at: at, submit_reason: reason })
      .where('id', '=', id)
      .where('status', '=', 'in_progress')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Closes every answer row: saves still in flight either committed before (and are read) or match nothing. */
  async seal(attemptId: string): Promise<void> {
    await this.db.updateTable('attempt_questions').set({ sealed: 1 }).where('attempt_id', '=', attemptId).execute();
  }

  async insertGrades(rows: Insertable<AttemptGradesTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) await this.db.insertInto('attempt_grades').values(rows.slice(i, i + 200)).execute();
  }

  grades(attemptId: string): Promise<GradeRow[]> {
    return this.db.selectFrom('attempt_grades').selectAll().where('attempt_id', '=', attemptId).execute();
  }

  grade(attemptId: string, questionId: string): Promise<GradeRow | undefined> {
    return this.db.selectFrom('attempt_grades').selectAll().where('attempt_id', '=', attemptId).where('question_id', '=', questionId).executeTakeFirst();
  }

  /** Changes a grade; with `onlyIf`, only while it still has that status (the AI never overrides a person). */
  async updateGrade(attemptId: string, questionId: string, patch: Updateable<AttemptGradesTable>, onlyIf?: AttemptGradesTable['status']): Promise<boolean> {
    let q = this.db.updateTable('attempt_grades').set(patch).where('attempt_id', '=', attemptId).where('question_id', '=', questionId);
    if (onlyIf) q = q.where('status', '=', onlyIf);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /**
   * A re-grade moves one grade to a newer version — only while it is still graded against `fromVersion`
   * and no person graded it meanwhile, so concurrent or repeated re-grades change it once.
   */
  async regradeQuestion(attemptId: string, questionId: string, fromVersion: string, patch: Updateable<AttemptGradesTable>): Promise<boolean> {
    const res = await this.db
      .updateTable('attempt_grades')
      .set(patch)
      .where('attempt_id', '=', attemptId)
      .where('question_id', '=', questionId)
      .where((eb) => eb.or([eb('version_id', '=', fromVersion), eb('version_id', 'is', null)]))
      .where((eb) => eb.or([eb('grader', 'is', null), eb('grader', '!=', 'user')]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  /** Submitted attempts of an exam in id order after `afterId` (keyset pages for long re-grades). */
  async submittedIds(examId: string, afterId: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('attempts')
      .select('id')
      .where('exam_id', '=', examId)
      .where('status', '=', 'submitted')
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async countByStatus(examId: string): Promise<{ submitted: number; running: number }> {
    const rows = await this.db
      .selectFrom('attempts')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('exam_id', '=', examId)
      .groupBy('status')
      .execute();
    const of = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return { submitted: of('submitted'), running: of('in_progress') };
  }

  /** Every question any submitted attempt of the exam was given (random papers differ per attempt). */
  async questionIdsOfExam(examId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('attempt_questions as aq')
      .innerJoin('attempts as a', 'a.id', 'aq.attempt_id')
      .select('aq.question_id')
      .distinct()
      .where('a.exam_id', '=', examId)
      .where('a.status', '=', 'submitted')
      .execute();
    return rows.map((r) => r.question_id);
  }

  async updateTotals(id: string, totals: Pick<Updateable<AttemptsTable>, 'score' | 'max_score' | 'pending_count' | 'passed' | 'graded_at'>): Promise<void> {
    await this.db.updateTable('attempts').set(totals).where('id', '=', id).execute();
  }

  /** In-progress attempts whose deadline passed before `cutoff`, oldest first. */
  async overdue(cutoff: number, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('attempts').select('id').where('status', '=', 'in_progress').where('deadline_at', '<', cutoff).orderBy('deadline_at').limit(limit).execute();
    return rows.map((r) => r.id);
  }

  async running(examId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('attempts').select('id').where('exam_id', '=', examId).where('status', '=', 'in_progress').execute();
    return rows.map((r) => r.id);
  }

  async countEvents(attemptId: string): Promise<number> {
    const { n } = await this.db.selectFrom('attempt_events').select((eb) => eb.fn.countAll<number>().as('n')).where('attempt_id', '=', attemptId).executeTakeFirstOrThrow();
    return Number(n);
  }

  async insertEvents(rows: { id: string; attempt_id: string; kind: string; at: number; detail: string | null; created_at: number }[]): Promise<void> {
    if (rows.length) await this.db.insertInto('attempt_events').values(rows).execute();
  }

  events(attemptId: string) {
    return this.db.selectFrom('attempt_events').select(['kind', 'at', 'detail']).where('attempt_id', '=', attemptId).orderBy('at').orderBy('id').execute();
  }
}
