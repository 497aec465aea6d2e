import {
  questionContentSchema,
  type Candidate,
  type GenerationJob,
  type GenerationStats,
  type QuestionContent,
  type QuestionType,
  type ValidationReport,
} from '@kpl/shared';
import type { CandidateCounts, CandidateWithJob, JobRow } from './generation.repository.js';

const parse = <T>(json: string | null, fallback: T): T => {
  if (json === null) return fallback;
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
};

export function presentJob(row: JobRow, counts: CandidateCounts): GenerationJob {
  return {
    id: row.id,
    status: row.status,
    progress: Number(row.progress),
    courseId: row.course_id,
    materialIds: parse<string[]>(row.material_ids, []),
    knowledgePointIds: parse<string[]>(row.knowledge_point_ids, []),
    types: parse<QuestionType[]>(row.types, []),
    count: Number(row.count),
    difficulty: row.difficulty === null ? null : Number(row.difficulty),
    bankId: row.bank_id,
    createdBy: row.created_by,
    error: row.error,
    counts: { total: counts.pending + counts.invalid + counts.approved + counts.rejected, ...counts },
    stats: parse<GenerationStats | null>(row.stats, null),
    createdAt: Number(row.created_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
  };
}

/** Stored content is re-checked on the way out: a row that no longer parses shows as raw text, never breaks the page. */
export function storedContent(json: string | null): QuestionContent | null {
  const parsed = questionContentSchema.safeParse(parse<unknown>(json, null));
  return parsed.success ? parsed.data : null;
}

export function presentCandidate(row: CandidateWithJob): Candidate {
  const content = storedContent(row.content);
  return {
    id: row.id,
    jobId: row.job_id,
    bankId: row.bank_id,
    index: Number(row.idx),
    type: row.type,
    status: row.status === 'approving' ? 'pending' : row.status,
    content,
    raw: content ? null : (row.raw ?? row.content),
    source:
      row.chunk_id && row.material_id && row.quote
        ? { materialId: row.material_id, chunkId: row.chunk_id, quote: row.quote, ...(row.citation ? { citation: row.citation } : {}) }
        : null,
    validation: parse<ValidationReport>(row.validation, { valid: false, issues: [], duplicateOf: null }),
    questionId: row.question_id,
    reviewedBy: row.reviewed_by,
    reviewedAt: row.reviewed_at === null ? null : Number(row.reviewed_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
