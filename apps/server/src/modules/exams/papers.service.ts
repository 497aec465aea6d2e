import type { z } from 'zod';
import type { createPaperSchema, Paper, PaperCheck, PaperRule, paperListQuerySchema, updatePaperSchema } from '@kpl/shared';
import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import type { Actor } from '../identity/index.js';
import type { QuestionCatalog } from '../questions/catalog.js';
import { ruleFilter, type FixedItem, type PaperDefinition } from './attempt-plan.js';
import { round2 } from './grading/index.js';
import { canEditPaper } from './exams.policies.js';
import { allocateRules } from './paper-allocation.js';
import type { PaperRow, PapersRepository } from './papers.repository.js';

type ItemInput = { questionId: string; points?: number | undefined };

export function definitionOf(row: Pick<PaperRow, 'mode' | 'definition'>): PaperDefinition {
  return row.mode === 'fixed' ? { mode: 'fixed', items: JSON.parse(row.definition) as FixedItem[] } : { mode: 'random', rules: JSON.parse(row.definition) as PaperRule[] };
}

const sumPoints = (values: number[]) => round2(values.reduce((a, b) => a + b, 0));

export class PapersService {
  constructor(
    private readonly repo: PapersRepository,
    private readonly catalog: QuestionCatalog,
  ) {}

  /** Per-rule availability: a rule is ok when an allocation exists that gives every rule its count. */
  async check(rules: PaperRule[]): Promise<PaperCheck> {
    const candidates = await Promise.all(rules.map((r) => this.catalog.listCurrent(ruleFilter(r))));
    const outcome = allocateRules(candidates.map((list, i) => ({ count: rules[i]!.count, candidates: list.map((e) => e.questionId) })));
    return {
      ok: outcome.ok,
      questionCount: rules.reduce((n, r) => n + r.count, 0),
      totalPoints: sumPoints(rules.map((r) => r.count * r.pointsEach)),
      rules: rules.map((r, index) => ({
        index,
        requested: r.count,
        matching: candidates[index]!.length,
        available: outcome.assigned[index]!.length,
        ok: outcome.satisfied[index]!,
      })),
    };
  }

  /** Fixed items with their points settled (the question's default where none is given). */
  private async resolveItems(items: ItemInput[]): Promise<FixedItem[]> {
    const versions = await this.catalog.currentVersionsOf(items.map((i) => i.questionId));
    const missing = items.filter((i) => !versions.has(i.questionId)).map((i) => i.questionId);
    if (missing.length) throw new AppError('ERR-EXAM-0008', 'Some questions of the paper do not exist or are no longer active.', { missingQuestionIds: missing });
    return items.map((i) => ({ questionId: i.questionId, points: round2(i.points ?? versions.get(i.questionId)!.defaultPoints) }));
  }

  private async settle(def: { items: ItemInput[] } | { rules: PaperRule[] }): Promise<{ definition: PaperDefinition; questionCount: number; totalPoints: number }> {
    if ('items' in def) {
      const items = await this.resolveItems(def.items);
      return { definition: { mode: 'fixed', items }, questionCount: items.length, totalPoints: sumPoints(items.map((i) => i.points)) };
    }
    const check = await this.check(def.rules);
    if (!check.ok) throw new AppError('ERR-EXAM-0008', undefined, { rules: check.rules });
    return { definition: { mode: 'random', rules: def.rules }, questionCount: check.questionCount, totalPoints: check.totalPoints };
  }

  /** Throws ERR-EXAM-0008 when the paper can no longer be assembled (questions archived since it was saved). */
  async verify(row: PaperRow): Promise<void> {
    const def = definitionOf(row);
    await this.settle(def.mode === 'fixed' ? { items: def.items } : { rules: def.rules });
  }

  async find(id: string): Promise<PaperRow> {
    const row = await this.repo.find(id);
    if (!row) throw new AppError('ERR-EXAM-0002');
    return row;
  }

  async list(query: z.infer<typeof paperListQuerySchema>) {
    const { rows, total } = await this.repo.list({ q: query.q }, query.page, query.pageSize);
    const locked = await this.repo.locked(rows.map((r) => r.id));
    return { items: rows.map((r) => present(r, locked.has(r.id))), total, page: query.page, pageSize: query.pageSize };
  }

  async detail(id: string) {
    const row = await this.find(id);
    const locked = await this.repo.locked([id]);
    const def = definitionOf(row);
    let preview = null;
    if (def.mode === 'fixed') {
      const versions = await this.catalog.currentVersionsOf(def.items.map((i) => i.questionId));
      preview = def.items.flatMap((i) => {
        const v = versions.get(i.questionId);
        return v ? [{ questionId: i.questionId, versionId: v.versionId, type: v.content.type, stem: v.content.stem, difficulty: v.content.difficulty, points: i.points }] : [];
      });
    }
    return { ...present(row, locked.has(id)), preview };
  }

  async create(actor: Actor, input: z.infer<typeof createPaperSchema>): Promise<Paper> {
    const settled = await this.settle(input.mode === 'fixed' ? { items: input.items } : { rules: input.rules });
    const id = newId();
    const t = now();
    await this.repo.insert({
      id,
      title: input.title,
      description: input.description,
      mode: settled.definition.mode,
      definition: JSON.stringify(settled.definition.mode === 'fixed' ? settled.definition.items : settled.definition.rules),
      question_count: settled.questionCount,
      total_points: settled.totalPoints,
      owner_id: actor.id,
      created_at: t,
      updated_at: t,
    });
    return present((await this.repo.find(id))!, false);
  }

  async update(actor: Actor, id: string, patch: z.infer<typeof updatePaperSchema>): Promise<Paper> {
    const row = await this.find(id);
    if (!canEditPaper(actor, row)) throw new AppError('ERR-AUTH-0002', 'Only the paper owner or an administrator can change it.');
    const locked = (await this.repo.locked([id])).size > 0;
    if (locked && (patch.items !== undefined || patch.rules !== undefined)) {
      throw new AppError('ERR-COMMON-0010', 'An exam using this paper already has attempts: copy the paper to change its questions.');
    }
    const settled = patch.items ? await this.settle({ items: patch.items }) : patch.rules ? await this.settle({ rules: patch.rules }) : null;
    await this.repo.update(id, {
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(settled && {
        mode: settled.definition.mode,
        definition: JSON.stringify(settled.definition.mode === 'fixed' ? settled.definition.items : settled.definition.rules),
        question_count: settled.questionCount,
        total_points: settled.totalPoints,
      }),
      updated_at: now(),
    });
    return present((await this.repo.find(id))!, locked);
  }
}

function present(row: PaperRow, locked: boolean): Paper {
  const def = definitionOf(row);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    mode: def.mode,
    items: def.mode === 'fixed' ? def.items : null,
    rules: def.mode === 'random' ? def.rules : null,
    questionCount: Number(row.question_count),
    totalPoints: Number(row.total_points),
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    locked,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
