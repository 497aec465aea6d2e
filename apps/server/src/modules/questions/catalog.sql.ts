import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { CatalogEntry, CatalogFilter, PinnedVersion, QuestionCatalog } from './catalog.js';
import { parseContent } from './presenters.js';

/** Ids per IN (...) list: far below SQLite's and MySQL's placeholder limits. */
const IN_CHUNK = 500;

const chunks = <T>(items: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += IN_CHUNK) out.push(items.slice(i, i + IN_CHUNK));
  return out;
};

type Questions = SelectQueryBuilder<DB, 'questions', object>;

/** An empty IN list matches nothing (a literal, not a bound boolean: SQLite binds no booleans). */
const nothing = sql<boolean>`1 = 0`;

/**
 * The catalog over the bank's tables: active questions only, filtered on indexed columns
 * (bank, type, difficulty, status) and on question_labels for knowledge points.
 */
export class SqlQuestionCatalog implements QuestionCatalog {
  constructor(private readonly db: Kysely<DB>) {}

  private filtered(filter: CatalogFilter): Questions {
    let q: Questions = this.db.selectFrom('questions').where('questions.status', '=', 'active');
    if (filter.bankIds) q = filter.bankIds.length ? q.where('questions.bank_id', 'in', filter.bankIds) : q.where(nothing);
    if (filter.types) q = filter.types.length ? q.where('questions.type', 'in', filter.types) : q.where(nothing);
    if (filter.difficultyMin !== undefined) q = q.where('questions.difficulty', '>=', filter.difficultyMin);
    if (filter.difficultyMax !== undefined) q = q.where('questions.difficulty', '<=', filter.difficultyMax);
    if (filter.knowledgePoints?.length) {
      const kps = filter.knowledgePoints;
      q = q.where('questions.id', 'in', (eb) =>
        eb.selectFrom('question_labels').select('question_labels.question_id').where('question_labels.kind', '=', 'kp').where('question_labels.value', 'in', kps),
      );
    }
    if (filter.excludeQuestionIds?.length) q = q.where('questions.id', 'not in', filter.excludeQuestionIds);
    return q;
  }

  async listCurrent(filter: CatalogFilter): Promise<CatalogEntry[]> {
    const rows = await this.filtered(filter).select(['id', 'current_version_id', 'type', 'difficulty']).orderBy('questions.id').execute();
    return rows.map((r) => ({ questionId: r.id, versionId: r.current_version_id, type: r.type, difficulty: Number(r.difficulty) }));
  }

  async countCurrent(filter: CatalogFilter): Promise<number> {
    const { n } = await this.filtered(filter)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  private pinned() {
    return this.db
      .selectFrom('question_versions')
      .innerJoin('questions', 'questions.id', 'question_versions.question_id')
      .select(['question_versions.id', 'question_versions.question_id', 'question_versions.hash', 'question_versions.content', 'questions.default_points']);
  }

  private static toMap(rows: { id: string; question_id: string; hash: string; content: string; default_points: number | string }[], key: 'id' | 'question_id') {
    const out = new Map<string, PinnedVersion>();
    for (const r of rows) {
      out.set(r[key], { versionId: r.id, questionId: r.question_id, hash: r.hash, content: parseContent(r.content), defaultPoints: Number(r.default_points) });
    }
    return out;
  }

  async getVersions(versionIds: string[]): Promise<Map<string, PinnedVersion>> {
    const rows = [];
    for (const ids of chunks([...new Set(versionIds)])) rows.push(...(await this.pinned().where('question_versions.id', 'in', ids).execute()));
    return SqlQuestionCatalog.toMap(rows, 'id');
  }

  async currentVersionsOf(questionIds: string[]): Promise<Map<string, PinnedVersion>> {
    const rows = [];
    for (const ids of chunks([...new Set(questionIds)])) {
      rows.push(...(await this.pinned().whereRef('question_versions.id', '=', 'questions.current_version_id').where('questions.id', 'in', ids).execute()));
    }
    return SqlQuestionCatalog.toMap(rows, 'question_id');
  }
}
