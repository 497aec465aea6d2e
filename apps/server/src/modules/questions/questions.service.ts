import {
  DEFAULT_QUESTION_POINTS,
  pointsSchema,
  type QuestionContent,
  type QuestionDetail,
  type QuestionListQuery,
  type QuestionStatus,
  type QuestionVersion,
} from '@kpl/shared';
import { actorFields } from '../../platform/audit-actor.js';
import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import type { Actor } from '../identity/index.js';
import type { Audit, BanksService } from './banks.service.js';
import { canonicalJson, normaliseContent, type ContentProblem } from './content.js';
import { parseContent, presentQuestion, presentVersionInfo } from './presenters.js';
import { canEditBank } from './questions.policies.js';
import { labelRows, stemText, type QuestionRow, type QuestionsRepository } from './questions.repository.js';
import { sourceProblem, type ChunkLookup } from './sources.js';

export interface NewQuestion {
  bankId: string;
  /** Raw content: validated, sanitised and made canonical here. */
  content: unknown;
  defaultPoints?: number;
}

export interface QuestionPatch {
  content?: unknown;
  defaultPoints?: number;
  status?: QuestionStatus;
}

/** A content that passed every check, ready to store. */
export interface PreparedContent {
  content: QuestionContent;
  hash: string;
}

/** Unique-index violations on SQLite and MySQL/MariaDB: a concurrent write won the race. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errno?: number } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'ER_DUP_ENTRY' || e?.errno === 1062;
}

const invalidContent = (problems: ContentProblem[]) =>
  new AppError(
    'ERR-COMMON-0001',
    'The question content is invalid.',
    problems.map((p) => ({ path: ['body', 'content', p.path].filter(Boolean).join('.'), message: p.message })),
  );

export class QuestionsService {
  constructor(
    private readonly repo: QuestionsRepository,
    private readonly banks: BanksService,
    private readonly chunks: ChunkLookup,
    private readonly audit: Audit,
  ) {}

  /**
   * Validates contents (schema, sanitising, key and blank checks, and that each cited quote is in its
   * chunk): per content either its canonical form and hash, or its problems. One chunk read for all.
   */
  async prepareMany(inputs: unknown[]): Promise<({ ok: true } & PreparedContent | { ok: false; problems: ContentProblem[] })[]> {
    const normalised = inputs.map(normaliseContent);
    const chunkIds = normalised.flatMap((n) => (n.ok && n.content.source ? [n.content.source.chunkId] : []));
    const chunks = chunkIds.length ? await this.chunks.chunks(chunkIds) : new Map();
    return normalised.map((n) => {
      if (!n.ok || !n.content.source) return n;
      const problem = sourceProblem(n.content.source, chunks.get(n.content.source.chunkId));
      return problem ? { ok: false as const, problems: [problem] } : n;
    });
  }

  async prepare(input: unknown): Promise<PreparedContent> {
    const [result] = await this.prepareMany([input]);
    if (!result!.ok) throw invalidContent(result!.problems);
    return { content: result!.content, hash: result!.hash };
  }

  private async find(id: string): Promise<QuestionRow> {
    const row = await this.repo.findQuestion(id);
    if (!row) throw new AppError('ERR-QUESTION-0001');
    return row;
  }

  /**
   * Adds a question to a bank on behalf of the actor (the HTTP route, imports and AI generation all
   * come here). The actor must be allowed to edit the bank.
   */
  async create(actor: Actor, input: NewQuestion): Promise<QuestionDetail> {
    await this.banks.editable(actor, input.bankId);
    const prepared = await this.prepare(input.content);
    const points = input.defaultPoints === undefined ? DEFAULT_QUESTION_POINTS[prepared.content.type] : pointsSchema.parse(input.defaultPoints);
    const id = newId();
    await this.repo.db.transaction().execute(async (trx) => {
      const [versionId] = await this.insertNew(this.repo.withDb(trx), actor, [{ bankId: input.bankId, id, points, ...prepared }]);
      await this.audit.record(
        { ...actorFields(actor), action: 'question.created', targetType: 'question', targetId: id, details: { bankId: input.bankId, versionId, hash: prepared.hash, type: prepared.content.type } },
        trx,
      );
    });
    return this.get(actor, id);
  }

  /** Inserts new questions with their first versions and labels (in batches: imports add thousands). */
  async insertNew(repo: QuestionsRepository, actor: Actor, items: (PreparedContent & { bankId: string; id: string; points: number })[]): Promise<string[]> {
    const t = now();
    const versionIds = items.map(() => newId());
    await repo.insertQuestions(
      items.map((q, i) => ({
        id: q.id,
        bank_id: q.bankId,
        type: q.content.type,
        status: 'active' as const,
        difficulty: q.content.difficulty,
        default_points: q.points,
        current_version_id: versionIds[i]!,
        current_hash: q.hash,
        stem_text: stemText(q.content.stem),
        created_by: actor.id,
        created_at: t,
        updated_at: t,
      })),
    );
    await repo.insertVersions(items.map((q, i) => ({ id: versionIds[i]!, question_id: q.id, hash: q.hash, content: canonicalJson(q.content), created_by: actor.id, created_at: t })));
    await repo.insertLabels(items.flatMap((q) => labelRows(q.id, q.content)));
    return versionIds;
  }

  /**
   * Edits a question. New content becomes a new version only when its hash differs from the
   * current one; content identical to an older version points back to that version.
   */
  async update(actor: Actor, id: string, patch: QuestionPatch): Promise<QuestionDetail> {
    const row = await this.find(id);
    if (!canEditBank(actor, { owner_id: row.bank_owner_id })) throw new AppError('ERR-AUTH-0002', 'Only the bank owner or an administrator can change its questions.');
    const prepared = patch.content === undefined ? null : await this.prepare(patch.content);
    const points = patch.defaultPoints === undefined ? undefined : pointsSchema.parse(patch.defaultPoints);
    const contentChanged = prepared !== null && prepared.hash !== row.current_hash;
    const statusChanged = patch.status !== undefined && patch.status !== row.status;
    const pointsChanged = points !== undefined && points !== Number(row.default_points);
    if (!contentChanged && !statusChanged && !pointsChanged) return this.get(actor, id);

    const write = () =>
      this.repo.db.transaction().execute(async (trx) => {
        const repo = this.repo.withDb(trx);
        let versionId = row.current_version_id;
        let newVersion = false;
        if (contentChanged) {
          const existing = await repo.versionByHash(id, prepared.hash);
          versionId = existing?.id ?? newId();
          if (!existing) {
            newVersion = true;
            await repo.insertVersions([{ id: versionId, question_id: id, hash: prepared.hash, content: canonicalJson(prepared.content), created_by: actor.id, created_at: now() }]);
          }
          await repo.replaceLabels(id, prepared.content);
        }
        await repo.updateQuestion(id, {
          ...(contentChanged && {
            type: prepared.content.type,
            difficulty: prepared.content.difficulty,
            current_version_id: versionId,
            current_hash: prepared.hash,
            stem_text: stemText(prepared.content.stem),
          }),
          ...(pointsChanged && { default_points: points }),
          ...(statusChanged && { status: patch.status }),
          updated_at: now(),
        });
        await this.audit.record(
          {
            ...actorFields(actor),
            action: 'question.updated',
            targetType: 'question',
            targetId: id,
            details: {
              ...(contentChanged && { versionId, hash: prepared.hash, newVersion }),
              ...(pointsChanged && { defaultPoints: points }),
              ...(statusChanged && { status: patch.status }),
            },
          },
          trx,
        );
      });
    try {
      await write();
    } catch (err) {
      // Two identical edits at once: the other one created the version; point to it.
      if (!isUniqueViolation(err)) throw err;
      await write();
    }
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string): Promise<QuestionDetail> {
    const row = await this.find(id);
    const content = parseContent(row.content);
    const versions = await this.repo.versionsOf(id);
    return { ...presentQuestion(row, actor, content), content, versions: versions.map(presentVersionInfo) };
  }

  async list(actor: Actor, query: QuestionListQuery) {
    const mins = [query.difficulty, query.difficultyMin].filter((v) => v !== undefined);
    const maxs = [query.difficulty, query.difficultyMax].filter((v) => v !== undefined);
    const { rows, total } = await this.repo.listQuestions(
      {
        bankId: query.bankId,
        type: query.type,
        difficultyMin: mins.length ? Math.max(...mins) : undefined,
        difficultyMax: maxs.length ? Math.min(...maxs) : undefined,
        knowledgePoint: query.knowledgePoint,
        tag: query.tag,
        q: query.q,
        status: query.status === 'all' ? undefined : query.status,
      },
      query.page,
      query.pageSize,
    );
    return { items: rows.map((r) => presentQuestion(r, actor)), total, page: query.page, pageSize: query.pageSize };
  }

  async version(_actor: Actor, id: string, versionId: string): Promise<QuestionVersion> {
    const row = await this.find(id);
    const v = await this.repo.findVersion(id, versionId);
    if (!v) throw new AppError('ERR-QUESTION-0001', 'No such version of this question.');
    return { ...presentVersionInfo(v), questionId: id, content: parseContent(v.content), current: v.id === row.current_version_id };
  }
}
