import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { AttemptResult, AttemptView, MyExam, PaperRule, proctorEventsSchema, saveAnswerSchema, SubmitReason } from '@kpl/shared';
import type { Logger } from 'pino';
import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import type { Actor } from '../identity/index.js';
import type { CatalogEntry, QuestionCatalog } from '../questions/catalog.js';
import { optionOrderFor, orderQuestions, pickForRules, ruleFilter, type PlannedQuestion } from './attempt-plan.js';
import { isUniqueViolation, type AttemptRow, type AttemptsRepository } from './attempts.repository.js';
import { ancestorDepartments } from './exams.policies.js';
import type { ExamRow, ExamsRepository } from './exams.repository.js';
import { settingsOf, type RunningAttempts } from './exams.service.js';
import type { GradesService } from './grades.service.js';
import { toQuestionView, validateAnswerShape } from './grading/index.js';
import { Lru } from './lru.js';
import { definitionOf } from './papers.service.js';
import type { PaperRow, PapersRepository } from './papers.repository.js';
import { buildResult, visibility } from './results.js';
import { effectiveQuestions, gradeAtSubmit, parseAnswer, totalsOf, type PinnedQuestion } from './scoring.js';
import type { VersionCache } from './version-cache.js';

/** The immutable part of an attempt, cached per process so an autosave costs one UPDATE. */
interface AttemptHeader {
  id: string;
  examId: string;
  userId: string;
  deadline: number;
  questions: PinnedQuestion[];
  byQuestion: Map<string, PinnedQuestion>;
}

export const MAX_EVENTS_PER_ATTEMPT = 1000;
const SWEEP_BATCH = 100;
/** Random papers: the bank's candidates per rule are reused this long (a burst of starts reads them once). */
const CANDIDATES_TTL_MS = 10_000;

export interface AttemptsDeps {
  repo: AttemptsRepository;
  exams: ExamsRepository;
  papers: PapersRepository;
  catalog: QuestionCatalog;
  versions: VersionCache;
  grades: GradesService;
  logger: Logger;
  graceMs: number;
  clock?: () => number;
}

export class AttemptsService implements RunningAttempts {
  // ~15 KB per 50-question attempt: 10,000 running attempts per process stay well under 200 MB.
  private readonly headers = new Lru<string, AttemptHeader>(10_000);
  private readonly candidates = new Map<string, { expires: number; lists: Promise<CatalogEntry[][]> }>();
  private readonly repo: AttemptsRepository;
  private readonly clock: () => number;
  readonly graceMs: number;

  constructor(private readonly deps: AttemptsDeps) {
    this.repo = deps.repo;
    this.clock = deps.clock ?? now;
    this.graceMs = deps.graceMs;
  }

  // ------------------------------------------------------------ taking an exam

  /** The exam if the actor is in its audience and it is not a draft; otherwise "not found". */
  private async takeable(actor: Actor, examId: string): Promise<ExamRow> {
    const exam = await this.deps.exams.find(examId);
    if (!exam || exam.status === 'draft' || !(await this.deps.exams.inAudience(examId, actor.id, ancestorDepartments(actor.departmentPath)))) {
      throw new AppError('ERR-EXAM-0001');
    }
    return exam;
  }

  private overdue(attempt: Pick<AttemptRow, 'deadline_at'>, at: number): boolean {
    return at > Number(attempt.deadline_at) + this.graceMs;
  }

