import type { QuestionContent, QuestionStatus, QuestionType } from '@kpl/shared';
import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { htmlToText } from './sanitize.js';
import type { QuestionBanksTable, QuestionLabelsTable, QuestionsTable, QuestionVersionsTable } from './questions.tables.js';

export type BankRow = Selectable<QuestionBanksTable> & { owner_name: string | null; question_count: number };
export type QuestionRow = Selectable<QuestionsTable> & { bank_name: string; bank_owner_id: string; content: string };
export type VersionRow = Selectable<QuestionVersionsTable> & { created_by_name: string | null };

export interface BankFilter {
  q?: string;
  courseId?: string;
  ownerId?: string;
}

export interface QuestionFilter {
  bankId?: string;
  type?: QuestionType;
  difficultyMin?: number;
  difficultyMax?: number;
  knowledgePoint?: string;
  tag?: string;
  q?: string;
  status?: QuestionStatus;
}

/** Literal text for LIKE: wildcards and the escape character are dropped rather than escaped (portable). */
const likeText = (s: string) => `%${s.replace(/[\\%_]/g, '')}%`;

const INSERT_CHUNK = 200;
/** Stem text kept for the list's text filter. */
const STEM_TEXT_MAX = 4000;

export const stemText = (stem: string) => htmlToText(stem).slice(0, STEM_TEXT_MAX);

/** The label rows of a content: its knowledge points and tags. */
export function labelRows(questionId: string, content: QuestionContent): Insertable<QuestionLabelsTable>[] {
  return [
    ...content.knowledgePoints.map((value) => ({ question_id: questionId, kind: 'kp' as const, value })),
    ...content.tags.map((value) => ({ question_id: questionId, kind: 'tag' as const, value })),
  ];
}

export class QuestionsRepository {
  constructor(readonly db: Kysely<DB>) {}

  withDb(db: Kysely<DB>): QuestionsRepository {
    return new QuestionsRepository(db);
  }

  // -- banks ----------------------------------------------------------------------------------

  private banks() {
    return this.db
      .selectFrom('question_banks')
      .leftJoin('users', 'users.id', 'question_banks.owner_id')
      .selectAll('question_banks')
      .select('users.display_name as owner_name')
      .select((eb) =>
        eb
          .selectFrom('questions')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('questions.bank_id', '=', 'question_banks.id')
          .where('questions.status', '=', 'active')
          .as('question_count'),
      );
  }

  async findBank(id: string): Promise<BankRow | undefined> {
    const row = await this.banks().where('question_banks.id', '=', id).executeTakeFirst();
    return row && { ...row, question_count: Number(row.question_count ?? 0) };
  }

