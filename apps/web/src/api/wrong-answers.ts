import {
  practiceResultSchema,
  wrongAnswerPageSchema,
  wrongAnswerSummarySchema,
  type AnswerValue,
  type PracticeResult,
  type WrongAnswerEntry,
  type WrongAnswerSummary,
} from '@kpl/shared';
import { apiRequest } from './client';

/** The learner's wrong-answer book (错题本) and its practice mode. */

export type WrongAnswerPage = ReturnType<typeof wrongAnswerPageSchema.parse>;
export type { PracticeResult, WrongAnswerEntry, WrongAnswerSummary };

export interface WrongAnswerListQuery {
  page: number;
  pageSize: number;
  knowledgePoint?: string;
}

/** Active entries, most recently wrong first. */
export function listWrongAnswers(query: WrongAnswerListQuery, signal?: AbortSignal): Promise<WrongAnswerPage> {
  return apiRequest('/api/v1/me/wrong-answers', { query: { ...query }, schema: wrongAnswerPageSchema, signal });
}

/** How many entries are active, per knowledge point. */
export function getWrongAnswerSummary(signal?: AbortSignal): Promise<WrongAnswerSummary> {
  return apiRequest('/api/v1/me/wrong-answers/summary', { schema: wrongAnswerSummarySchema, signal });
}

/** Answers an entry again: graded at once, with the key; two right answers in a row clear it. */
export function practiceWrongAnswer(entryId: string, answer: AnswerValue): Promise<PracticeResult> {
  return apiRequest(`/api/v1/me/wrong-answers/${encodeURIComponent(entryId)}/practice`, {
    method: 'POST',
    body: { answer },
    schema: practiceResultSchema,
  });
}
