import { sql, type Kysely } from 'kysely';
import type { AttemptStatus } from '@kpl/shared';
import type { DB } from '../../platform/db/schema.js';
import './exams.tables.js';

const likeTerm = (q: string) => `%${q.replace(/[\\%_]/g, '')}%`;

/** Read models for instructors and managers: grading queue, attempts of an exam, who is taking it now. */
export class MonitoringRepository {
  constructor(readonly db: Kysely<DB>) {}

  /** Short answers waiting for a grade, in exams owned by `ownerId` (all exams when undefined). */
  async gradingQueue(filter: { ownerId?: string; examId?: string }, page: number, pageSize: number) {
    let q = this.db
      .selectFrom('attempt_grades as g')
      .innerJoin('attempts as a', 'a.id', 'g.attempt_id')
      .innerJoin('exams as e', 'e.id', 'a.exam_id')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .innerJoin('attempt_questions as aq', (j) => j.onRef('aq.attempt_id', '=', 'g.attempt_id').onRef('aq.question_id', '=', 'g.question_id'))
      .where('g.status', 'in', ['pending', 'manual']);
    if (filter.ownerId) q = q.where('e.owner_id', '=', filter.ownerId);
    if (filter.examId) q = q.where('e.id', '=', filter.examId);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .select([
        'g.attempt_id',
        'g.question_id',
        'g.status',
        'g.max_score',
        'g.ai_assessment',
        'a.exam_id',
        'a.user_id',
        'a.submitted_at',
        'e.title as exam_title',
        'u.display_name',
        'aq.answer',
        'aq.version_id',
        'g.version_id as graded_version_id',
        'aq.position',
      ])
      .orderBy('a.submitted_at')
      .orderBy('g.attempt_id')
      .orderBy('aq.position')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { rows, total: Number(n) };
  }

  async examAttempts(
    examId: string,
    filter: { status?: AttemptStatus; pathPrefix?: string; subtreePath?: string; passed?: boolean; q?: string },
    page: number,
    pageSize: number,
  ) {
    let q = this.db
      .selectFrom('attempts as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .leftJoin('departments as d', 'd.id', 'u.department_id')
      .where('a.exam_id', '=', examId);
    if (filter.status) q = q.where('a.status', '=', filter.status);
    if (filter.pathPrefix) q = q.where('d.path', 'like', `${filter.pathPrefix}%`);
    if (filter.subtreePath) q = q.where('d.path', 'like', `${filter.subtreePath}%`);
    if (filter.passed !== undefined) q = q.where('a.passed', '=', filter.passed ? 1 : 0);
    if (filter.q) {
      const term = likeTerm(filter.q);
      q = q.where((eb) => eb.or([eb('u.display_name', 'like', term), eb('u.username', 'like', term), eb('u.employee_no', 'like', term)]));
    }
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll('a')
      .select(['u.username', 'u.display_name', 'u.department_id'])
      .select((eb) => eb.selectFrom('attempt_events as ev').select(eb.fn.countAll<number>().as('c')).whereRef('ev.attempt_id', '=', 'a.id').as('event_count'))
      .orderBy('a.started_at', 'desc')
      .orderBy('a.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { rows, total: Number(n) };
  }

  /** Running attempts with progress: answered questions, last save and proctoring events. */
  live(examId: string, notOverdueAfter: number, pathPrefix?: string) {
    let q = this.db
      .selectFrom('attempts as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .leftJoin('departments as d', 'd.id', 'u.department_id')
      .innerJoin('attempt_questions as aq', 'aq.attempt_id', 'a.id')
      .where('a.exam_id', '=', examId)
      .where('a.status', '=', 'in_progress')
      .where('a.deadline_at', '>=', notOverdueAfter);
    if (pathPrefix) q = q.where('d.path', 'like', `${pathPrefix}%`);
    return q
      .select(['a.id', 'a.user_id', 'a.started_at', 'a.deadline_at', 'u.display_name', 'u.department_id'])
      .select((eb) => [
        eb.fn.countAll<number>().as('question_count'),
        eb.fn.sum<number>(sql<number>`case when aq.seq > 0 then 1 else 0 end`).as('answered_count'),
        eb.fn.max('aq.saved_at').as('last_saved_at'),
        eb.selectFrom('attempt_events as ev').select(eb.fn.countAll<number>().as('c')).whereRef('ev.attempt_id', '=', 'a.id').as('event_count'),
      ])
      .groupBy(['a.id', 'a.user_id', 'a.started_at', 'a.deadline_at', 'u.display_name', 'u.department_id'])
      .orderBy('a.started_at')
      .execute();
  }

  /** Attempts of an exam for the results export, in id order after `afterId`, with who took them. */
  exportAttempts(examId: string, pathPrefix: string | undefined, afterId: string, limit: number) {
    let q = this.db
      .selectFrom('attempts as a')
      .innerJoin('users as u', 'u.id', 'a.user_id')
      .leftJoin('departments as d', 'd.id', 'u.department_id')
      .where('a.exam_id', '=', examId)
      .where('a.id', '>', afterId);
    if (pathPrefix) q = q.where('d.path', 'like', `${pathPrefix}%`);
    return q
      .selectAll('a')
      .select(['u.employee_no', 'u.username', 'u.display_name', 'u.department_id'])
      .orderBy('a.id')
      .limit(limit)
      .execute();
  }

  /** Each question of these attempts with the answer and its grade, in paper order. */
  questionResults(attemptIds: string[]) {
    if (attemptIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('attempt_questions as aq')
      .leftJoin('attempt_grades as g', (j) => j.onRef('g.attempt_id', '=', 'aq.attempt_id').onRef('g.question_id', '=', 'aq.question_id'))
      .select(['aq.attempt_id', 'aq.question_id', 'aq.position', 'aq.version_id', 'aq.points', 'aq.answer'])
      .select(['g.version_id as graded_version_id', 'g.score', 'g.max_score', 'g.status', 'g.grader', 'g.correct', 'g.detail'])
      .where('aq.attempt_id', 'in', attemptIds)
      .orderBy('aq.attempt_id')
      .orderBy('aq.position')
      .execute();
  }

  userOf(userId: string) {
    return this.db
      .selectFrom('users as u')
      .leftJoin('departments as d', 'd.id', 'u.department_id')
      .select(['u.id', 'u.display_name', 'u.department_id', 'd.path'])
      .where('u.id', '=', userId)
      .executeTakeFirst();
  }
}
