import type { Logger } from 'pino';
import type { EventBus } from '../../platform/events/event-bus.js';
import { SearchIndex, type SearchDoc } from '../content/index.js';
import type { Actor } from '../identity/index.js';
import { courseVisibility } from './courses.policies.js';
import type { CoursesRepository } from './courses.repository.js';
import type { CoursesService } from './courses.service.js';
import type { MaterialsRepository } from './materials.repository.js';

const RECONCILE_MS = 5 * 60 * 1000;

/**
 * Each web process keeps its own in-memory index, loaded from the chunks table on first use and
 * kept in step by the `content.material-indexed/-removed` events that every process receives (over
 * Redis when there are several). A periodic reconciliation against the database heals any missed
 * event, so every replica answers the same.
 */
export class SearchService {
  private index = new SearchIndex();
  private loading: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly materials: MaterialsRepository,
    private readonly courses: CoursesRepository,
    private readonly coursesService: CoursesService,
    events: EventBus,
    private readonly logger: Logger,
  ) {
    events.subscribe('content.material-indexed', async ({ payload }) => {
      if (this.loading) await this.reindex(payload.materialId);
    });
    events.subscribe('content.material-removed', async ({ payload }) => {
      if (this.loading) this.index.removeMaterial(payload.materialId);
    });
  }

  /** Starts loading in the background (web processes call it at start, so the first search is fast). */
  warm(): void {
    void this.load().catch((err: unknown) => {
      this.loading = null;
      this.logger.error({ err }, 'search index load failed');
    });
  }

  private load(): Promise<void> {
    this.loading ??= (async () => {
      const started = Date.now();
      const docs = (await this.materials.indexable()).map(toDoc);
      // Tokenising costs ~0.5 ms a chunk: add in slices and yield, so a large corpus never
      // blocks the event loop (requests keep flowing while the index fills).
      for (let i = 0; i < docs.length; i += 200) {
        this.index.add(docs.slice(i, i + 200));
        await new Promise((r) => setImmediate(r));
      }
      this.logger.info({ chunks: this.index.size, ms: Date.now() - started }, 'search index loaded');
      this.timer = setInterval(() => void this.reconcile().catch((err: unknown) => this.logger.warn({ err }, 'search reconcile failed')), RECONCILE_MS);
      this.timer.unref();
    })();
    return this.loading;
  }

  async reindex(materialId: string): Promise<void> {
    const docs = (await this.materials.indexable(materialId)).map(toDoc);
    this.index.removeMaterial(materialId);
    this.index.add(docs);
  }

  /** Re-reads materials whose chunk count differs from the database's. */
  async reconcile(): Promise<number> {
    const rows = await this.materials.db
      .selectFrom('chunks')
      .select(['material_id', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('material_id')
      .execute();
    const inDb = new Map(rows.map((r) => [r.material_id, Number(r.n)]));
    const inIndex = this.index.materials();
    let fixed = 0;
    for (const [id, n] of inDb) {
      if (inIndex.get(id) === n) continue;
      await this.reindex(id);
      fixed++;
    }
    for (const id of inIndex.keys()) {
      if (inDb.has(id)) continue;
      this.index.removeMaterial(id);
      fixed++;
    }
    return fixed;
  }

  async search(actor: Actor, q: { q: string; courseId?: string; knowledgePointId?: string; limit: number }) {
    await this.load();
    let courseIds: string[] | undefined;
    if (q.courseId) {
      await this.coursesService.visible(actor, q.courseId);
      courseIds = [q.courseId];
    } else {
      const visibility = courseVisibility(actor);
      if (!('all' in visibility)) {
        const { rows } = await this.courses.list({ visibility }, 1, 10_000);
        courseIds = rows.map((r) => r.id);
      }
    }
    if (courseIds && courseIds.length === 0) return { hits: [] };
    const hits = this.index.search(q.q, { courseIds, knowledgePointId: q.knowledgePointId, limit: q.limit });
    const titles = await this.materials.titles([...new Set(hits.map((h) => h.materialId))]);
    return { hits: hits.map((h) => ({ ...h, materialTitle: titles.get(h.materialId) ?? '' })) };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function toDoc(c: { id: string; material_id: string; course_id: string; text: string; location: string; kp_ids: string[] }): SearchDoc {
  return { chunkId: c.id, materialId: c.material_id, courseId: c.course_id, text: c.text, location: c.location, knowledgePointIds: c.kp_ids };
}
