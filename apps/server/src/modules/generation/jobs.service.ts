import { questionTypeSchema, type CreateGenerationJob, type GenerationJob, type QuestionContent } from '@kpl/shared';
import { z } from 'zod';
import { AppError, isAppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import type { JobContext, JobQueue } from '../../platform/queue/types.js';
import type { Actor } from '../identity/index.js';
import { bankQuestions } from './bank-questions.js';
import type { GenerationRepository, JobRow } from './generation.repository.js';
import type { GenerationCandidatesTable } from './generation.tables.js';
import { canSeeJob, ownerScope } from './generation.policies.js';
import type { GenerationPorts } from './ports.js';
import { presentJob } from './presenters.js';
import { jobChunks, type JobChunk } from './sources.js';
import { validateBatch, type ChunkText } from './validate.js';

declare module '../../platform/queue/types.js' {
  interface JobPayloads {
    /** Generate, validate and store the candidates of a generation job. */
    'generation.run': { jobId: string };
  }
}

export const GENERATION_ATTEMPTS = 2;
const MAX_QUOTE = 2000;

export class GenerationJobsService {
  constructor(
    private readonly repo: GenerationRepository,
    private readonly ports: GenerationPorts,
    private readonly queue: JobQueue,
  ) {}

  /**
   * Checks everything the job will need (materials ready and visible, knowledge points of those
   * courses, a bank the actor may add to, some text to work from), then queues it.
   */
  async create(actor: Actor, input: CreateGenerationJob): Promise<GenerationJob> {
    const materialIds = await this.materialsFor(actor, input);
    const courseIds = new Set<string>();
    for (const id of materialIds) courseIds.add((await this.ports.materials.find(id))!.course_id);
    const knowledgePointIds = [...new Set(input.knowledgePointIds ?? [])];
    for (const id of knowledgePointIds) {
      const kp = await this.ports.knowledgePoints.find(id);
      if (!kp || !courseIds.has(kp.course_id)) throw new AppError('ERR-COURSE-0007');
    }
    await this.ports.banks.editable(actor, input.bankId);
    if (!(await jobChunks(this.ports.materials, materialIds, knowledgePointIds)).length) {
      throw new AppError('ERR-COMMON-0010', 'There is no text to generate from: the chosen knowledge points are linked to no passage of these materials.');
    }
    const id = newId();
    const t = now();
    await this.repo.insertJob({
      id,
      created_by: actor.id,
      course_id: input.courseId ?? null,
      material_ids: JSON.stringify(materialIds),
      knowledge_point_ids: JSON.stringify(knowledgePointIds),
      types: JSON.stringify([...new Set(input.types)]),
      count: input.count,
      difficulty: input.difficulty ?? null,
      bank_id: input.bankId,
      status: 'queued',
      progress: 0,
      error: null,
      stats: null,
      created_at: t,
      updated_at: t,
      finished_at: null,
    });
    try {
      await this.queue.enqueue('generation.run', { jobId: id }, { maxAttempts: GENERATION_ATTEMPTS });
    } catch (err) {
      await this.repo.deleteJob(id).catch(() => undefined);
      throw err;
    }
    return this.present((await this.repo.findJob(id))!);
  }

  /** The listed materials (each visible, ready, of the course when one is given) or the course's ready ones. */
  private async materialsFor(actor: Actor, input: CreateGenerationJob): Promise<string[]> {
    if (input.materialIds) {
      const ids = [...new Set(input.materialIds)];
      for (const id of ids) {
        const m = await this.ports.materials.find(id);
        if (!m || (input.courseId && m.course_id !== input.courseId)) throw new AppError('ERR-COURSE-0002');
        await this.ports.courses.visible(actor, m.course_id).catch(() => {
          throw new AppError('ERR-COURSE-0002');
        });
        if (m.status !== 'ready') throw new AppError('ERR-COURSE-0005', `The material "${m.title}" is still being processed or could not be read.`);
      }
      return ids;
    }
    await this.ports.courses.visible(actor, input.courseId!);
    const ready = (await this.ports.materials.forCourse(input.courseId!)).filter((m) => m.status === 'ready');
    if (!ready.length) throw new AppError('ERR-COURSE-0005', 'The course has no processed material to generate from yet.');
    return ready.map((m) => m.id);
  }

  private async present(row: JobRow): Promise<GenerationJob> {
    return presentJob(row, (await this.repo.counts([row.id])).get(row.id)!);
  }

  async get(actor: Actor, id: string): Promise<GenerationJob> {
    const row = await this.repo.findJob(id);
    if (!row || !canSeeJob(actor, row)) throw new AppError('ERR-AI-0007');
    return this.present(row);
  }

  async list(actor: Actor, query: { status?: JobRow['status']; page: number; pageSize: number }) {
    const { rows, total } = await this.repo.listJobs({ createdBy: ownerScope(actor), status: query.status }, query.page, query.pageSize);
    const counts = await this.repo.counts(rows.map((r) => r.id));
    return { items: rows.map((r) => presentJob(r, counts.get(r.id)!)), total, page: query.page, pageSize: query.pageSize };
  }

  /** The background job: chunks → capability → validation → candidates and figures, with progress. */
  async run(ctx: JobContext<{ jobId: string }>): Promise<unknown> {
    const job = await this.repo.findJob(ctx.payload.jobId);
    if (!job) return { failed: 'job deleted' };
    if (job.status === 'completed') return { skipped: 'already completed' };
    const progress = async (pct: number) => {
      await ctx.progress(pct);
      await this.repo.updateJob(job.id, { progress: pct, updated_at: now() });
    };
    const fail = async (reason: string) => {
      await this.repo.updateJob(job.id, { status: 'failed', error: reason, updated_at: now(), finished_at: now() });
      return { failed: reason };
    };
    await this.repo.updateJob(job.id, { status: 'running', progress: 5, error: null, updated_at: now() });
    try {
      const chunks = await jobChunks(this.ports.materials, parseIds(job.material_ids), parseIds(job.knowledge_point_ids));
      if (!chunks.length) return await fail('The materials of this job were deleted or have no text.');
      const knowledgePoints = await this.knowledgePointNames(parseIds(job.knowledge_point_ids));
      await progress(20);
      const generated = await this.ports.ai.generateQuestions(
        { chunks, types: parseJson(job.types, z.array(questionTypeSchema)), count: Number(job.count), difficulty: job.difficulty ?? undefined, knowledgePoints },
        { signal: ctx.signal },
      );
      if (!Array.isArray(generated)) return await fail('The AI service returned no list of questions.');
      await progress(70);
      const rows = await this.candidateRows(job, generated.slice(0, Number(job.count)), chunks);
      await this.repo.db.transaction().execute(async (trx) => {
        const repo = this.repo.withDb(trx);
        await repo.replaceCandidates(job.id, rows.rows);
        await repo.updateJob(job.id, { status: 'completed', progress: 100, stats: JSON.stringify(rows.stats), updated_at: now(), finished_at: now() });
      });
      await ctx.progress(100);
      return { candidates: rows.stats.candidates, valid: rows.stats.valid };
    } catch (err) {
      // Bad input will not improve on retry; an unavailable AI service may.
      const permanent = isAppError(err) && err.statusCode < 500 && err.statusCode !== 429;
      if (!permanent && ctx.attempt < GENERATION_ATTEMPTS) throw err;
      if (!isAppError(err)) ctx.log.error({ err }, 'question generation failed');
      return fail(isAppError(err) ? `${err.code}: ${err.message}` : 'Question generation failed. Please try again later.');
    }
  }

  private async knowledgePointNames(ids: string[]): Promise<string[]> {
    const names: string[] = [];
    for (const id of ids) {
      const kp = await this.ports.knowledgePoints.find(id);
      if (kp) names.push(kp.name);
    }
    return names;
  }

  /** Validates what the capability returned and makes the rows: invalid ones are kept, with their reasons. */
  private async candidateRows(job: JobRow, generated: unknown[], chunks: JobChunk[]) {
    const byId = new Map(chunks.map((c) => [c.chunkId, c]));
    const texts = new Map<string, ChunkText>(chunks.map((c) => [c.chunkId, { materialId: c.materialId, text: c.text }]));
    const raw = generated.map((g) => {
      const item = (g ?? {}) as { content?: unknown; source?: { chunkId?: unknown; quote?: unknown } };
      const source =
        item.source && typeof item.source.chunkId === 'string' && typeof item.source.quote === 'string'
          ? { chunkId: item.source.chunkId, quote: item.source.quote.slice(0, MAX_QUOTE) }
          : null;
      return { id: newId(), content: item.content, source };
    });
    const { results, stats } = validateBatch(raw, texts, await bankQuestions(this.ports.catalog, job.bank_id));
    const t = now();
    const rows: GenerationCandidatesTable[] = raw.map((c, i) => {
      const { report, content } = results[i]!;
      const chunk = c.source ? byId.get(c.source.chunkId) : undefined;
      const source = chunk && c.source ? { materialId: chunk.materialId, chunkId: chunk.chunkId, quote: c.source.quote, citation: chunk.citation } : null;
      const stored: QuestionContent | null = content ? { ...content, source } : null;
      return {
        id: c.id,
        job_id: job.id,
        idx: i,
        type: content?.type ?? null,
        status: report.valid ? 'pending' : 'invalid',
        content: stored ? JSON.stringify(stored) : null,
        raw: stored ? null : JSON.stringify(c.content ?? null).slice(0, 100_000),
        material_id: source?.materialId ?? null,
        chunk_id: source?.chunkId ?? null,
        quote: source?.quote ?? c.source?.quote ?? null,
        citation: source?.citation ?? null,
        validation: JSON.stringify(report),
        question_id: null,
        reviewed_by: null,
        reviewed_at: null,
        created_at: t,
        updated_at: t,
      };
    });
    return { rows, stats };
  }
}

function parseJson<T>(json: string, schema: z.ZodType<T[]>): T[] {
  try {
    return schema.catch([]).parse(JSON.parse(json));
  } catch {
    return [];
  }
}
const parseIds = (json: string) => parseJson(json, z.array(z.string()));
