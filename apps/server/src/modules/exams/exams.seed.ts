import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createExamSchema, createPaperSchema, type PaperRuleInput, type QuestionType } from '@kpl/shared';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { now } from '../../platform/ids.js';
import type { createCourses } from '../courses/index.js';
import { seedActor, type Actor } from '../identity/index.js';
import type { createQuestions } from '../questions/index.js';
import type { ExamsService } from './exams.service.js';
import type { PapersService } from './papers.service.js';

/** The demo question bank, written as GIFT and imported through the real importer. */
export const DEMO_BANK_FILE = fileURLToPath(new URL('../../../fixtures/samples/pipl-bank.gift.txt', import.meta.url));
export const DEMO_COURSE_TITLE = '《个人信息保护法》合规培训';
export const DEMO_BANK_NAME = '《个人信息保护法》题库';
export const DEMO_PAPER_TITLE = '《个人信息保护法》随机组卷';
export const DEMO_EXAM_TITLE = '《个人信息保护法》合规考试';
const DAY = 24 * 3600 * 1000;
const META = '// kpl: ';

/** 10 single, 5 multiple, 5 true/false, 3 fill-in, 1 short answer: 24 questions, 100 points. */
const RULES: [QuestionType, number, number][] = [
  ['single', 10, 3],
  ['multiple', 5, 5],
  ['true_false', 5, 3],
  ['fill_blank', 3, 5],
  ['short_answer', 1, 15],
];

export interface DemoExamDeps {
  db: Kysely<DB>;
  questions: Pick<ReturnType<typeof createQuestions>, 'banks' | 'importer'>;
  knowledgePoints: Pick<ReturnType<typeof createCourses>['knowledgePoints'], 'list' | 'create' | 'update'>;
  papers: PapersService;
  exams: ExamsService;
  clock?: () => number;
}