  /** Starts an attempt, or returns the running one (also to the loser of a concurrent double start). */
  async start(actor: Actor, examId: string): Promise<{ view: AttemptView; created: boolean }> {
    const exam = await this.takeable(actor, examId);
    let mine = await this.repo.ofUser(examId, actor.id);
    const running = mine.find((a) => a.status === 'in_progress');
    if (running) {
      if (!this.overdue(running, this.clock())) return { view: await this.viewOf(running.id), created: false };
      await this.finalize(running.id, 'timeout');
      mine = await this.repo.ofUser(examId, actor.id);
    }
    const t = this.clock();
    const opensAt = Number(exam.opens_at);
    const closesAt = Number(exam.closes_at);
    if (exam.status !== 'published' || t < opensAt || t >= closesAt) throw new AppError('ERR-EXAM-0004', undefined, { opensAt, closesAt, status: exam.status });
    if (mine.length >= Number(exam.attempts_allowed)) throw new AppError('ERR-EXAM-0005', undefined, { attemptsAllowed: Number(exam.attempts_allowed) });

    const seed = randomBytes(16).toString('hex');
    const questions = await this.plan(exam, seed);
    const id = newId();
    const deadline = Math.min(t + Number(exam.duration_minutes) * 60_000, closesAt);
    try {
      await this.repo.create(
        {
          id,
          exam_id: examId,
          user_id: actor.id,
          attempt_no: Math.max(0, ...mine.map((a) => Number(a.attempt_no))) + 1,
          status: 'in_progress',
          seed,
          started_at: t,
          deadline_at: deadline,
          submitted_at: null,
          submit_reason: null,
          score: null,
          max_score: questions.reduce((s, q) => s + q.points, 0),
          pending_count: 0,
          passed: null,
          graded_at: null,
        },
        questions.map((q) => ({
          attempt_id: id,
          question_id: q.questionId,
          position: q.position,
          version_id: q.versionId,
          points: q.points,
          option_order: q.optionOrder ? JSON.stringify(q.optionOrder) : null,
          answer: null,
          seq: 0,
          flagged: 0,
          saved_at: null,
          sealed: 0,
        })),
      );
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const winner = (await this.repo.ofUser(examId, actor.id)).find((a) => a.status === 'in_progress');
      if (!winner) throw new AppError('ERR-COMMON-0010', 'Another start of this exam finished first; reload to continue.');
      return { view: await this.viewOf(winner.id), created: false };
    }
    this.headers.set(id, { id, examId, userId: actor.id, deadline, questions, byQuestion: new Map(questions.map((q) => [q.questionId, q])) });
    return { view: await this.viewOf(id), created: true };
  }

  /** Questions, points and option order for a new attempt, all derived from its seed. */
  private async plan(exam: ExamRow, seed: string): Promise<PinnedQuestion[]> {
    const paper = await this.deps.papers.find(exam.paper_id);
    if (!paper) throw new AppError('ERR-EXAM-0002');
    const def = definitionOf(paper);
    const settings = settingsOf(exam);
    let chosen: PlannedQuestion[] | null;
    if (def.mode === 'fixed') {
      const current = await this.deps.catalog.currentVersionsOf(def.items.map((i) => i.questionId));
      this.deps.versions.remember(current.values());
      chosen = def.items.every((i) => current.has(i.questionId))
        ? def.items.map((i) => ({ questionId: i.questionId, versionId: current.get(i.questionId)!.versionId, points: i.points }))
        : null;
    } else {
      chosen = pickForRules(seed, def.rules, await this.candidatesFor(paper, def.rules));
    }
    if (!chosen) throw new AppError('ERR-EXAM-0008', 'The question bank no longer has the questions this paper needs. Please tell the exam owner.');
    const ordered = orderQuestions(seed, chosen, settings.shuffleQuestions);
    const versions = await this.deps.versions.require(ordered.map((q) => q.versionId));
    return ordered.map((q, position) => ({
      ...q,
      position,
      optionOrder: optionOrderFor(seed, q.questionId, versions.get(q.versionId)!.content, settings.shuffleOptions),
    }));
  }

  private candidatesFor(paper: PaperRow, rules: PaperRule[]): Promise<CatalogEntry[][]> {
    const key = `${paper.id}:${paper.updated_at}`;
    const t = Date.now();
    const hit = this.candidates.get(key);
    if (hit && hit.expires > t) return hit.lists;
    for (const [k, v] of this.candidates) if (v.expires <= t) this.candidates.delete(k);
    const lists = Promise.all(rules.map((r) => this.deps.catalog.listCurrent(ruleFilter(r))));
    this.candidates.set(key, { expires: t + CANDIDATES_TTL_MS, lists });
    lists.catch(() => this.candidates.delete(key));
    return lists;
  }

