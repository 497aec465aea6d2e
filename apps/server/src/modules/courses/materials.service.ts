import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { EventBus } from '../../platform/events/event-bus.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { newId, now } from '../../platform/ids.js';
import type { JobContext, JobQueue } from '../../platform/queue/types.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import { detectMaterialType, extractDocument, inspectDocument } from '../content/index.js';
import type { Actor } from '../identity/index.js';
import type { CoursesService } from './courses.service.js';
import type { MaterialsRepository } from './materials.repository.js';
import { presentMaterial } from './presenters.js';

export interface Upload {
  filename: string;
  data: Buffer;
}

export const EXTRACT_ATTEMPTS = 3;

export class MaterialsService {
  constructor(
    private readonly materials: MaterialsRepository,
    private readonly courses: CoursesService,
    private readonly files: FileStore,
    private readonly queue: JobQueue,
    private readonly events: EventBus,
    private readonly logger: Logger,
  ) {}

  /**
   * Stores the file and queues its extraction; answers at once with status "processing".
   * The type is detected from the bytes before anything is written, so a bad file leaves no record.
   */
  async upload(actor: Actor | null, courseId: string, file: Upload, options: { title?: string; chapterId?: string | null } = {}) {
    if (actor) await this.courses.editable(actor, courseId);
    if (options.chapterId) {
      const chapter = await this.materials.db.selectFrom('chapters').select('course_id').where('id', '=', options.chapterId).executeTakeFirst();
      if (!chapter || chapter.course_id !== courseId) throw new AppError('ERR-COURSE-0003');
    }
    const type = detectMaterialType(file.data, file.filename);
    await inspectDocument(file.data, type.kind);
    const id = newId();
    const storageKey = `materials/${courseId}/${id}`;
    const t = now();
    await this.files.put(storageKey, file.data);
    try {
      await this.materials.insert({
        id,
        course_id: courseId,
        chapter_id: options.chapterId ?? null,
        title: options.title?.trim() || file.filename.replace(/\.[^.]+$/, ''),
        filename: file.filename,
        kind: type.kind,
        mime: type.mime,
        size_bytes: file.data.length,
        sha256: createHash('sha256').update(file.data).digest('hex'),
        storage_key: storageKey,
        status: 'processing',
        progress: 0,
        error: null,
        text: null,
        outline: null,
        pages: null,
        sort_order: 0,
        uploaded_by: actor?.id ?? 'system',
        created_at: t,
        updated_at: t,
      });
      await this.queue.enqueue('content.extract', { materialId: id }, { maxAttempts: EXTRACT_ATTEMPTS });
    } catch (err) {
      // Undo what was written so a failed upload leaves nothing behind.
      await this.materials.delete(id).catch(() => undefined);
      await this.files.remove(storageKey).catch(() => undefined);
      throw err;
    }
    return presentMaterial((await this.materials.find(id))!);
  }

  /** The job: extract, chunk, store chunks and text in one transaction, then tell every process to index. */
  async extract(ctx: JobContext<{ materialId: string }>): Promise<{ chunks: number } | { failed: string }> {
    const material = await this.materials.find(ctx.payload.materialId);
    if (!material) return { failed: 'material deleted' };
    const fail = async (reason: string) => {
      await this.materials.update(material.id, { status: 'failed', error: reason, updated_at: now() });
      return { failed: reason };
    };
    try {
      const { stream } = await this.files.read(material.storage_key);
      const chunks: Buffer[] = [];
      for await (const c of stream) chunks.push(c as Buffer);
      let lastReported = 0;
      const doc = await extractDocument(Buffer.concat(chunks), material.kind, {
        signal: ctx.signal,
        onProgress: (pct) => {
          // Progress writes are throttled: a row update per 10 % is plenty for a progress bar.
          if (pct - lastReported < 10) return;
          lastReported = pct;
          void this.materials.update(material.id, { progress: Math.min(95, Math.round(pct)), updated_at: now() }).catch(() => undefined);
        },
      });
      const stored = await this.materials.db.transaction().execute(async (trx) => {
        const repo = this.materials.withDb(trx);
        // Deleted while we were extracting: nothing to store.
        if (!(await repo.lock(material.id))) return false;
        await repo.replaceChunks(
          material.id,
          doc.chunks.map((c) => ({
            id: newId(),
            material_id: material.id,
            course_id: material.course_id,
            idx: c.index,
            text: c.text,
            heading_path: JSON.stringify(c.headingPath),
            location: c.location.slice(0, 500),
            start_offset: c.start,
            end_offset: c.end,
          })),
        );
        await repo.update(material.id, {
          status: 'ready',
          progress: 100,
          error: null,
          text: doc.text,
          outline: JSON.stringify(doc.outline),
          pages: doc.pages,
          updated_at: now(),
        });
        return true;
      });
      if (!stored) return { failed: 'material deleted' };
      await this.events.publish('content.material-indexed', { materialId: material.id, courseId: material.course_id });
      return { chunks: doc.chunks.length };
    } catch (err) {
      // A bad file will not get better on retry; anything else retries, then fails for good.
      if (isAppError(err)) return fail(err.message);
      if (ctx.attempt >= EXTRACT_ATTEMPTS) {
        ctx.log.error({ err }, 'material extraction failed');
        return fail('Text extraction failed. Please upload the file again.');
      }
      throw err;
    }
  }

  async get(actor: Actor, id: string) {
    const m = await this.materials.find(id);
    if (!m) throw new AppError('ERR-COURSE-0002');
    await this.courses.visible(actor, m.course_id).catch(() => {
      throw new AppError('ERR-COURSE-0002');
    });
    return m;
  }

  async text(actor: Actor, id: string) {
    const m = await this.get(actor, id);
    if (m.status !== 'ready') throw new AppError('ERR-COURSE-0005', m.status === 'failed' ? `The material could not be read: ${m.error}` : undefined);
    const row = (await this.materials.text(id))!;
    return { id, title: row.title, text: row.text ?? '', outline: JSON.parse(row.outline ?? '[]') as { level: number; title: string; start: number }[] };
  }

  async download(actor: Actor, id: string) {
    const m = await this.get(actor, id);
    return { ...(await this.files.read(m.storage_key)), filename: m.filename, mime: m.mime };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const m = await this.get(actor, id);
    await this.courses.editable(actor, m.course_id);
    await this.materials.db.transaction().execute(async (trx) => {
      const repo = this.materials.withDb(trx);
      await repo.lock(id);
      await repo.deleteChunks(id);
      await trx.deleteFrom('material_progress').where('material_id', '=', id).execute();
      await repo.delete(id);
    });
    await this.files.remove(m.storage_key).catch((err: unknown) => this.logger.warn({ err, id }, 'could not delete material file'));
    await this.events.publish('content.material-removed', { materialId: id, courseId: m.course_id });
  }
}
