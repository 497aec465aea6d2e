import type { z } from 'zod';
import type { AiAssessment, gradeInputSchema, gradingQueueQuerySchema, SubmitReason } from '@kpl/shared';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../../platform/db/schema.js';
import { AppError } from '../../platform/errors.js';
import type { DomainEvents, EventBus } from '../../platform/events/event-bus.js';
import { now } from '../../platform/ids.js';
import type { JobContext, JobQueue } from '../../platform/queue/types.js';
import type { AiCapabilities } from '../ai/capabilities.js';
import type { PinnedVersion } from '../questions/catalog.js';
import type { AuditEntry } from '../audit/index.js';
import type { Actor } from '../identity/index.js';
import type { AttemptRow, AttemptsRepository, GradeRow } from './attempts.repository.js';
import { canManageExam, canReadExam } from './exams.policies.js';
import type { ExamsRepository } from './exams.repository.js';
import { round2 } from './grading/index.js';
import type { MonitoringRepository } from './monitoring.repository.js';
import { planRegrade, type RegradeStep } from './regrade-plan.js';
import { settingsOf } from './exams.service.js';
import { effectiveQuestions, parseAnswer, parseJson, plainText, totalsOf, type PinnedQuestion, type Totals } from './scoring.js';
import type { VersionCache } from './version-cache.js';

export const AI_GRADING_ATTEMPTS = 3;

/** What re-grading one attempt did. */
export interface AttemptRegrade {
  /** Grades moved to the current version of their question. */
  regraded: number;
  /** Of those, short answers back in the AI / manual queue. */
  sentToGrading: number;
  keptOverrides: number;
  incompatible: number;
  scoreChanged: boolean;
  passChanged: boolean;
}

export interface GradesDeps {
  repo: AttemptsRepository;
  exams: ExamsRepository;
  monitoring: MonitoringRepository;
  versions: VersionCache;
  events: EventBus;
  queue: JobQueue;
  audit: { record(entry: AuditEntry, db?: Kysely<DB>): Promise<void> };
  logger: Logger;
  /** Optional: without it short answers wait for an instructor. */
  grader?: Pick<AiCapabilities, 'gradeAnswer'>;
  /** AI grades below this confidence go to the manual queue (default 0.6). */
  aiConfidenceThreshold?: number;
  /** Called in this process after every grading of an attempt (e.g. to enqueue a wrong-answer book update). */
  onAttemptGraded?: (graded: DomainEvents['exams.attempt-graded']) => Promise<unknown>;
  clock?: () => number;
}

/**
 * Everything after the objective grading at submit: events, short answers graded by the AI (when
 * one is configured and confident) or by instructors, overrides (audited), and the attempt's totals
 * kept in step with its grades.
 */
export class GradesService {
  private readonly clock: () => number;
  private readonly threshold: number;

  constructor(private readonly deps: GradesDeps) {
    this.clock = deps.clock ?? now;
    this.threshold = deps.aiConfidenceThreshold ?? 0.6;
  }

  get aiAvailable(): boolean {
    return Boolean(this.deps.grader);
  }

  private async pinnedOf(attemptId: string): Promise<PinnedQuestion[]> {
    return (await this.deps.repo.pinned(attemptId)).map((r) => ({
      questionId: r.question_id,
      position: Number(r.position),
      versionId: r.version_id,
      points: Number(r.points),
      optionOrder: null,
    }));
  }

  /** The attempt's questions with the version each grade was made against (see effectiveQuestions). */
  private async effectiveOf(attemptId: string, grades: readonly GradeRow[]): Promise<PinnedQuestion[]> {
    return effectiveQuestions(await this.pinnedOf(attemptId), grades);
  }

  /**
   * After the submit transaction committed: hand short answers to the AI (a durable job), then tell
   * subscribers. Events are not awaited: a slow event transport must not hold up the submit.
   */
  async afterSubmit(attemptId: string, reason: SubmitReason): Promise<void> {
    const [attempt, grades] = await Promise.all([this.deps.repo.find(attemptId), this.deps.repo.grades(attemptId)]);
    if (grades.some((g) => g.status === 'pending')) {
      await this.deps.queue.enqueue('exams.grade-short-answers', { attemptId }, { maxAttempts: AI_GRADING_ATTEMPTS });
    }
    this.emit('exams.attempt-submitted', { attemptId, examId: attempt!.exam_id, userId: attempt!.user_id, reason });
    await this.publishGraded(attempt!, grades);
  }

  private emit<K extends 'exams.attempt-submitted' | 'exams.attempt-graded'>(type: K, payload: DomainEvents[K]): void {
    this.deps.events.publish(type, payload).catch((err: unknown) => this.deps.logger.error({ err, type }, 'could not publish an exam event'));
  }

