import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { WrongAnswersTable } from './wrong-answers.tables.js';
import './wrong-answers.tables.js';

export type EntryRow = Selectable<WrongAnswersTable>;
export type EntryPatch = Omit<Updateable<WrongAnswersTable>, 'id' | 'user_id' | 'question_id' | 'revision' | 'created_at'>;

export interface ListFilter {
  knowledgePoint?: string;
  page: number;
  pageSize: number;
}

/** SQL of the wrong-answer book. Times and counters are normalised to numbers (MariaDB may send strings). */
export class WrongAnswersRepository {
  constructor(readonly db: Kysely<DB>) {}

  withDb(db: Kysely<DB>): WrongAnswersRepository {
    return new WrongAnswersRepository(db);
  }

  /** Marks an attempt as applied; the primary key makes a second (or concurrent) insert fail. */
  async markAttemptRecorded(attemptId: string, userId: string, at: number): Promise<void> {
    await this.db.insertInto('wrong_answer_attempts').values({ attempt_id: attemptId, user_id: userId, recorded_at: at }).execute();
  }

  async recordedAttempts(attemptIds: string[]): Promise<Set<string>> {
    if (!attemptIds.length) return new Set();
    const rows = await this.db.selectFrom('wrong_answer_attempts').select('attempt_id').where('attempt_id', 'in', attemptIds).execute();
    return new Set(rows.map((r) => r.attempt_id));
  }

  async find(id: string): Promise<EntryRow | undefined> {
    const row = await this.db.selectFrom('wrong_answers').selectAll().where('id', '=', id).executeTakeFirst();
    return row && normalise(row);
  }

  async findByQuestions(userId: string, questionIds: string[]): Promise<EntryRow[]> {
    if (!questionIds.length) return [];
    const rows = await this.db.selectFrom('wrong_answers').selectAll().where('user_id', '=', userId).where('question_id', 'in', questionIds).execute();
    return rows.map(normalise);
  }

  async insert(row: Insertable<WrongAnswersTable>, knowledgePoints: string[]): Promise<void> {
    await this.db.insertInto('wrong_answers').values(row).execute();
    await this.insertPoints(row.id, knowledgePoints);
  }

  /** Applies the patch only if nobody changed the entry since it was read; false otherwise. */
  async updateIfUnchanged(id: string, revision: number, patch: EntryPatch): Promise<boolean> {
    const res = await this.db
      .updateTable('wrong_answers')
      .set({ ...patch, revision: revision + 1 })
      .where('id', '=', id)
      .where('revision', '=', revision)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** The knowledge points of the pinned version (they change when a new version is pinned). */
  async replacePoints(entryId: string, knowledgePoints: string[]): Promise<void> {
    await this.db.deleteFrom('wrong_answer_points').where('entry_id', '=', entryId).execute();
    await this.insertPoints(entryId, knowledgePoints);
  }

  private async insertPoints(entryId: string, knowledgePoints: string[]): Promise<void> {
    const unique = [...new Set(knowledgePoints.map((k) => k.slice(0, 100)))];
    if (unique.length) await this.db.insertInto('wrong_answer_points').values(unique.map((k) => ({ entry_id: entryId, knowledge_point: k }))).execute();
  }

  /** Active entries, most recently answered wrong first. */
  async listActive(userId: string, filter: ListFilter): Promise<{ rows: EntryRow[]; total: number }> {
    let q = this.db.selectFrom('wrong_answers').where('wrong_answers.user_id', '=', userId).where('wrong_answers.status', '=', 'active');
    if (filter.knowledgePoint) {
      const kp = filter.knowledgePoint;
      q = q.where('wrong_answers.id', 'in', (eb) => eb.selectFrom('wrong_answer_points').select('entry_id').where('knowledge_point', '=', kp));
    }
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll('wrong_answers')
      .orderBy('wrong_answers.last_wrong_at', 'desc')
      .orderBy('wrong_answers.id', 'desc')
      .limit(filter.pageSize)
      .offset((filter.page - 1) * filter.pageSize)
      .execute();
    return { rows: rows.map(normalise), total: Number(n) };
  }

  async countActive(userId: string): Promise<number> {
    const { n } = await this.db
      .selectFrom('wrong_answers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  async countActiveByPoint(userId: string): Promise<{ knowledgePoint: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('wrong_answer_points')
      .innerJoin('wrong_answers', 'wrong_answers.id', 'wrong_answer_points.entry_id')
      .select(['wrong_answer_points.knowledge_point as kp', (eb) => eb.fn.countAll<number>().as('n')])
      .where('wrong_answers.user_id', '=', userId)
      .where('wrong_answers.status', '=', 'active')
      .groupBy('wrong_answer_points.knowledge_point')
      .execute();
    return rows
      .map((r) => ({ knowledgePoint: r.kp, count: Number(r.n) }))
      .sort((a, b) => b.count - a.count || a.knowledgePoint.localeCompare(b.knowledgePoint));
  }
}

function normalise(r: EntryRow): EntryRow {
  return {
    ...r,
    wrong_count: Number(r.wrong_count),
    streak: Number(r.streak),
    revision: Number(r.revision),
    last_wrong_at: Number(r.last_wrong_at),
    last_answered_at: Number(r.last_answered_at),
    cleared_at: r.cleared_at === null ? null : Number(r.cleared_at),
    created_at: Number(r.created_at),
    updated_at: Number(r.updated_at),
  };
}
