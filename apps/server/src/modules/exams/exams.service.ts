import type { z } from 'zod';
import { examSettingsSchema, type createExamSchema, type Exam, type ExamSettings, type examListQuerySchema, type updateExamSchema } from '@kpl/shared';
import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import type { DepartmentLookup } from '../courses/index.js';
import type { Actor } from '../identity/index.js';
import { canManageExam, canReadExam, examVisibility } from './exams.policies.js';
import type { Audience, ExamRow, ExamsRepository } from './exams.repository.js';
import type { PapersService } from './papers.service.js';

export const settingsOf = (row: Pick<ExamRow, 'settings'>): ExamSettings => examSettingsSchema.parse(JSON.parse(row.settings));

/** What may no longer change once someone has started the exam (it would make attempts unequal). */
const FROZEN_AFTER_START = ['paperId', 'opensAt', 'durationMinutes', 'passMark'] as const;
const FROZEN_SETTINGS = ['shuffleQuestions', 'shuffleOptions', 'multiplePolicy'] as const;

/** Anything the caller of exam life-cycle changes needs from attempts (closing submits running ones). */
export interface RunningAttempts {
  hasAttempts(examId: string): Promise<boolean>;
  submitRunning(examId: string): Promise<number>;
}

export class ExamsService {
  private attempts: RunningAttempts | null = null;

  constructor(
    private readonly repo: ExamsRepository,
    private readonly papers: PapersService,
    private readonly departments: DepartmentLookup,
    private readonly clock: () => number = now,
  ) {}

  /** Wired after construction: attempts depend on exams and closing an exam depends on attempts. */
  attachAttempts(attempts: RunningAttempts): void {
    this.attempts = attempts;
  }

  /** The exam if the actor may read it in the management views; otherwise "not found". */
  async readable(actor: Actor, id: string): Promise<ExamRow> {
    const exam = await this.repo.find(id);
    if (!exam || !canReadExam(actor, exam)) throw new AppError('ERR-EXAM-0001');
    return exam;
  }

  async manageable(actor: Actor, id: string): Promise<ExamRow> {
    const exam = await this.readable(actor, id);
    if (!canManageExam(actor, exam)) throw new AppError('ERR-AUTH-0002', 'Only the exam owner or an administrator can change it.');
    return exam;
  }

  async list(actor: Actor, query: z.infer<typeof examListQuerySchema>) {
    const { rows, total } = await this.repo.list({ q: query.q, status: query.status, visibility: examVisibility(actor) }, query.page, query.pageSize);
    const items = await Promise.all(rows.map(async (r) => present(r, await this.repo.audience(r.id))));
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async detail(actor: Actor, id: string): Promise<Exam> {
    const exam = await this.readable(actor, id);
    return present(exam, await this.repo.audience(id));
  }

  async create(actor: Actor, input: z.infer<typeof createExamSchema>): Promise<Exam> {
    await this.papers.find(input.paperId);
    await this.checkAudience(input.audience);
    const id = newId();
    const t = this.clock();
    await this.repo.insert(
      {
        id,
        title: input.title,
        description: input.description,
        paper_id: input.paperId,
        status: 'draft',
        opens_at: input.opensAt,
        closes_at: input.closesAt,
        duration_minutes: input.durationMinutes,
        attempts_allowed: input.attemptsAllowed,
        pass_mark: input.passMark,
        settings: JSON.stringify(input.settings),
        owner_id: actor.id,
        published_at: null,
        closed_at: null,
        created_at: t,
        updated_at: t,
      },
      { departmentIds: unique(input.audience.departmentIds), userIds: unique(input.audience.userIds) },
    );
    return this.detail(actor, id);
  }

  async update(actor: Actor, id: string, patch: z.infer<typeof updateExamSchema>): Promise<Exam> {
    const exam = await this.manageable(actor, id);
    const settings = { ...settingsOf(exam), ...patch.settings };
    if (exam.status === 'closed') {
      const allowed = new Set(['title', 'description', 'settings']);
      const changesSettings = Object.keys(patch.settings ?? {}).some((k) => k !== 'showAnswers' && k !== 'reviewAllowed');
      if (Object.keys(patch).some((k) => !allowed.has(k)) || changesSettings) {
        throw new AppError('ERR-COMMON-0010', 'A closed exam only changes its title, description and when answers are shown.');
      }
    }
    if (this.attempts && (await this.attempts.hasAttempts(id))) {
      const frozen = FROZEN_AFTER_START.filter((k) => patch[k] !== undefined && patch[k] !== valueOf(exam, k));
      const frozenSettings = FROZEN_SETTINGS.filter((k) => patch.settings?.[k] !== undefined && patch.settings[k] !== settingsOf(exam)[k]);
      if (frozen.length || frozenSettings.length) {
        throw new AppError('ERR-COMMON-0010', 'People have already taken this exam: these fields can no longer change.', { fields: [...frozen, ...frozenSettings] });
      }
    }
    const opensAt = patch.opensAt ?? Number(exam.opens_at);
    const closesAt = patch.closesAt ?? Number(exam.closes_at);
    if (closesAt <= opensAt) throw new AppError('ERR-COMMON-0001', undefined, [{ path: 'body.closesAt', message: 'closesAt must be after opensAt' }]);
    if (patch.paperId) {
      const paper = await this.papers.find(patch.paperId);
      // A published exam must stay takeable: its new paper has to be assemblable now.
      if (exam.status === 'published') await this.papers.verify(paper);
    }
    if (patch.audience) await this.checkAudience(patch.audience);
    await this.repo.update(
      id,
      {
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.paperId !== undefined && { paper_id: patch.paperId }),
        opens_at: opensAt,
        closes_at: closesAt,
        ...(patch.durationMinutes !== undefined && { duration_minutes: patch.durationMinutes }),
        ...(patch.attemptsAllowed !== undefined && { attempts_allowed: patch.attemptsAllowed }),
        ...(patch.passMark !== undefined && { pass_mark: patch.passMark }),
        settings: JSON.stringify(settings),
        updated_at: this.clock(),
      },
      patch.audience && { departmentIds: unique(patch.audience.departmentIds), userIds: unique(patch.audience.userIds) },
    );
    return this.detail(actor, id);
  }