  /**
   * Per-question correctness for subscribers such as a wrong-answer book: a domain event for
   * everyone, and the optional in-process hook for work that must be enqueued once (the event bus
   * broadcasts to every process).
   */
  private async publishGraded(attempt: AttemptRow, grades: GradeRow[]): Promise<void> {
    const [pinned, exam] = await Promise.all([this.effectiveOf(attempt.id, grades), this.deps.exams.find(attempt.exam_id)]);
    const byQuestion = new Map(grades.map((g) => [g.question_id, g]));
    const pending = grades.filter((g) => g.status !== 'graded').length;
    const payload: DomainEvents['exams.attempt-graded'] = {
      attemptId: attempt.id,
      examId: attempt.exam_id,
      examTitle: exam?.title ?? '',
      userId: attempt.user_id,
      at: Number(attempt.graded_at ?? this.clock()),
      final: pending === 0,
      score: Number(attempt.score ?? 0),
      maxScore: Number(attempt.max_score),
      passed: attempt.passed === null ? null : Number(attempt.passed) === 1,
      questions: pinned.map((q) => {
        const g = byQuestion.get(q.questionId);
        const detail = parseJson<{ answered?: boolean }>(g?.detail ?? null);
        return {
          questionId: q.questionId,
          versionId: q.versionId,
          status: g?.status ?? 'pending',
          correct: g?.status === 'graded' ? Number(g.correct) === 1 : null,
          answered: detail?.answered ?? false,
        };
      }),
    };
    this.emit('exams.attempt-graded', payload);
    await this.deps.onAttemptGraded?.(payload);
  }

  /**
   * Runs `change` and recomputes the attempt's totals in one transaction. Touching the attempt row
   * first serialises concurrent graders of the same attempt, so totals always match the grades.
   * Versions are read before the transaction (SQLite has one connection); should a concurrent
   * re-grade have moved a grade to a version not read yet, the whole step runs again.
   */
  private async regrade(attemptId: string, change: (repo: AttemptsRepository, db: Kysely<DB>) => Promise<void>, versionIds: readonly string[] = []): Promise<Totals> {
    const totals = await this.changeWithTotals(attemptId, change, versionIds);
    const fresh = (await this.deps.repo.find(attemptId))!;
    await this.publishGraded(fresh, await this.deps.repo.grades(attemptId)).catch((err: unknown) => this.deps.logger.error({ err, attemptId }, 'post-grading work failed'));
    return totals;
  }

  private async changeWithTotals(attemptId: string, change: (repo: AttemptsRepository, db: Kysely<DB>) => Promise<void>, versionIds: readonly string[]): Promise<Totals> {
    const attempt = (await this.deps.repo.find(attemptId))!;
    const exam = (await this.deps.exams.find(attempt.exam_id))!;
    const pinned = await this.pinnedOf(attemptId);
    const known = (await this.deps.repo.grades(attemptId)).map((g) => g.version_id).filter((v): v is string => v !== null);
    let versions = await this.deps.versions.require([...pinned.map((q) => q.versionId), ...known, ...versionIds]);
    for (let tries = 0; ; tries++) {
      const t = this.clock();
      const have = versions;
      const outcome = await this.deps.repo.db.transaction().execute(async (trx): Promise<{ missing: string[] } | { result: Totals }> => {
        const repo = this.deps.repo.withDb(trx);
        await repo.updateTotals(attemptId, { graded_at: t });
        const missing = effectiveQuestions(pinned, await repo.grades(attemptId))
          .map((q) => q.versionId)
          .filter((v) => !have.has(v));
        if (missing.length) return { missing };
        await change(repo, trx);
        const grades = await repo.grades(attemptId);
        const result = totalsOf(effectiveQuestions(pinned, grades), grades, have, Number(exam.pass_mark), t);
        await repo.updateTotals(attemptId, result.row);
        return { result };
      });
      if ('result' in outcome) return outcome.result;
      if (tries >= 2) throw new AppError('ERR-COMMON-0010', 'The attempt is being re-graded right now; please try again.');
      versions = new Map([...versions, ...(await this.deps.versions.require(outcome.missing))]);
    }
  }

