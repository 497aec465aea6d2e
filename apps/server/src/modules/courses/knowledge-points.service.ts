import type { EventBus } from '../../platform/events/event-bus.js';
import { AppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import { keywords } from '../content/index.js';
import type { Actor } from '../identity/index.js';
import type { CoursesService } from './courses.service.js';
import type { KnowledgePointRow, KnowledgePointsRepository } from './knowledge-points.repository.js';
import type { MaterialsRepository } from './materials.repository.js';

const SUGGESTIONS = 30;

/** Chunks that mention the name in their text or sit under a heading that does. */
const mentioning = (chunks: { id: string; text: string; location: string }[], name: string) =>
  chunks.filter((c) => c.text.includes(name) || c.location.includes(name)).map((c) => c.id);

const present = (k: KnowledgePointRow) => ({
  id: k.id,
  courseId: k.course_id,
  parentId: k.parent_id,
  name: k.name,
  status: k.status,
  weight: Number(k.weight) / 1000,
  chunkCount: k.chunk_count,
});

/**
 * Knowledge points: suggested from the course material by TF-IDF keywords, then confirmed,
 * renamed, nested or removed by an instructor. A point links to the chunks that mention it.
 */
export class KnowledgePointsService {
  constructor(
    private readonly repo: KnowledgePointsRepository,
    private readonly materials: MaterialsRepository,
    private readonly courses: CoursesService,
    private readonly events: EventBus,
  ) {}

  async list(actor: Actor, courseId: string) {
    await this.courses.visible(actor, courseId);
    return (await this.repo.forCourse(courseId)).map(present);
  }

  /** Adds keyword suggestions not yet present (names an instructor deleted may come back). */
  async suggest(actor: Actor, courseId: string) {
    await this.courses.editable(actor, courseId);
    const chunks = await this.materials.chunksOfCourse(courseId);
    const text = chunks.map((c) => c.text).join('\n');
    const existing = new Set((await this.repo.forCourse(courseId)).map((k) => k.name));
    const t = now();
    for (const { word, weight } of keywords(text, SUGGESTIONS)) {
      if (existing.has(word)) continue;
      const id = newId();
      await this.repo.insert({ id, course_id: courseId, parent_id: null, name: word, status: 'suggested', weight: Math.round(weight * 1000), created_at: t, updated_at: t });
      await this.repo.setChunks(id, mentioning(chunks, word));
    }
    await this.reindexCourse(courseId);
    return this.list(actor, courseId);
  }

  async create(actor: Actor, courseId: string, input: { name: string; parentId?: string | null }) {
    await this.courses.editable(actor, courseId);
    if (await this.repo.findByName(courseId, input.name)) throw new AppError('ERR-COURSE-0008');
    if (input.parentId) await this.inCourse(input.parentId, courseId);
    const id = newId();
    const t = now();
    await this.repo.insert({ id, course_id: courseId, parent_id: input.parentId ?? null, name: input.name, status: 'confirmed', weight: 0, created_at: t, updated_at: t });
    await this.link(id, courseId, input.name);
    return present((await this.repo.forCourse(courseId)).find((k) => k.id === id)!);
  }

  async update(actor: Actor, id: string, patch: { name?: string; parentId?: string | null; status?: 'suggested' | 'confirmed' }) {
    const kp = await this.repo.find(id);
    if (!kp) throw new AppError('ERR-COURSE-0007');
    await this.courses.editable(actor, kp.course_id);
    if (patch.name && patch.name !== kp.name && (await this.repo.findByName(kp.course_id, patch.name))) throw new AppError('ERR-COURSE-0008');
    if (patch.parentId) {
      if (patch.parentId === id) throw new AppError('ERR-COMMON-0010', 'A knowledge point cannot be its own parent.');
      await this.inCourse(patch.parentId, kp.course_id);
    }
    await this.repo.update(id, {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.parentId !== undefined && { parent_id: patch.parentId }),
      ...(patch.status !== undefined && { status: patch.status }),
      updated_at: now(),
    });
    if (patch.name && patch.name !== kp.name) await this.link(id, kp.course_id, patch.name);
    return present((await this.repo.forCourse(kp.course_id)).find((k) => k.id === id)!);
  }

  async remove(actor: Actor, id: string) {
    const kp = await this.repo.find(id);
    if (!kp) throw new AppError('ERR-COURSE-0007');
    await this.courses.editable(actor, kp.course_id);
    await this.repo.delete(id);
    await this.reindexCourse(kp.course_id);
  }

  private async inCourse(kpId: string, courseId: string) {
    const parent = await this.repo.find(kpId);
    if (!parent || parent.course_id !== courseId) throw new AppError('ERR-COURSE-0007', 'The parent knowledge point is not in this course.');
  }

  private async link(id: string, courseId: string, name: string) {
    const chunks = await this.materials.chunksOfCourse(courseId);
    await this.repo.setChunks(id, mentioning(chunks, name));
    await this.reindexCourse(courseId);
  }

  /** Search filters by knowledge point, so the course's chunks are re-indexed in every process. */
  private async reindexCourse(courseId: string) {
    for (const m of await this.materials.forCourse(courseId)) {
      if (m.status === 'ready') await this.events.publish('content.material-indexed', { materialId: m.id, courseId });
    }
  }
}
