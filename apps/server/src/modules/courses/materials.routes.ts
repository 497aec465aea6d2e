import multipart from '@fastify/multipart';
import { errorBodySchema, materialSchema, materialTextSchema, progressReportSchema, progressResultSchema } from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { actorOf } from '../identity/index.js';
import { errors, idParams } from './courses.routes.js';
import type { LearningService } from './learning.service.js';
import type { MaterialsService } from './materials.service.js';
import { presentMaterial } from './presenters.js';

const uploadFields = z.object({ title: z.string().trim().max(200).optional(), chapterId: z.uuid().optional() });

export function materialsRoutes(materials: MaterialsService, learning: LearningService, maxBytes: number): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, fieldSize: 1024 } });

    app.post(
      '/courses/:id/materials',
      {
        config: { access: { permission: 'courses.write' } },
        schema: {
          tags: ['courses'],
          summary: 'Upload a PDF, DOCX, Markdown or text file (multipart: file, title?, chapterId?)',
          description: 'Answers 202 at once with status "processing"; text extraction runs in the background.',
          params: idParams,
          response: { 202: materialSchema, 413: errorBodySchema, 415: errorBodySchema, ...errors },
        },
      },
      async (request, reply) => {
        const actor = actorOf(request);
        if (!request.isMultipart()) throw new AppError('ERR-COMMON-0003', 'Send the file as multipart/form-data.');
        let file: { filename: string; data: Buffer } | null = null;
        const fields: Record<string, string> = {};
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file' || file) throw new AppError('ERR-COMMON-0001', 'Send exactly one file in the "file" field.');
            const data = await part.toBuffer();
            if (part.file.truncated) throw new AppError('ERR-COMMON-0004', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB.`);
            file = { filename: part.filename || 'upload', data };
          } else fields[part.fieldname] = String(part.value);
        }
        if (!file) throw new AppError('ERR-COMMON-0001', 'Attach the file in the "file" field.');
        const parsed = uploadFields.safeParse(fields);
        if (!parsed.success) throw new AppError('ERR-COMMON-0001', undefined, parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
        const created = await materials.upload(actor, request.params.id, file, parsed.data);
        return reply.status(202).send(created);
      },
    );

    app.get(
      '/materials/:id',
      { config: { access: { permission: 'courses.read' } }, schema: { tags: ['courses'], summary: 'Material status, progress and error', params: idParams, response: { 200: materialSchema, ...errors } } },
      async (request) => presentMaterial(await materials.get(actorOf(request), request.params.id)),
    );

    app.get(
      '/materials/:id/text',
      { config: { access: { permission: 'courses.read' } }, schema: { tags: ['courses'], summary: 'Extracted text and outline', params: idParams, response: { 200: materialTextSchema, ...errors } } },
      async (request) => materials.text(actorOf(request), request.params.id),
    );

    app.get(
      '/materials/:id/file',
      { config: { access: { permission: 'courses.read' } }, schema: { tags: ['courses'], summary: 'Download the original file', params: idParams, response: { 200: z.any(), ...errors } } },
      async (request, reply) => {
        const f = await materials.download(actorOf(request), request.params.id);
        const ascii = f.filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
        return reply
          .type(f.mime)
          .header('content-length', f.size)
          .header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(f.filename)}`)
          .header('x-content-type-options', 'nosniff')
          .send(f.stream);
      },
    );

    app.delete(
      '/materials/:id',
      { config: { access: { permission: 'courses.write' } }, schema: { tags: ['courses'], summary: 'Delete a material, its chunks and file', params: idParams, response: { 204: z.null(), ...errors } } },
      async (request, reply) => {
        await materials.remove(actorOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/materials/:id/progress',
      {
        config: { access: { permission: 'courses.read' } },
        schema: {
          tags: ['learning'],
          summary: 'Reader heartbeat: time spent since the last report and whether the end was reached',
          params: idParams,
          body: progressReportSchema,
          response: { 200: progressResultSchema, ...errors },
        },
      },
      async (request) => learning.report(actorOf(request), request.params.id, request.body),
    );
  };
}