  async listBanks(filter: BankFilter, page: number, pageSize: number): Promise<{ rows: BankRow[]; total: number }> {
    let q = this.db.selectFrom('question_banks');
    if (filter.q) q = q.where('question_banks.name', 'like', likeText(filter.q));
    if (filter.courseId) q = q.where('question_banks.course_id', '=', filter.courseId);
    if (filter.ownerId) q = q.where('question_banks.owner_id', '=', filter.ownerId);
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const ids = q.select('question_banks.id');
    const rows = await this.banks()
      .where('question_banks.id', 'in', ids)
      .orderBy('question_banks.created_at', 'desc')
      .orderBy('question_banks.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    return { rows: rows.map((r) => ({ ...r, question_count: Number(r.question_count ?? 0) })), total: Number(n) };
  }

  async insertBank(row: Insertable<QuestionBanksTable>): Promise<void> {
    await this.db.insertInto('question_banks').values(row).execute();
  }

  async updateBank(id: string, patch: Updateable<QuestionBanksTable>): Promise<void> {
    await this.db.updateTable('question_banks').set(patch).where('id', '=', id).execute();
  }

  // -- questions ------------------------------------------------------------------------------

  private questions() {
    return this.db
      .selectFrom('questions')
      .innerJoin('question_banks', 'question_banks.id', 'questions.bank_id')
      .innerJoin('question_versions', 'question_versions.id', 'questions.current_version_id')
      .selectAll('questions')
      .select(['question_banks.name as bank_name', 'question_banks.owner_id as bank_owner_id', 'question_versions.content']);
  }

  findQuestion(id: string): Promise<QuestionRow | undefined> {
    return this.questions().where('questions.id', '=', id).executeTakeFirst();
  }

  async listQuestions(filter: QuestionFilter, page: number, pageSize: number): Promise<{ rows: QuestionRow[]; total: number }> {
    let q = this.db.selectFrom('questions');
    if (filter.bankId) q = q.where('questions.bank_id', '=', filter.bankId);
    if (filter.status) q = q.where('questions.status', '=', filter.status);
    if (filter.type) q = q.where('questions.type', '=', filter.type);
    if (filter.difficultyMin !== undefined) q = q.where('questions.difficulty', '>=', filter.difficultyMin);
    if (filter.difficultyMax !== undefined) q = q.where('questions.difficulty', '<=', filter.difficultyMax);
    if (filter.q) q = q.where('questions.stem_text', 'like', likeText(filter.q));
    for (const [kind, value] of [['kp', filter.knowledgePoint], ['tag', filter.tag]] as const) {
      if (value) {
        q = q.where('questions.id', 'in', (eb) =>
          eb.selectFrom('question_labels').select('question_labels.question_id').where('question_labels.kind', '=', kind).where('question_labels.value', '=', value),
        );
      }
    }
    const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const pageIds = await q
      .select('questions.id')
      .orderBy('questions.created_at', 'desc')
      .orderBy('questions.id', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute();
    if (pageIds.length === 0) return { rows: [], total: Number(n) };
    const rows = await this.questions()
      .where('questions.id', 'in', pageIds.map((r) => r.id))
      .orderBy('questions.created_at', 'desc')
      .orderBy('questions.id', 'desc')
      .execute();
    return { rows, total: Number(n) };
  }

  /** Every question of a bank with its current content, oldest first (exports). */
  bankQuestions(bankId: string, status?: QuestionStatus): Promise<QuestionRow[]> {
    let q = this.questions().where('questions.bank_id', '=', bankId);
    if (status) q = q.where('questions.status', '=', status);
    return q.orderBy('questions.created_at').orderBy('questions.id').execute();
  }

  /** Current content hash → question id, for duplicate checks of a whole import file in one read. */
  async hashesInBank(bankId: string): Promise<Map<string, string>> {
    const rows = await this.db.selectFrom('questions').select(['id', 'current_hash']).where('bank_id', '=', bankId).orderBy('created_at').execute();
    const out = new Map<string, string>();
    for (const r of rows) if (!out.has(r.current_hash)) out.set(r.current_hash, r.id);
    return out;
  }

  async insertQuestions(rows: Insertable<QuestionsTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await this.db.insertInto('questions').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  }

  async updateQuestion(id: string, patch: Updateable<QuestionsTable>): Promise<void> {
    await this.db.updateTable('questions').set(patch).where('id', '=', id).execute();
  }

  // -- versions and labels --------------------------------------------------------------------

  async insertVersions(rows: Insertable<QuestionVersionsTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await this.db.insertInto('question_versions').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  }

  versionByHash(questionId: string, hash: string): Promise<Selectable<QuestionVersionsTable> | undefined> {
    return this.db.selectFrom('question_versions').selectAll().where('question_id', '=', questionId).where('hash', '=', hash).executeTakeFirst();
  }

  private versions() {
    return this.db.selectFrom('question_versions').leftJoin('users', 'users.id', 'question_versions.created_by').selectAll('question_versions').select('users.display_name as created_by_name');
  }

  versionsOf(questionId: string): Promise<VersionRow[]> {
    return this.versions().where('question_versions.question_id', '=', questionId).orderBy('question_versions.created_at').orderBy('question_versions.id').execute();
  }

  findVersion(questionId: string, versionId: string): Promise<VersionRow | undefined> {
    return this.versions().where('question_versions.question_id', '=', questionId).where('question_versions.id', '=', versionId).executeTakeFirst();
  }

  async insertLabels(rows: Insertable<QuestionLabelsTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) await this.db.insertInto('question_labels').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  }

  /** Keeps the label rows equal to the current version's knowledge points and tags. */
  async replaceLabels(questionId: string, content: QuestionContent): Promise<void> {
    await this.db.deleteFrom('question_labels').where('question_id', '=', questionId).execute();
    await this.insertLabels(labelRows(questionId, content));
  }
}
