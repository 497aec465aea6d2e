import type { ExpressionBuilder, Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { ExamsTable } from './exams.tables.js';
import './exams.tables.js';

export type ExamRow = Selectable<ExamsTable> & {
  owner_name: string | null;
  paper_title: string | null;
  question_count: number | null;
  total_points: number | null;
};

export interface Audience {
  departmentIds: string[];
  userIds: string[];
}

const likeTerm = (q: string) => `%${q.replace(/[\\%_]/g, '')}%`;

export class ExamsRepository {
  constructor(readonly db: Kysely<DB>) {}

  withDb(db: Kysely<DB>): ExamsRepository {
    return new ExamsRepository(db);
  }

  private base() {
    return this.db
      .selectFrom('exams')
      .leftJoin('users', 'users.id', 'exams.owner_id')
      .leftJoin('papers', 'papers.id', 'exams.paper_id')
      .selectAll('exams')
      .select(['users.display_name as owner_name', 'papers.title as paper_title', 'papers.question_count', 'papers.total_points']);
  }

  find(id: string): Promise<ExamRow | undefined> {
    return this.base().where('exams.id', '=', id).executeTakeFirst();
  }

  async list(
    filter: { q?: string; status?: ExamsTable['status']; visibility: { all: true } | { ownerId?: string; nonDraft: boolean } },
    page: number,
    pageSize: number,
  ): Promise<{ rows: ExamRow[]; total: number }> {
    let q = this.base();
    const v = filter.visibility;
    if (!('all' in v)) {
      q = q.where((eb) => {
        const ors = [eb('exams.status', '!=', 'draft')];
        if (v.ownerId) ors.push(eb('exams.owner_id', '=', v.ownerId));
        return eb.or(ors);
      });
    }
    if (filter.status) q = q.where('exams.status', '=', filter.status);
    if (filter.q) q = q.where('exams.title', 'like', likeTerm(filter.q));
    const { n } = await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q.orderBy('exams.created_at', 'desc').orderBy('exams.id').limit(pageSize).offset((page - 1) * pageSize).execute();
    return { rows, total: Number(n) };
  }

  async insert(row: Insertable<ExamsTable>, audience: Audience): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('exams').values(row).execute();
      await this.withDb(trx).writeAudience(row.id, audience);
    });
  }

  async update(id: string, patch: Updateable<ExamsTable>, audience?: Audience): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('exams').set(patch).where('id', '=', id).execute();
      if (audience) {
        await trx.deleteFrom('exam_audience').where('exam_id', '=', id).execute();
        await this.withDb(trx).writeAudience(id, audience);
      }
    });
  }

  /** Moves the exam between states only from the expected one; false when someone else moved it first. */
  async transition(id: string, from: ExamsTable['status'], patch: Updateable<ExamsTable>): Promise<boolean> {
    const res = await this.db.updateTable('exams').set(patch).where('id', '=', id).where('status', '=', from).executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  private async writeAudience(examId: string, audience: Audience): Promise<void> {
    const rows = [
      ...audience.departmentIds.map((id) => ({ exam_id: examId, target_type: 'department' as const, target_id: id })),
      ...audience.userIds.map((id) => ({ exam_id: examId, target_type: 'user' as const, target_id: id })),
    ];
    if (rows.length) await this.db.insertInto('exam_audience').values(rows).execute();
  }

  async audience(examId: string): Promise<Audience> {
    const rows = await this.db.selectFrom('exam_audience').select(['target_type', 'target_id']).where('exam_id', '=', examId).orderBy('target_type').orderBy('target_id').execute();
    return {
      departmentIds: rows.filter((r) => r.target_type === 'department').map((r) => r.target_id),
      userIds: rows.filter((r) => r.target_type === 'user').map((r) => r.target_id),
    };
  }

  /** Whether the user (with these ancestor departments, own included) is in the exam's audience. */
  async inAudience(examId: string, userId: string, departmentIds: string[]): Promise<boolean> {
    const row = await this.db
      .selectFrom('exam_audience')
      .select('exam_id')
      .where('exam_id', '=', examId)
      .where((eb) => audienceMatch(eb, userId, departmentIds))
      .limit(1)
      .executeTakeFirst();
    return Boolean(row);
  }

  /** Published or closed exams whose audience includes the user. */
  forTaker(userId: string, departmentIds: string[]): Promise<ExamRow[]> {
    return this.base()
      .where('exams.status', '!=', 'draft')
      .where('exams.id', 'in', (eb) => eb.selectFrom('exam_audience').select('exam_audience.exam_id').where((e) => audienceMatch(e, userId, departmentIds)))
      .orderBy('exams.opens_at')
      .orderBy('exams.id')
      .execute();
  }

  async existingUserIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.selectFrom('users').select('id').where('id', 'in', ids).execute();
    return new Set(rows.map((r) => r.id));
  }
}

function audienceMatch(eb: ExpressionBuilder<DB, 'exam_audience'>, userId: string, departmentIds: string[]) {
  const user = eb.and([eb('exam_audience.target_type', '=', 'user'), eb('exam_audience.target_id', '=', userId)]);
  if (departmentIds.length === 0) return user;
  return eb.or([user, eb.and([eb('exam_audience.target_type', '=', 'department'), eb('exam_audience.target_id', 'in', departmentIds)])]);
}