  /**
   * Re-grades one submitted attempt against the current versions of its questions (the rules are in
   * regrade-plan.ts), recomputes totals and pass, and tells subscribers like any grading does.
   * Idempotent: a grade already made against the current version is left alone.
   */
  async regradeAttempt(attemptId: string, current: ReadonlyMap<string, PinnedVersion>): Promise<AttemptRegrade> {
    const out: AttemptRegrade = { regraded: 0, sentToGrading: 0, keptOverrides: 0, incompatible: 0, scoreChanged: false, passChanged: false };
    const attempt = await this.deps.repo.find(attemptId);
    if (!attempt || attempt.status !== 'submitted') return out;
    const [exam, grades, answers] = await Promise.all([this.deps.exams.find(attempt.exam_id), this.deps.repo.grades(attemptId), this.deps.repo.answers(attemptId)]);
    const stale = (await this.effectiveOf(attemptId, grades)).filter((q) => {
      const now = current.get(q.questionId);
      return now !== undefined && now.versionId !== q.versionId;
    });
    if (stale.length === 0) return out;
    const versions = await this.deps.versions.require(stale.map((q) => q.versionId));
    const gradeOf = new Map(grades.map((g) => [g.question_id, g]));
    const answerOf = new Map(answers.map((a) => [a.question_id, parseAnswer(a.answer)]));
    const policy = settingsOf(exam!).multiplePolicy;
    const t = this.clock();
    const moves: { questionId: string; from: string; step: Extract<RegradeStep, { patch: unknown }> }[] = [];
    for (const q of stale) {
      const grade = gradeOf.get(q.questionId);
      if (!grade) continue;
      const to = current.get(q.questionId)!;
      const step = planRegrade({
        grade,
        from: versions.get(q.versionId)!.content,
        to: { versionId: to.versionId, content: to.content },
        answer: answerOf.get(q.questionId) ?? null,
        points: q.points,
        policy,
        aiAvailable: this.aiAvailable,
        at: t,
      });
      if (step.kind === 'kept_override') out.keptOverrides++;
      else if (step.kind === 'incompatible') out.incompatible++;
      else moves.push({ questionId: q.questionId, from: q.versionId, step });
    }
    if (moves.length === 0) return out;
    const before = { score: Number(attempt.score ?? 0), passed: attempt.passed === null ? null : Number(attempt.passed) };
    const totals = await this.regrade(
      attemptId,
      async (repo) => {
        for (const m of moves) {
          if (!(await repo.regradeQuestion(attemptId, m.questionId, m.from, m.step.patch))) continue;
          out.regraded++;
          if (m.step.kind === 'regraded' && m.step.requeued) out.sentToGrading++;
        }
      },
      moves.map((m) => m.step.patch.version_id),
    );
    if (out.sentToGrading && this.aiAvailable) {
      await this.deps.queue.enqueue('exams.grade-short-answers', { attemptId }, { maxAttempts: AI_GRADING_ATTEMPTS });
    }
    out.scoreChanged = totals.row.score !== before.score;
    out.passChanged = totals.row.passed !== before.passed;
    return out;
  }

  /** An instructor grades a waiting short answer or overrides any question's score. Audited. */
  async grade(actor: Actor, attemptId: string, questionId: string, input: z.infer<typeof gradeInputSchema>) {
    const attempt = await this.deps.repo.find(attemptId);
    const exam = attempt && (await this.deps.exams.find(attempt.exam_id));
    if (!attempt || !exam || !canReadExam(actor, exam)) throw new AppError('ERR-EXAM-0003');
    if (!canManageExam(actor, exam)) throw new AppError('ERR-AUTH-0002', 'Only the exam owner or an administrator grades its attempts.');
    if (attempt.status !== 'submitted') throw new AppError('ERR-COMMON-0010', 'The attempt is still running: it can be graded once submitted.');
    const before = await this.deps.repo.grade(attemptId, questionId);
    if (!before) throw new AppError('ERR-QUESTION-0001', 'This question is not part of the attempt.');
    const max = Number(before.max_score);
    if (input.score > max) throw new AppError('ERR-COMMON-0001', undefined, [{ path: 'body.score', message: `must not exceed ${max}` }]);
    const score = round2(input.score);
    const t = this.clock();
    const totals = await this.regrade(attemptId, async (repo, db) => {
      await repo.updateGrade(attemptId, questionId, {
        score,
        status: 'graded',
        grader: 'user',
        correct: score >= max ? 1 : 0,
        comment: input.comment || null,
        graded_by: actor.id,
        graded_at: t,
      });
      await this.deps.audit.record(
        {
          actorId: actor.id,
          actorName: actor.displayName,
          ip: actor.ip,
          requestId: actor.requestId,
          action: 'exam.grade_changed',
          targetType: 'attempt',
          targetId: attemptId,
          details: {
            examId: exam.id,
            userId: attempt.user_id,
            questionId,
            before: { score: Number(before.score), status: before.status, grader: before.grader },
            after: { score, comment: input.comment },
          },
        },
        db,
      );
    });
    return {
      questionId,
      score,
      maxScore: max,
      status: 'graded' as const,
      grader: 'user' as const,
      comment: input.comment || null,
      attempt: { score: totals.score.score, maxScore: totals.score.maxScore, percent: totals.score.percent, passed: totals.score.passed, pendingCount: totals.score.pending },
    };
  }

