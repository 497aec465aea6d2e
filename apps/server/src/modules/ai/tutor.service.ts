import type { TutorRequest } from '@kpl/shared';
import type { Actor } from '../identity/index.js';
import type { AiCapabilities, SourceChunk, StreamEvent } from './capabilities.js';

/** What the tutor needs from course search (the courses module's SearchService fits it). */
export interface PassageSearch {
  search(
    actor: Actor,
    q: { q: string; courseId?: string; limit: number },
  ): Promise<{ hits: { chunkId: string; materialId: string; text: string; location: string; materialTitle: string }[] }>;
}

const PASSAGES = 5;

/** Questions answered from the course material the learner may see, streamed with citations. */
export class TutorService {
  constructor(
    private readonly search: PassageSearch,
    private readonly capabilities: AiCapabilities,
  ) {}

  /** Passages for the question from visible courses only (a course the actor may not see is refused by search). */
  async passages(actor: Actor, req: TutorRequest): Promise<SourceChunk[]> {
    const { hits } = await this.search.search(actor, { q: req.question, courseId: req.courseId, limit: PASSAGES });
    return hits.map((h) => ({
      chunkId: h.chunkId,
      materialId: h.materialId,
      text: h.text,
      citation: [h.materialTitle, h.location].filter(Boolean).join(' › '),
    }));
  }

  answer(req: TutorRequest, passages: SourceChunk[], signal: AbortSignal): AsyncIterable<StreamEvent> {
    return this.capabilities.tutorAnswer({ question: req.question, passages, history: req.history }, { signal });
  }
}