  private async header(attemptId: string): Promise<AttemptHeader | null> {
    const hit = this.headers.get(attemptId);
    if (hit) return hit;
    const attempt = await this.repo.find(attemptId);
    if (!attempt) return null;
    const questions = (await this.repo.pinned(attemptId)).map(
      (r): PinnedQuestion => ({
        questionId: r.question_id,
        position: Number(r.position),
        versionId: r.version_id,
        points: Number(r.points),
        optionOrder: r.option_order ? (JSON.parse(r.option_order) as PinnedQuestion['optionOrder']) : null,
      }),
    );
    const header = { id: attempt.id, examId: attempt.exam_id, userId: attempt.user_id, deadline: Number(attempt.deadline_at), questions, byQuestion: new Map(questions.map((q) => [q.questionId, q])) };
    this.headers.set(attemptId, header);
    return header;
  }

  /** The attempt if it is the actor's own; anyone else gets "not found". */
  private async owned(actor: Actor, attemptId: string): Promise<AttemptHeader> {
    const header = await this.header(attemptId);
    if (!header || header.userId !== actor.id) throw new AppError('ERR-EXAM-0003');
    return header;
  }

  private async viewOf(attemptId: string): Promise<AttemptView> {
    const header = (await this.header(attemptId))!;
    const [attempt, answers, exam, versions] = await Promise.all([
      this.repo.find(attemptId),
      this.repo.answers(attemptId),
      this.deps.exams.find(header.examId),
      this.deps.versions.require(header.questions.map((q) => q.versionId)),
    ]);
    const t = this.clock();
    const running = attempt!.status === 'in_progress';
    return {
      id: attemptId,
      examId: header.examId,
      examTitle: exam?.title ?? '',
      attemptNo: Number(attempt!.attempt_no),
      status: attempt!.status,
      startedAt: Number(attempt!.started_at),
      deadline: header.deadline,
      serverTime: t,
      remainingMs: running ? Math.max(0, header.deadline - t) : 0,
      graceMs: this.graceMs,
      submittedAt: attempt!.submitted_at === null ? null : Number(attempt!.submitted_at),
      submitReason: attempt!.submit_reason,
      questions: header.questions.map((q) => ({
        questionId: q.questionId,
        position: q.position,
        ...toQuestionView(versions.get(q.versionId)!.content, q.versionId, q.points, q.optionOrder ?? undefined),
      })),
      answers: answers.map((a) => ({
        questionId: a.question_id,
        answer: parseAnswer(a.answer),
        seq: Number(a.seq),
        flagged: Number(a.flagged) === 1,
        savedAt: a.saved_at === null ? null : Number(a.saved_at),
      })),
    };
  }

  /** Resume on reload or another device. Reading an attempt past its deadline and grace submits it. */
  async get(actor: Actor, attemptId: string): Promise<AttemptView> {
    await this.owned(actor, attemptId);
    const attempt = (await this.repo.find(attemptId))!;
    if (attempt.status === 'in_progress' && this.overdue(attempt, this.clock())) await this.finalize(attemptId, 'timeout');
    return this.viewOf(attemptId);
  }

  /**
   * The autosave (the hot path: a cached header, one conditional UPDATE). The highest seq wins;
   * a late or duplicate save answers 200 with what is stored. Refused once time (deadline + grace)
   * is up, or once the attempt is submitted — unless the very save was already stored.
   */
  async save(actor: Actor, attemptId: string, questionId: string, input: z.infer<typeof saveAnswerSchema>): Promise<{ seq: number; savedAt: number | null; stale: boolean }> {
    const header = await this.owned(actor, attemptId);
    const question = header.byQuestion.get(questionId);
    if (!question) throw new AppError('ERR-QUESTION-0001', 'This question is not part of the attempt.');
    const t = this.clock();
    if (t > header.deadline + this.graceMs) throw new AppError('ERR-EXAM-0006', undefined, { deadline: header.deadline });
    const content = (await this.deps.versions.require([question.versionId])).get(question.versionId)!.content;
    const shape = validateAnswerShape(content, input.answer);
    if (shape !== true) throw new AppError('ERR-EXAM-0009', undefined, shape);
    if (await this.repo.saveAnswer(attemptId, questionId, input.seq, JSON.stringify(input.answer), input.flagged, t)) {
      return { seq: input.seq, savedAt: t, stale: false };
    }
    const state = (await this.repo.answerState(attemptId, questionId))!;
    const stored = { seq: Number(state.seq), savedAt: state.saved_at === null ? null : Number(state.saved_at) };
    if (Number(state.sealed) === 1 && stored.seq < input.seq) {
      const attempt = await this.repo.find(attemptId);
      throw new AppError(attempt?.submit_reason === 'timeout' ? 'ERR-EXAM-0006' : 'ERR-EXAM-0007', undefined, { seq: stored.seq });
    }
    return { ...stored, stale: stored.seq > input.seq };
  }

