import type { z } from 'zod';
import type { examAttemptsQuerySchema, proctorEventKindSchema } from '@kpl/shared';
import { AppError } from '../../platform/errors.js';
import { now } from '../../platform/ids.js';
import type { DepartmentLookup } from '../courses/index.js';
import type { Actor } from '../identity/index.js';
import type { AttemptsRepository } from './attempts.repository.js';
import type { AttemptsService } from './attempts.service.js';
import { attemptScope } from './exams.policies.js';
import type { ExamsService } from './exams.service.js';
import type { MonitoringRepository } from './monitoring.repository.js';

const nullableNumber = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));

/** What instructors (their exams) and managers (their subtree's people) see of the attempts of an exam. */
export class MonitoringService {
  constructor(
    private readonly repo: MonitoringRepository,
    private readonly attemptsRepo: AttemptsRepository,
    private readonly attempts: AttemptsService,
    private readonly exams: ExamsService,
    private readonly departments: DepartmentLookup,
    private readonly clock: () => number = now,
  ) {}

  /** The exam and whose attempts the actor may see (throws when none). */
  async scoped(actor: Actor, examId: string) {
    const exam = await this.exams.readable(actor, examId);
    const scope = attemptScope(actor, exam);
    if (!scope.allowed) throw new AppError('ERR-AUTH-0002', "Only the exam owner, an administrator or a manager of the takers sees the exam's attempts.");
    return { exam, scope };
  }

  async list(actor: Actor, examId: string, query: z.infer<typeof examAttemptsQuerySchema>) {
    const { scope } = await this.scoped(actor, examId);
    let subtreePath: string | undefined;
    if (query.departmentId) {
      subtreePath = (await this.departments.pathOf(query.departmentId)) ?? undefined;
      if (!subtreePath) throw new AppError('ERR-DEPT-0001');
    }
    const [{ rows, total }, names] = await Promise.all([
      this.repo.examAttempts(
        examId,
        { status: query.status, pathPrefix: scope.pathPrefix, subtreePath, passed: query.passed === undefined ? undefined : query.passed === 'true', q: query.q },
        query.page,
        query.pageSize,
      ),
      this.departments.names(),
    ]);
    return {
      items: rows.map((r) => ({
        id: r.id,
        userId: r.user_id,
        username: r.username,
        displayName: r.display_name,
        departmentId: r.department_id,
        departmentPath: r.department_id ? (names.get(r.department_id) ?? null) : null,
        attemptNo: Number(r.attempt_no),
        status: r.status,
        startedAt: Number(r.started_at),
        deadline: Number(r.deadline_at),
        submittedAt: nullableNumber(r.submitted_at),
        submitReason: r.submit_reason,
        score: nullableNumber(r.score),
        maxScore: Number(r.max_score),
        passed: r.passed === null ? null : Number(r.passed) === 1,
        pendingCount: Number(r.pending_count),
        eventCount: Number(r.event_count ?? 0),
      })),
      total,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  async live(actor: Actor, examId: string) {
    const { scope } = await this.scoped(actor, examId);
    const t = this.clock();
    const [rows, names] = await Promise.all([this.repo.live(examId, t - this.attempts.graceMs, scope.pathPrefix), this.departments.names()]);
    return {
      serverTime: t,
      takers: rows.map((r) => ({
        attemptId: r.id,
        userId: r.user_id,
        displayName: r.display_name,
        departmentPath: r.department_id ? (names.get(r.department_id) ?? null) : null,
        startedAt: Number(r.started_at),
        deadline: Number(r.deadline_at),
        answeredCount: Number(r.answered_count ?? 0),
        questionCount: Number(r.question_count),
        lastSavedAt: nullableNumber(r.last_saved_at as number | null),
        remainingMs: Math.max(0, Number(r.deadline_at) - t),
        eventCount: Number(r.event_count ?? 0),
      })),
    };
  }

  /** One attempt with every answer, grade, key and the proctoring log. */
  async detail(actor: Actor, examId: string, attemptId: string) {
    const { scope } = await this.scoped(actor, examId);
    const attempt = await this.attemptsRepo.find(attemptId);
    if (!attempt || attempt.exam_id !== examId) throw new AppError('ERR-EXAM-0003');
    const user = await this.repo.userOf(attempt.user_id);
    if (scope.pathPrefix && !user?.path?.startsWith(scope.pathPrefix)) throw new AppError('ERR-EXAM-0003');
    const [result, events, names] = await Promise.all([this.attempts.resultOf(attempt, true), this.attemptsRepo.events(attemptId), this.departments.names()]);
    return {
      ...result,
      displayName: user?.display_name ?? '',
      departmentPath: user?.department_id ? (names.get(user.department_id) ?? null) : null,
      startedAt: Number(attempt.started_at),
      deadline: Number(attempt.deadline_at),
      events: events.map((e) => ({ kind: e.kind as z.infer<typeof proctorEventKindSchema>, at: Number(e.at), detail: e.detail })),
    };
  }
}
