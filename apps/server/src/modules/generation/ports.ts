/** What the generation module needs from other modules (their index.ts surfaces satisfy these). */
import type { AiCapabilities } from '../ai/capabilities.js';
import type { Actor } from '../identity/index.js';
import type { QuestionCatalog } from '../questions/index.js';
import type { KnowledgePointsReader, MaterialsReader } from './sources.js';

export interface GenerationPorts {
  /** Resolved per call (the admin may remap the capability to another backend at any time). */
  ai: Pick<AiCapabilities, 'generateQuestions'>;
  /** Whether the actor may see a course: the courses module's CoursesService. */
  courses: { visible(actor: Actor, courseId: string): Promise<unknown> };
  materials: MaterialsReader;
  knowledgePoints: KnowledgePointsReader;
  /** The questions module: approved candidates become questions through it. */
  questions: { create(actor: Actor, input: { bankId: string; content: unknown; defaultPoints?: number }): Promise<{ id: string }> };
  banks: { editable(actor: Actor, id: string): Promise<unknown> };
  /** Bank questions, for near-duplicate checks. */
  catalog: Pick<QuestionCatalog, 'listCurrent' | 'getVersions'>;
}