  /** Idempotent: the first call grades, every later one returns the same result. */
  async submit(actor: Actor, attemptId: string): Promise<AttemptResult> {
    const header = await this.owned(actor, attemptId);
    const attempt = (await this.repo.find(attemptId))!;
    if (attempt.status === 'in_progress') await this.finalize(attemptId, this.clock() > header.deadline + this.graceMs ? 'timeout' : 'manual');
    return this.result(actor, attemptId);
  }

  async result(actor: Actor, attemptId: string): Promise<AttemptResult> {
    await this.owned(actor, attemptId);
    let attempt = (await this.repo.find(attemptId))!;
    if (attempt.status === 'in_progress') {
      if (!this.overdue(attempt, this.clock())) throw new AppError('ERR-EXAM-0010', 'The attempt is still running: submit it first.', { reason: 'in_progress' });
      await this.finalize(attemptId, 'timeout');
      attempt = (await this.repo.find(attemptId))!;
    }
    return this.resultOf(attempt, false);
  }

  /** The result of any attempt; `instructor` shows everything regardless of the exam's settings. */
  async resultOf(attempt: AttemptRow, instructor: boolean): Promise<AttemptResult> {
    const header = (await this.header(attempt.id))!;
    const [exam, answers, grades] = await Promise.all([this.deps.exams.find(attempt.exam_id), this.repo.answers(attempt.id), this.repo.grades(attempt.id)]);
    // Keys, explanations and breakdowns of the version each question was graded against (a re-grade may have moved it).
    const pinned = effectiveQuestions(header.questions, grades);
    const versions = await this.deps.versions.require(pinned.map((q) => q.versionId));
    return buildResult({
      attempt,
      examTitle: exam!.title,
      passMark: Number(exam!.pass_mark),
      pinned,
      answers,
      grades,
      versions,
      show: visibility(settingsOf(exam!), exam!, this.clock(), instructor),
    });
  }

  /**
   * Submits an attempt with every saved answer and grades it — exactly once, however many callers
   * (learner, sweep on several workers, exam close) race: only the conditional status change wins.
   * Sealing the answer rows in the same transaction makes saves still in flight either commit
   * before (and be graded) or match nothing. Returns whether this call did it.
   */
  async finalize(attemptId: string, reason: SubmitReason): Promise<boolean> {
    const header = await this.header(attemptId);
    if (!header) return false;
    const exam = (await this.deps.exams.find(header.examId))!;
    const settings = settingsOf(exam);
    const versions = await this.deps.versions.require(header.questions.map((q) => q.versionId));
    const aiAvailable = this.deps.grades.aiAvailable;
    const t = this.clock();
    const graded = await this.repo.db.transaction().execute(async (trx) => {
      const repo = this.repo.withDb(trx);
      if (!(await repo.markSubmitted(attemptId, t, reason))) return false;
      await repo.seal(attemptId);
      const answers = await repo.answers(attemptId);
      const grades = gradeAtSubmit(attemptId, header.questions, answers, versions, settings.multiplePolicy, aiAvailable, t);
      await repo.insertGrades(grades);
      await repo.updateTotals(attemptId, totalsOf(header.questions, grades, versions, Number(exam.pass_mark), t).row);
      return true;
    });
    if (!graded) return false;
    await this.deps.grades.afterSubmit(attemptId, reason).catch((err: unknown) => this.deps.logger.error({ err, attemptId }, 'post-submit work failed'));
    return true;
  }

