import type { CandidateStatus, GenerationJobStatus, QuestionType } from '@kpl/shared';

/** Tables of the generation module (migration 0009), merged into the platform's DB type. */
export interface GenerationJobsTable {
  id: string;
  created_by: string;
  course_id: string | null;
  /** JSON array of material ids (the course's ready materials when the job was created from a course). */
  material_ids: string;
  /** JSON array. */
  knowledge_point_ids: string;
  /** JSON array of question types. */
  types: string;
  count: number;
  difficulty: number | null;
  bank_id: string;
  status: GenerationJobStatus;
  progress: number;
  error: string | null;
  /** JSON GenerationStats, once completed. */
  stats: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface GenerationCandidatesTable {
  id: string;
  job_id: string;
  idx: number;
  type: QuestionType | null;
  /** 'approving' only while an approval is being written (a claim against double approval). */
  status: CandidateStatus | 'approving';
  /** JSON QuestionContent (null when the AI output was not a valid question: see raw). */
  content: string | null;
  raw: string | null;
  material_id: string | null;
  chunk_id: string | null;
  quote: string | null;
  citation: string | null;
  /** JSON ValidationReport. */
  validation: string;
  question_id: string | null;
  reviewed_by: string | null;
  reviewed_at: number | null;
  created_at: number;
  updated_at: number;
}

declare module '../../platform/db/schema.js' {
  interface DB {
    generation_jobs: GenerationJobsTable;
    generation_candidates: GenerationCandidatesTable;
  }
}
