import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Container } from './container.js';
import { systemRoutes } from './modules/system/index.js';
import { healthRoutes } from './platform/health/health.routes.js';
import { enforceRouteAccess, type Authorizer } from './platform/http/access.js';
import { registerErrorHandling } from './platform/http/error-handler.js';
import { genReqId, registerRequestContext, traceOf } from './platform/http/request-context.js';
import { registerSecurity } from './platform/http/security.js';
import { registerWebApp } from './platform/http/static-web.js';

export interface AppOptions {
  /** Who may use which permission; identity plugs its token check in here. */
  authorize?: Authorizer;
  /** Extra routes (tests), registered like module routes under /api/v1. */
  routes?: (app: FastifyInstance) => Promise<void>;
  webDir?: string;
}

export async function buildApp(c: Container, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: c.logger as FastifyBaseLogger,
    genReqId,
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      // Probes and scrapes arrive every few seconds; logging each would drown the real traffic.
      disableRequestLogging: (request) => /^\/(health\/(live|ready)|metrics)$/.test(request.url),
    }),
    bodyLimit: c.config.BODY_LIMIT_BYTES,
    trustProxy: c.config.TRUST_PROXY,
    return503OnClosing: true,
    // Every log line of a request carries its trace id, so logs join up across services.
    childLoggerFactory: (logger, bindings, opts, raw) =>
      logger.child({ ...bindings, traceId: traceOf(raw as Parameters<typeof traceOf>[0]).traceId }, opts),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerRequestContext(app);
  registerErrorHandling(app);
  app.decorateRequest('actor', null);
  app.decorateRequest('accessToken', null);
  app.decorate('routeTable', enforceRouteAccess(app, options.authorize ?? c.identity.authorize));
  await registerSecurity(app, c);

  // While draining, close each connection after its response, so keep-alive sockets do not hold shutdown open.
  app.addHook('onSend', async (_request, reply) => {
    if (c.lifecycle.draining) reply.header('connection', 'close');
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    c.metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: '考培练 API', description: 'Corporate training platform: learn, exam, practice.', version: '1.0.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'health', description: 'Liveness, readiness and module health' },
        { name: 'system', description: 'Platform information' },
        { name: 'auth', description: 'Sign-in, tokens, password' },
        { name: 'users', description: 'Users, import and export' },
        { name: 'departments', description: 'Department tree' },
        { name: 'audit', description: 'Audit log' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.type(c.metrics.registry.contentType);
    return c.metrics.registry.metrics();
  });

  await app.register(healthRoutes(c));
  await app.register(
    async (api) => {
      await api.register(systemRoutes(c.modules, c.moduleOrder));
      for (const m of c.modules) if (m.routes) await api.register(m.routes);
      if (options.routes) await options.routes(api);
    },
    { prefix: '/api/v1' },
  );
  await registerWebApp(app, options.webDir);
  return app;
}
