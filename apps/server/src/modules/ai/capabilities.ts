import type { QuestionContent, QuestionType, RubricPoint } from '@kpl/shared';

/**
 * What the product asks of AI, independent of any vendor. Admins map each capability to a backend
 * (openai-compatible, dify, coze or builtin); callers only see these signatures.
 */
export const CAPABILITIES = ['generateQuestions', 'gradeAnswer', 'tutorAnswer', 'rolePlayTurn', 'evaluatePractice', 'embed'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Passed to every call: cancel when the caller goes away (e.g. the browser closed the SSE stream). */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface SourceChunk {
  chunkId: string;
  materialId: string;
  text: string;
  /** e.g. "第二章 … › 第二十九条" */
  citation?: string;
  headingPath?: string[];
}

export interface GenerateQuestionsInput {
  chunks: SourceChunk[];
  types: QuestionType[];
  count: number;
  difficulty?: number;
  knowledgePoints?: string[];
}
/** A candidate before validation: the content plus the exact span of the chunk that supports its key. */
export interface GeneratedCandidate {
  content: QuestionContent;
  source: { chunkId: string; quote: string };
}

export interface GradeAnswerInput {
  stem: string;
  referenceAnswer: string;
  rubric: RubricPoint[];
  answer: string;
  maxScore: number;
}
export interface GradeAnswerResult {
  /** One entry per rubric point, in rubric order. */
  points: { index: number; awarded: number; max: number; found: string[]; missed: string[]; comment: string }[];
  score: number;
  explanation: string;
  /** 0..1; below the configured threshold the answer goes to the manual grading queue. */
  confidence: number;
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}
export interface TutorAnswerInput {
  question: string;
  passages: SourceChunk[];
  history?: ChatTurn[];
}
export interface RolePlayTurnInput {
  scenarioId: string;
  /** Persona/scenario description for LLM backends; the builtin engine uses scenarioId's script. */
  scenario: string;
  history: ChatTurn[];
  message: string;
}
export interface EvaluatePracticeInput {
  scenarioId: string;
  scenario: string;
  transcript: ChatTurn[];
}
export interface PracticeEvaluation {
  criteria: { name: string; score: number; max: number; comment: string }[];
  total: number;
  max: number;
  summary: string;
}

/** Streamed capabilities yield text deltas, optional citations, then one `done` with usage. */
export type StreamEvent =
  | { type: 'delta'; text: string }
  | { type: 'citation'; chunkId: string; materialId: string; citation?: string; quote: string }
  | { type: 'done'; usage?: Usage };

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** The capability surface the rest of the server uses (resolved through settings + resilience). */
export interface AiCapabilities {
  generateQuestions(input: GenerateQuestionsInput, options?: CallOptions): Promise<GeneratedCandidate[]>;
  gradeAnswer(input: GradeAnswerInput, options?: CallOptions): Promise<GradeAnswerResult>;
  tutorAnswer(input: TutorAnswerInput, options?: CallOptions): AsyncIterable<StreamEvent>;
  rolePlayTurn(input: RolePlayTurnInput, options?: CallOptions): AsyncIterable<StreamEvent>;
  evaluatePractice(input: EvaluatePracticeInput, options?: CallOptions): Promise<PracticeEvaluation>;
  embed(texts: string[], options?: CallOptions): Promise<number[][]>;
}