export interface DemoExamOutcome {
  seeded: boolean;
  questions: number;
  /** Questions whose source citation was found in the course material. */
  cited: number;
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

async function demoMaterials(db: Kysely<DB>) {
  return db
    .selectFrom('materials')
    .innerJoin('courses', 'courses.id', 'materials.course_id')
    .select('materials.status')
    .where('courses.title', '=', DEMO_COURSE_TITLE)
    .execute();
}

/** Whether the demo course's material is still waiting for extraction (the bank's citations need its chunks). */
export async function demoMaterialsPending(db: Kysely<DB>): Promise<boolean> {
  return (await demoMaterials(db)).some((m) => m.status === 'processing');
}

/** Waits (polling) until a worker extracted the demo course's material; false on timeout. */
export async function waitForDemoMaterials(db: Kysely<DB>, timeoutMs: number): Promise<boolean> {
  for (const until = Date.now() + timeoutMs; ; ) {
    if (!(await demoMaterialsPending(db))) return true;
    if (Date.now() >= until) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The fixture cites the statute by quote only. Each quote is looked up in the course's chunks (the
 * Markdown copy first: its text is the cleanest) and completed with the material and chunk ids;
 * a quote not found (material not extracted yet) drops the citation rather than the question.
 */
function withSources(gift: string, chunks: { id: string; material_id: string; text: string }[]): { text: string; cited: number; knowledgePoints: Set<string> } {
  let cited = 0;
  const knowledgePoints = new Set<string>();
  const text = gift
    .split('\n')
    .map((line) => {
      if (!line.startsWith(META)) return line;
      const meta = JSON.parse(line.slice(META.length)) as { knowledgePoints?: string[]; source?: { quote: string; citation?: string } };
      for (const kp of meta.knowledgePoints ?? []) knowledgePoints.add(kp);
      if (!meta.source) return line;
      const { quote, citation } = meta.source;
      const chunk = chunks.find((c) => squeeze(c.text).includes(squeeze(quote)));
      if (chunk) {
        meta.source = { materialId: chunk.material_id, chunkId: chunk.id, quote, ...(citation && { citation }) } as typeof meta.source;
        cited++;
      } else delete meta.source;
      return `${META}${JSON.stringify(meta)}`;
    })
    .join('\n');
  return { text, cited, knowledgePoints };
}

/**
 * Demo data for the exams: on the demo course, the question bank 《个人信息保护法》题库 (from the GIFT
 * fixture, through the importer), the course's matching knowledge points (confirmed), a random
 * paper and an open exam for the demo learners' departments (30 minutes, 3 attempts, pass at 60,
 * answers shown after submit). Owned by the demo instructor. Idempotent: whatever exists already
 * (bank, paper, exam — found by name) is kept, so a second run changes nothing. Run it after the
 * course material was extracted, or the questions carry no source citations.
 */
export async function seedDemoExam(deps: DemoExamDeps): Promise<DemoExamOutcome> {
  const { db } = deps;
  const none: DemoExamOutcome = { seeded: false, questions: 0, cited: 0 };
  const actor = await seedActor(db, 'instructor');
  const course = await db.selectFrom('courses').select('id').where('title', '=', DEMO_COURSE_TITLE).executeTakeFirst();
  if (!actor || !course) return none;
  const t = (deps.clock ?? now)();
  let seeded = false;

  // The bank, and its questions when it has none yet.
  let bank: { id: string } | undefined = await db.selectFrom('question_banks').select('id').where('name', '=', DEMO_BANK_NAME).executeTakeFirst();
  if (!bank) {
    bank = await deps.questions.banks.create(actor, { name: DEMO_BANK_NAME, description: '《个人信息保护法》合规培训配套题库：单选、多选、判断、填空和简答题，附条文出处。', courseId: course.id });
    seeded = true;
  }
  let outcome = { ...none };
  const { n } = await db.selectFrom('questions').select((eb) => eb.fn.countAll<number>().as('n')).where('bank_id', '=', bank.id).executeTakeFirstOrThrow();
  if (Number(n) === 0) {
    const chunks = await db
      .selectFrom('chunks')
      .innerJoin('materials', 'materials.id', 'chunks.material_id')
      .select(['chunks.id', 'chunks.material_id', 'chunks.text', 'materials.kind'])
      .where('chunks.course_id', '=', course.id)
      .orderBy('chunks.material_id')
      .orderBy('chunks.idx')
      .execute();
    const markdownFirst = [...chunks.filter((c) => c.kind === 'markdown'), ...chunks.filter((c) => c.kind !== 'markdown')];
    const { text, cited, knowledgePoints } = withSources(readFileSync(DEMO_BANK_FILE, 'utf8'), markdownFirst);
    const imported = await deps.questions.importer.run(actor, { format: 'gift', bankId: bank.id, dryRun: false, file: Buffer.from(text, 'utf8') });
    outcome = { seeded: true, questions: imported.summary.created, cited };
    seeded = true;
    await confirmKnowledgePoints(deps, actor, course.id, knowledgePoints);
  }

  let paper: { id: string } | undefined = await db.selectFrom('papers').select('id').where('title', '=', DEMO_PAPER_TITLE).executeTakeFirst();
  if (!paper) {
    const rules: PaperRuleInput[] = RULES.map(([type, count, pointsEach]) => ({ bankIds: [bank.id], types: [type], count, pointsEach }));
    paper = await deps.papers.create(actor, createPaperSchema.parse({ mode: 'random', title: DEMO_PAPER_TITLE, description: '每次考试从题库随机抽题：单选 10、多选 5、判断 5、填空 3、简答 1，共 100 分。', rules }));
    seeded = true;
  }

  if (!(await db.selectFrom('exams').select('id').where('title', '=', DEMO_EXAM_TITLE).executeTakeFirst())) {
    const learnerDepartments = await db.selectFrom('users').select('department_id').distinct().where('role', '=', 'learner').where('department_id', 'is not', null).execute();
    const exam = await deps.exams.create(
      actor,
      createExamSchema.parse({
        title: DEMO_EXAM_TITLE,
        description: '学完《个人信息保护法》合规培训后参加。30 分钟，可考 3 次，60 分及格；交卷后可查看答案与解析。',
        paperId: paper.id,
        opensAt: t - DAY,
        closesAt: t + 30 * DAY,
        durationMinutes: 30,
        attemptsAllowed: 3,
        passMark: 60,
        audience: { departmentIds: learnerDepartments.map((d) => d.department_id!), userIds: [] },
        settings: { showAnswers: 'after_submit', reviewAllowed: true, shuffleQuestions: true, shuffleOptions: true, multiplePolicy: 'partial' },
      }),
    );
    await deps.exams.publish(actor, exam.id);
    seeded = true;
  }
  return { ...outcome, seeded };
}

/** The bank's knowledge points exist, confirmed, on the course (linked to the chunks that mention them). */
async function confirmKnowledgePoints(deps: DemoExamDeps, actor: Actor, courseId: string, names: Iterable<string>): Promise<void> {
  const existing = new Map((await deps.knowledgePoints.list(actor, courseId)).map((k) => [k.name, k]));
  for (const name of names) {
    const kp = existing.get(name);
    if (!kp) await deps.knowledgePoints.create(actor, courseId, { name });
    else if (kp.status !== 'confirmed') await deps.knowledgePoints.update(actor, kp.id, { status: 'confirmed' });
  }
}
