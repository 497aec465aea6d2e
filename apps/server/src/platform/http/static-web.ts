import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ErrorCodes } from '@kpl/shared';
import { sendError } from './error-handler.js';

/** The built web app (apps/web/dist), located from this file so it works from src and dist alike. */
export const WEB_DIST = fileURLToPath(new URL('../../../../web/dist/', import.meta.url));

const SERVER_PATHS = /^\/(api|docs|health|metrics)(\/|$|\?)/;

/**
 * Serves the web build when present, with history-mode fallback to index.html for page URLs.
 * Anything else unknown gets a 404 in the standard error shape.
 */
export async function registerWebApp(app: FastifyInstance, dir = WEB_DIST): Promise<void> {
  const hasWeb = existsSync(`${dir}/index.html`);
  if (hasWeb) {
    await app.register(fastifyStatic, { root: dir, wildcard: false, index: false, maxAge: '1h' });
  }
  app.setNotFoundHandler((request, reply) => {
    const acceptsHtml = (request.headers.accept ?? '').includes('text/html');
    if (hasWeb && request.method === 'GET' && acceptsHtml && !SERVER_PATHS.test(request.url)) {
      // The page must be revalidated so a new release's asset names are picked up.
      return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
    }
    return sendError(request, reply, ErrorCodes.NOT_FOUND, `No route for ${request.method} ${request.url.split('?')[0]}.`);
  });
}
