import type { CreateQuestionBank, QuestionBank, QuestionBankListQuery, UpdateQuestionBank } from '@kpl/shared';
import { actorFields } from '../../platform/audit-actor.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import type { AuditService } from '../audit/index.js';
import type { Actor } from '../identity/index.js';
import { presentBank } from './presenters.js';
import { canEditBank } from './questions.policies.js';
import type { BankRow, QuestionsRepository } from './questions.repository.js';

export type Audit = Pick<AuditService, 'record'>;

/** What the bank needs from the courses module: whether the actor may see a course. */
export interface CourseAccess {
  visible(actor: Actor, courseId: string): Promise<unknown>;
}

export class BanksService {
  constructor(
    private readonly repo: QuestionsRepository,
    private readonly courses: CourseAccess,
    private readonly audit: Audit,
  ) {}

  async find(id: string): Promise<BankRow> {
    const bank = await this.repo.findBank(id);
    if (!bank) throw new AppError('ERR-QUESTION-0002');
    return bank;
  }

  /** The bank if the actor may add and edit its questions; 403 otherwise. */
  async editable(actor: Actor, id: string): Promise<BankRow> {
    const bank = await this.find(id);
    if (!canEditBank(actor, bank)) throw new AppError('ERR-AUTH-0002', 'Only the bank owner or an administrator can change it.');
    return bank;
  }

  async list(actor: Actor, query: QuestionBankListQuery) {
    const { rows, total } = await this.repo.listBanks({ q: query.q, courseId: query.courseId, ownerId: query.ownerId }, query.page, query.pageSize);
    return { items: rows.map((r) => presentBank(r, actor)), total, page: query.page, pageSize: query.pageSize };
  }

  async get(actor: Actor, id: string): Promise<QuestionBank> {
    return presentBank(await this.find(id), actor);
  }

  /** A bank tied to a course the actor cannot see is refused as bad input, revealing nothing. */
  private async checkCourse(actor: Actor, courseId: string | null | undefined): Promise<void> {
    if (!courseId) return;
    try {
      await this.courses.visible(actor, courseId);
    } catch (err) {
      if (isAppError(err) && err.statusCode === 404) {
        throw new AppError('ERR-COMMON-0001', 'Some fields are missing or invalid.', [{ path: 'body.courseId', message: 'no such course' }]);
      }
      throw err;
    }
  }

  async create(actor: Actor, input: CreateQuestionBank): Promise<QuestionBank> {
    await this.checkCourse(actor, input.courseId);
    const id = newId();
    const t = now();
    await this.repo.db.transaction().execute(async (trx) => {
      await this.repo.withDb(trx).insertBank({ id, name: input.name, description: input.description, course_id: input.courseId, owner_id: actor.id, created_at: t, updated_at: t });
      await this.audit.record({ ...actorFields(actor), action: 'question_bank.created', targetType: 'question_bank', targetId: id, details: { name: input.name, courseId: input.courseId } }, trx);
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, patch: UpdateQuestionBank): Promise<QuestionBank> {
    await this.editable(actor, id);
    await this.checkCourse(actor, patch.courseId);
    await this.repo.db.transaction().execute(async (trx) => {
      await this.repo.withDb(trx).updateBank(id, {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.courseId !== undefined && { course_id: patch.courseId }),
        updated_at: now(),
      });
      await this.audit.record({ ...actorFields(actor), action: 'question_bank.updated', targetType: 'question_bank', targetId: id, details: { ...patch } }, trx);
    });
    return this.get(actor, id);
  }
}
