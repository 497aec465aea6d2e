import {
  paperCheckSchema,
  paperDetailSchema,
  paperPageSchema,
  paperSchema,
  type CreatePaperInput,
  type Paper,
  type PaperCheck,
  type PaperRuleInput,
} from '@kpl/shared';
import { apiRequest } from './client';

/** Papers (console): fixed lists of questions or random rules over the bank. */

type Parsed<S extends { parse(data: unknown): unknown }> = ReturnType<S['parse']>;
export type PaperPage = Parsed<typeof paperPageSchema>;
export type PaperDetail = Parsed<typeof paperDetailSchema>;
export type { Paper, PaperCheck };

const id = encodeURIComponent;

export function listPapers(query: { page: number; pageSize: number; q?: string }, signal?: AbortSignal): Promise<PaperPage> {
  return apiRequest('/api/v1/papers', { query: { ...query }, schema: paperPageSchema, signal });
}

export function getPaper(paperId: string, signal?: AbortSignal): Promise<PaperDetail> {
  return apiRequest(`/api/v1/papers/${id(paperId)}`, { schema: paperDetailSchema, signal });
}

export function createPaper(input: CreatePaperInput): Promise<Paper> {
  return apiRequest('/api/v1/papers', { method: 'POST', body: input, schema: paperSchema });
}

/** `items` makes the paper fixed, `rules` random. Refused once an exam using it has attempts. */
export interface UpdatePaperInput {
  title?: string;
  description?: string;
  items?: { questionId: string; points?: number }[];
  rules?: PaperRuleInput[];
}

export function updatePaper(paperId: string, patch: UpdatePaperInput): Promise<Paper> {
  return apiRequest(`/api/v1/papers/${id(paperId)}`, { method: 'PATCH', body: patch, schema: paperSchema });
}

/** How many questions each rule can draw, taking earlier rules into account. */
export function checkPaperRules(rules: PaperRuleInput[], signal?: AbortSignal): Promise<PaperCheck> {
  return apiRequest('/api/v1/papers/check', { method: 'POST', body: { rules }, schema: paperCheckSchema, signal });
}