  /** Draft → published, once the paper can be assembled and someone is invited. Publishing twice is harmless. */
  async publish(actor: Actor, id: string): Promise<Exam> {
    const exam = await this.manageable(actor, id);
    if (exam.status === 'published') return this.detail(actor, id);
    if (exam.status === 'closed') throw new AppError('ERR-COMMON-0010', 'A closed exam cannot be published again.');
    const audience = await this.repo.audience(id);
    if (audience.departmentIds.length + audience.userIds.length === 0) {
      throw new AppError('ERR-COMMON-0001', 'Choose who takes the exam before publishing it.', [{ path: 'body.audience', message: 'is empty' }]);
    }
    if (Number(exam.closes_at) <= this.clock()) {
      throw new AppError('ERR-COMMON-0001', 'The exam window has already ended.', [{ path: 'body.closesAt', message: 'is in the past' }]);
    }
    await this.papers.verify(await this.papers.find(exam.paper_id));
    const t = this.clock();
    await this.repo.transition(id, 'draft', { status: 'published', published_at: t, updated_at: t });
    return this.detail(actor, id);
  }

  /** Published → closed: running attempts are submitted with every saved answer. Closing twice is harmless. */
  async close(actor: Actor, id: string): Promise<Exam> {
    const exam = await this.manageable(actor, id);
    if (exam.status === 'draft') throw new AppError('ERR-COMMON-0010', 'A draft exam is not open: delete or publish it instead.');
    const t = this.clock();
    if (exam.status === 'published') await this.repo.transition(id, 'published', { status: 'closed', closed_at: t, updated_at: t });
    await this.attempts?.submitRunning(id);
    return this.detail(actor, id);
  }

  private async checkAudience(audience: Audience): Promise<void> {
    for (const id of unique(audience.departmentIds)) {
      if (!(await this.departments.pathOf(id))) throw new AppError('ERR-DEPT-0001', undefined, { departmentId: id });
    }
    const wanted = unique(audience.userIds);
    const found = await this.repo.existingUserIds(wanted);
    const missing = wanted.filter((u) => !found.has(u));
    if (missing.length) throw new AppError('ERR-USER-0002', undefined, { userIds: missing });
  }
}

const unique = (ids: string[]) => [...new Set(ids)];

function valueOf(exam: ExamRow, key: (typeof FROZEN_AFTER_START)[number]): string | number {
  switch (key) {
    case 'paperId':
      return exam.paper_id;
    case 'opensAt':
      return Number(exam.opens_at);
    case 'durationMinutes':
      return Number(exam.duration_minutes);
    case 'passMark':
      return Number(exam.pass_mark);
  }
}

export function present(row: ExamRow, audience: Audience): Exam {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    paperId: row.paper_id,
    paperTitle: row.paper_title,
    status: row.status,
    opensAt: Number(row.opens_at),
    closesAt: Number(row.closes_at),
    durationMinutes: Number(row.duration_minutes),
    attemptsAllowed: Number(row.attempts_allowed),
    passMark: Number(row.pass_mark),
    audience,
    settings: settingsOf(row),
    questionCount: Number(row.question_count ?? 0),
    totalPoints: Number(row.total_points ?? 0),
    ownerId: row.owner_id,
    ownerName: row.owner_name,
    publishedAt: row.published_at === null ? null : Number(row.published_at),
    closedAt: row.closed_at === null ? null : Number(row.closed_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
