import type { AnswerValue, CreateExamInput, QuestionContentInput, QuestionType } from '@kpl/shared';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createContainer } from '../../container.js';
import { newId } from '../../platform/ids.js';
import type { EnqueueOptions, JobContext, JobHandler, JobName, JobPayloads, JobQueue } from '../../platform/queue/types.js';
import type { Scheduler } from '../../platform/scheduler/scheduler.js';
import type { Session, TestApp, TestEnv } from '../../test/harness.js';
import { createExams, type ExamsDeps } from './index.js';

/** Builders for exam tests (integration tests and the authorisation matrix): real questions through the bank's API. */

export const SAMPLE_QUESTIONS: Record<QuestionType, { content: QuestionContentInput; points: number; right: AnswerValue; wrong: AnswerValue }> = {
  single: {
    content: {
      type: 'single',
      stem: '处理个人信息应当遵循什么原则？',
      options: [
        { key: 'A', text: '合法、正当、必要和诚信' },
        { key: 'B', text: '效率优先' },
        { key: 'C', text: '利润最大化' },
        { key: 'D', text: '先收集后告知' },
      ],
      correct: ['A'],
      explanation: '《个人信息保护法》第五条。',
      knowledgePoints: ['处理原则'],
    },
    points: 2,
    right: 'A',
    wrong: 'B',
  },
  multiple: {
    content: {
      type: 'multiple',
      stem: '下列哪些属于敏感个人信息？',
      options: [
        { key: 'A', text: '生物识别' },
        { key: 'B', text: '姓名' },
        { key: 'C', text: '医疗健康' },
        { key: 'D', text: '金融账户' },
      ],
      correct: ['A', 'C', 'D'],
      knowledgePoints: ['敏感信息'],
    },
    points: 3,
    right: ['A', 'C', 'D'],
    wrong: ['A', 'C'],
  },
  true_false: {
    content: { type: 'true_false', stem: '处理不满十四周岁未成年人的个人信息须取得其监护人同意。', correct: true, knowledgePoints: ['敏感信息'] },
    points: 1,
    right: true,
    wrong: false,
  },
  fill_blank: {
    content: { type: 'fill_blank', stem: '《个人信息保护法》自____年____月1日起施行。', blanks: [{ accepted: ['2021'] }, { accepted: ['11', '十一'] }], knowledgePoints: ['处理原则'] },
    points: 2,
    right: ['２０２１', '十一'],
    wrong: ['2020', '12'],
  },
  short_answer: {
    content: {
      type: 'short_answer',
      stem: '简述告知同意规则。',
      referenceAnswer: '处理前应当以显著方式、清晰易懂的语言告知并取得个人同意。',
      rubric: [
        { point: '事先告知', weight: 1, keywords: ['告知'] },
        { point: '取得同意', weight: 1, keywords: ['同意'] },
      ],
      knowledgePoints: ['告知同意'],
    },
    points: 10,
    right: '处理前要告知本人并取得同意。',
    wrong: '不知道',
  },
};

export const TYPES = Object.keys(SAMPLE_QUESTIONS) as QuestionType[];

