import {
  aiBackendListSchema,
  aiBackendSchema,
  aiSettingsSchema,
  aiTestResultSchema,
  aiUsageQuerySchema,
  aiUsageSchema,
  createAiBackendSchema,
  errorBodySchema,
  idSchema,
  tutorRequestSchema,
  updateAiBackendSchema,
  updateAiSettingsSchema,
  type AiUsage,
  type AiUsageQuery,
} from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import { isAppError } from '../../platform/errors.js';
import { actorOf } from '../identity/index.js';
import { toAppError } from './errors.js';
import type { AiSettingsService } from './settings.service.js';
import { startSse } from './sse-response.js';
import type { TutorService } from './tutor.service.js';

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };
const idParams = z.object({ id: idSchema });
const settingsAccess = { access: { permission: 'ai.settings' } } as const;
const useAccess = { access: { permission: 'ai.use' } } as const;
const tags = ['ai'];

export interface AiRoutesDeps {
  settings: AiSettingsService;
  usage: (q: AiUsageQuery) => Promise<AiUsage>;
  tutor: TutorService;
  heartbeatMs: number;
  logger: Logger;
}

export function aiRoutes(deps: AiRoutesDeps): FastifyPluginAsyncZod {
  const { settings } = deps;
  return async (app) => {
    app.get('/ai/settings', { config: settingsAccess, schema: { tags, summary: 'Which backend serves each AI capability', response: { 200: aiSettingsSchema, ...errors } } }, async () =>
      settings.getSettings(),
    );
    app.put(
      '/ai/settings',
      { config: settingsAccess, schema: { tags, summary: 'Map capabilities to backends (capabilities left out keep theirs)', body: updateAiSettingsSchema, response: { 200: aiSettingsSchema, ...errors } } },
      async (request) => settings.updateSettings(actorOf(request), request.body),
    );
    app.get('/ai/backends', { config: settingsAccess, schema: { tags, summary: 'AI backends (keys masked) with their circuit state', response: { 200: aiBackendListSchema, ...errors } } }, async () => ({
      items: await settings.listBackends(),
    }));
    app.post(
      '/ai/backends',
      { config: settingsAccess, schema: { tags, summary: 'Add an OpenAI-compatible, Dify or Coze backend', body: createAiBackendSchema, response: { 201: aiBackendSchema, ...errors } } },
      async (request, reply) => reply.status(201).send(await settings.createBackend(actorOf(request), request.body)),
    );
    app.patch(
      '/ai/backends/:id',
      {
        config: settingsAccess,
        schema: { tags, summary: 'Edit a backend (no apiKey keeps the stored key, null removes it)', params: idParams, body: updateAiBackendSchema, response: { 200: aiBackendSchema, ...errors } },
      },
      async (request) => settings.updateBackend(actorOf(request), request.params.id, request.body),
    );
    app.delete('/ai/backends/:id', { config: settingsAccess, schema: { tags, summary: 'Delete a backend no capability uses', params: idParams, response: { 204: z.null(), ...errors } } }, async (request, reply) => {
      await settings.deleteBackend(actorOf(request), request.params.id);
      return reply.status(204).send(null);
    });
    app.post(
      '/ai/backends/:id/test',
      { config: settingsAccess, schema: { tags, summary: 'Make a tiny real call: ok, latency, error code', params: idParams, response: { 200: aiTestResultSchema, ...errors } } },
      async (request) => settings.testBackend(request.params.id),
    );
    app.get(
      '/ai/usage',
      { config: settingsAccess, schema: { tags, summary: 'Calls, errors, tokens and latency per backend and capability', querystring: aiUsageQuerySchema, response: { 200: aiUsageSchema, ...errors } } },
      async (request) => deps.usage(request.query),
    );

    app.post(
      '/ai/tutor',
      {
        config: useAccess,
        schema: {
          tags,
          summary: 'Ask the tutor: a text/event-stream answer from the course material',
          description:
            'Server-sent events: `delta` {text}, `citation` {chunkId, materialId, citation, quote}, `done` {usage}, `error` {code, message}; a comment line every 15 s keeps the stream open. Closing the connection cancels the answer.',
          body: tutorRequestSchema,
          response: { ...errors, 429: errorBodySchema },
        },
      },
      async (request, reply) => {
        // Retrieval errors (an unknown or invisible course) still get a plain JSON error.
        const passages = await deps.tutor.passages(actorOf(request), request.body);
        const sse = startSse(reply, deps.heartbeatMs);
        void (async () => {
          try {
            for await (const e of deps.tutor.answer(request.body, passages, sse.signal)) {
              if (sse.signal.aborted) break;
              if (e.type === 'delta') sse.send('delta', { text: e.text });
              else if (e.type === 'citation') sse.send('citation', { chunkId: e.chunkId, materialId: e.materialId, citation: e.citation, quote: e.quote });
              else sse.send('done', { usage: e.usage });
            }
          } catch (err) {
            if (!sse.signal.aborted) {
              const appError = toAppError(err);
              if (!isAppError(err)) deps.logger.error({ err }, 'tutor stream failed');
              sse.send('error', { code: appError.code, message: appError.message });
            }
          } finally {
            sse.end();
          }
        })();
        return reply;
      },
    );
  };
}