  /** Submits every attempt past its deadline + grace. A database query, not a timer: survives restarts. */
  async sweepOverdue(): Promise<number> {
    let submitted = 0;
    for (let batch = 0; batch < 100; batch++) {
      const ids = await this.repo.overdue(this.clock() - this.graceMs, SWEEP_BATCH);
      let progressed = 0;
      for (const id of ids) {
        try {
          if (await this.finalize(id, 'timeout')) submitted++;
          progressed++;
        } catch (err) {
          this.deps.logger.error({ err, attemptId: id }, 'could not submit an overdue attempt');
        }
      }
      if (ids.length < SWEEP_BATCH || progressed === 0) break;
    }
    if (submitted) this.deps.logger.info({ submitted }, 'overdue attempts submitted');
    return submitted;
  }

  hasAttempts(examId: string): Promise<boolean> {
    return this.repo.hasAttempts(examId);
  }

  /** The exam closed: running attempts end now with what they saved. */
  async submitRunning(examId: string): Promise<number> {
    let n = 0;
    for (const id of await this.repo.running(examId)) if (await this.finalize(id, 'closed')) n++;
    return n;
  }

  // ------------------------------------------------------------ proctoring

  async recordEvents(actor: Actor, attemptId: string, input: z.infer<typeof proctorEventsSchema>) {
    await this.owned(actor, attemptId);
    const stored = await this.repo.countEvents(attemptId);
    const room = Math.max(0, MAX_EVENTS_PER_ATTEMPT - stored);
    const take = input.events.slice(0, room);
    const t = this.clock();
    await this.repo.insertEvents(take.map((e) => ({ id: newId(), attempt_id: attemptId, kind: e.kind, at: e.at, detail: e.detail ?? null, created_at: t })));
    return { recorded: take.length, total: stored + take.length, capped: take.length < input.events.length };
  }

  // ------------------------------------------------------------ the learner's list

  async myExams(actor: Actor) {
    const exams = await this.deps.exams.forTaker(actor.id, ancestorDepartments(actor.departmentPath));
    const attempts = await this.repo.ofUserIn(
      exams.map((e) => e.id),
      actor.id,
    );
    const t = this.clock();
    const out = { upcoming: [] as MyExam[], available: [] as MyExam[], inProgress: [] as MyExam[], done: [] as MyExam[] };
    for (const exam of exams) {
      const mine = attempts.filter((a) => a.exam_id === exam.id);
      const running = mine.find((a) => a.status === 'in_progress' && !this.overdue(a, t));
      const submitted = mine.filter((a) => a.status === 'submitted' && a.score !== null);
      const best = submitted.reduce<AttemptRow | null>((b, a) => (!b || Number(a.score) > Number(b.score) ? a : b), null);
      const passedValues = submitted.map((a) => (a.passed === null ? null : Number(a.passed) === 1));
      const entry: MyExam = {
        id: exam.id,
        title: exam.title,
        description: exam.description,
        opensAt: Number(exam.opens_at),
        closesAt: Number(exam.closes_at),
        durationMinutes: Number(exam.duration_minutes),
        attemptsAllowed: Number(exam.attempts_allowed),
        attemptsUsed: mine.length,
        passMark: Number(exam.pass_mark),
        questionCount: Number(exam.question_count ?? 0),
        totalPoints: Number(exam.total_points ?? 0),
        runningAttemptId: running?.id ?? null,
        bestScore: best ? Number(best.score) : null,
        bestPercent: best && Number(best.max_score) > 0 ? Math.floor((Number(best.score) / Number(best.max_score)) * 10_000) / 100 : null,
        passed: passedValues.includes(true) ? true : passedValues.includes(null) ? null : passedValues.length ? false : null,
      };
      const open = exam.status === 'published' && t >= entry.opensAt && t < entry.closesAt;
      if (running) out.inProgress.push(entry);
      else if (exam.status === 'published' && t < entry.opensAt) out.upcoming.push(entry);
      else if (open && mine.length < entry.attemptsAllowed) out.available.push(entry);
      else out.done.push(entry);
    }
    return out;
  }
}