export function examKit(t: TestApp, owner: Session) {
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, who: Session, payload?: unknown) =>
    t.app.inject({ method, url, headers: who.headers, payload: payload as object });
  const ok = async (method: 'POST' | 'PATCH', url: string, payload: unknown, status = method === 'POST' ? 201 : 200) => {
    const res = await call(method, url, owner, payload);
    if (res.statusCode !== status) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };

  return {
    call,
    /** Starts (or resumes) an attempt as `who`; returns its id. */
    async start(who: Session, examId: string): Promise<string> {
      const res = await call('POST', `/api/v1/exams/${examId}/attempts`, who);
      if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`start ${examId} → ${res.statusCode} ${res.body}`);
      return res.json().id;
    },
    /**
     * Saves an answer to each sample question, in order (seq 1, 2, …): all right or all wrong, or
     * the given answers with the right one for every other question.
     */
    async answerAll(who: Session, attemptId: string, ids: Record<QuestionType, string>, pick: 'right' | 'wrong' | Partial<Record<QuestionType, AnswerValue>> = 'right'): Promise<void> {
      for (const [i, type] of TYPES.entries()) {
        const answer = typeof pick === 'string' ? SAMPLE_QUESTIONS[type][pick] : (pick[type] ?? SAMPLE_QUESTIONS[type].right);
        const res = await call('PUT', `/api/v1/attempts/${attemptId}/answers/${ids[type]}`, who, { answer, seq: i + 1 });
        if (res.statusCode !== 200) throw new Error(`answer ${type} → ${res.statusCode} ${res.body}`);
      }
    },
    async bank(name = '合规题库'): Promise<string> {
      return (await ok('POST', '/api/v1/question-banks', { name })).id;
    },
    async question(bankId: string, content: QuestionContentInput, defaultPoints?: number): Promise<string> {
      return (await ok('POST', '/api/v1/questions', { bankId, content, ...(defaultPoints !== undefined && { defaultPoints }) })).id;
    },
    /** One question of each type in a new bank; returns question ids by type. */
    async sampleSet(): Promise<{ bankId: string; ids: Record<QuestionType, string> }> {
      const bankId = await this.bank(`样题库${Math.random().toString(36).slice(2, 8)}`);
      const ids = {} as Record<QuestionType, string>;
      for (const type of TYPES) ids[type] = await this.question(bankId, SAMPLE_QUESTIONS[type].content, SAMPLE_QUESTIONS[type].points);
      return { bankId, ids };
    },
    async fixedPaper(questionIds: string[], title = '固定试卷'): Promise<string> {
      return (await ok('POST', '/api/v1/papers', { mode: 'fixed', title, items: questionIds.map((questionId) => ({ questionId })) })).id;
    },
    async exam(paperId: string, patch: Partial<CreateExamInput> = {}): Promise<string> {
      const nowMs = Date.now();
      const body = { title: '个人信息保护月考', paperId, opensAt: nowMs - 60_000, closesAt: nowMs + 3_600_000, durationMinutes: 30, ...patch };
      return (await ok('POST', '/api/v1/exams', body)).id;
    },
    async publish(examId: string): Promise<void> {
      await ok('POST', `/api/v1/exams/${examId}/publish`, undefined, 200);
    },
    /** A published exam on a fixed paper with one question of each type, open now for the given users. */
    async openExam(userIds: string[], patch: Partial<CreateExamInput> = {}) {
      const set = await this.sampleSet();
      const paperId = await this.fixedPaper(TYPES.map((type) => set.ids[type]));
      const examId = await this.exam(paperId, { audience: { userIds, departmentIds: [] }, ...patch });
      await this.publish(examId);
      return { examId, paperId, ...set };
    },
  };
}

/** A queue that only records what is enqueued and keeps the handlers, so a test runs the job itself. */
export class RecordingQueue implements JobQueue {
  readonly kind = 'database' as const;
  readonly handlers = new Map<string, JobHandler<never>>();
  readonly enqueued: { name: string; payload: unknown; options?: EnqueueOptions }[] = [];
  register<K extends JobName>(name: K, handler: JobHandler<JobPayloads[K]>): void {
    this.handlers.set(name, handler as JobHandler<never>);
  }
  async enqueue<K extends JobName>(name: K, payload: JobPayloads[K], options?: EnqueueOptions): Promise<string> {
    this.enqueued.push({ name, payload, options });
    return newId();
  }
  async run<K extends JobName>(name: K, payload: JobPayloads[K], attempt = 1): Promise<unknown> {
    const ctx: JobContext<JobPayloads[K]> = {
      id: newId(),
      name,
      payload,
      attempt,
      signal: new AbortController().signal,
      progress: async () => undefined,
      log: { warn: () => undefined, info: () => undefined, error: () => undefined } as unknown as JobContext<unknown>['log'],
    };
    return (this.handlers.get(name) as JobHandler<JobPayloads[K]>)(ctx);
  }
  async get() {
    return null;
  }
  async counts() {
    return { queued: 0, running: 0, completed: 0, failed: 0 };
  }
  start(): void {}
  async stop(): Promise<void> {}
  async ping(): Promise<void> {}
}

export const noScheduler: Scheduler = { kind: 'timer', every: () => undefined, start: async () => undefined, stop: async () => undefined };

/** A process on an existing test database: build, use, close; the data stays for the next one (restarts). */
export async function bootOn(env: TestEnv): Promise<TestApp> {
  const config = loadConfig(env.env);
  const container = await createContainer(config);
  const app = await buildApp(container);
  await app.ready();
  return {
    app,
    container,
    config,
    close: async () => {
      await app.close();
      await container.close();
    },
  };
}

/**
 * A second exams module on the test app's database, with its own queue (a RecordingQueue unless
 * given) and no scheduler, so a test can plug in a grader or other settings.
 */
export function examsOn(t: TestApp, deps: Partial<ExamsDeps> = {}) {
  return createExams({
    db: t.container.database.db,
    catalog: t.container.questions.catalog,
    departments: t.container.identity.departmentLookup,
    audit: t.container.audit.service,
    queue: new RecordingQueue(),
    scheduler: noScheduler,
    events: t.container.events,
    logger: t.container.logger,
    graceMs: 60_000,
    ...deps,
  });
}