  /** Short answers waiting for a person, in exams the caller manages (admins: all). */
  async queue(actor: Actor, query: z.infer<typeof gradingQueueQuerySchema>) {
    const { rows, total } = await this.deps.monitoring.gradingQueue(
      { ownerId: actor.role === 'admin' ? undefined : actor.id, examId: query.examId },
      query.page,
      query.pageSize,
    );
    const versionOf = (r: (typeof rows)[number]) => r.graded_version_id ?? r.version_id;
    const versions = await this.deps.versions.require(rows.map(versionOf));
    const items = rows.map((r) => {
      const content = versions.get(versionOf(r))!.content;
      return {
        attemptId: r.attempt_id,
        examId: r.exam_id,
        examTitle: r.exam_title,
        userId: r.user_id,
        displayName: r.display_name,
        questionId: r.question_id,
        position: Number(r.position),
        stem: content.stem,
        referenceAnswer: content.type === 'short_answer' ? content.referenceAnswer : '',
        rubric: content.type === 'short_answer' ? content.rubric : [],
        answer: parseAnswer(r.answer),
        maxScore: Number(r.max_score),
        status: r.status as 'pending' | 'manual',
        ai: parseJson<AiAssessment>(r.ai_assessment),
        submittedAt: r.submitted_at === null ? null : Number(r.submitted_at),
      };
    });
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  /**
   * The background job: the AI grades each waiting short answer. Confident grades are final
   * (grader 'ai', with the explanation per rubric point); the rest go to the manual queue with
   * the AI's suggestion. A person's grade is never overwritten. After the last retry, answers the
   * AI could not grade go to the manual queue too.
   */
  async gradeShortAnswers(ctx: JobContext<{ attemptId: string }>): Promise<{ graded: number; manual: number }> {
    const { attemptId } = ctx.payload;
    const all = await this.deps.repo.grades(attemptId);
    const waiting = all.filter((g) => g.status === 'pending');
    if (waiting.length === 0) return { graded: 0, manual: 0 };
    // Against the version the grade belongs to: a re-grade may have moved it to a corrected rubric.
    const pinned = new Map((await this.effectiveOf(attemptId, all)).map((q) => [q.questionId, q]));
    const answers = new Map((await this.deps.repo.answers(attemptId)).map((a) => [a.question_id, parseAnswer(a.answer)]));
    const versions = await this.deps.versions.require([...pinned.values()].map((q) => q.versionId));
    const outcomes: { questionId: string; assessment: AiAssessment | null }[] = [];
    let failure: unknown = null;
    for (const g of waiting) {
      const content = versions.get(pinned.get(g.question_id)!.versionId)!.content;
      const answer = answers.get(g.question_id);
      if (!this.deps.grader || content.type !== 'short_answer' || typeof answer !== 'string') {
        outcomes.push({ questionId: g.question_id, assessment: null });
        continue;
      }
      try {
        const max = Number(g.max_score);
        const res = await this.deps.grader.gradeAnswer(
          { stem: plainText(content.stem), referenceAnswer: content.referenceAnswer, rubric: content.rubric, answer, maxScore: max },
          { signal: ctx.signal },
        );
        const score = round2(Math.min(max, Math.max(0, Number.isFinite(res.score) ? res.score : 0)));
        outcomes.push({ questionId: g.question_id, assessment: { score, confidence: res.confidence, explanation: res.explanation, points: res.points } });
      } catch (err) {
        failure = err;
        if (ctx.attempt < AI_GRADING_ATTEMPTS) break;
        ctx.log.warn({ err, attemptId, questionId: g.question_id }, 'AI grading failed; the answer goes to the manual queue');
        outcomes.push({ questionId: g.question_id, assessment: null });
      }
    }
    const t = this.clock();
    let graded = 0;
    if (outcomes.length) {
      await this.regrade(attemptId, async (repo) => {
        for (const { questionId, assessment } of outcomes) {
          const max = Number(waiting.find((g) => g.question_id === questionId)!.max_score);
          const confident = assessment !== null && assessment.confidence >= this.threshold;
          const common = { ai_confidence: assessment?.confidence ?? null, ai_assessment: assessment ? JSON.stringify(assessment) : null };
          const patch = confident
            ? { ...common, status: 'graded' as const, grader: 'ai' as const, score: assessment.score, correct: assessment.score >= max ? 1 : 0, graded_at: t }
            : { ...common, status: 'manual' as const };
          if ((await repo.updateGrade(attemptId, questionId, patch, 'pending')) && confident) graded++;
        }
      });
    }
    // Retry the rest later (the queue backs off); what was decided above is kept.
    if (failure && ctx.attempt < AI_GRADING_ATTEMPTS) throw failure;
    return { graded, manual: outcomes.length - graded };
  }
}
