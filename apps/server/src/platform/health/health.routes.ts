import { errorBodySchema, livenessSchema, moduleHealthSchema, readinessSchema, type ComponentHealth } from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Container } from '../../container.js';
import { diskCheck, probe, runChecks, type Check } from './checks.js';

export function readinessChecks(c: Container): Record<string, Check> {
  const checks: Record<string, Check> = {
    database: probe(() => c.database.ping()),
    queue: probe(() => c.queue.ping()),
    disk: diskCheck(c.config.dataDir, c.config.DISK_MIN_FREE_BYTES),
    // Circuit breakers of the AI backends: an open one is 'degraded', which never fails readiness.
    ai: () => c.ai.readiness(),
  };
  if (c.redis) checks.redis = probe(() => c.redis!.ping());
  return checks;
}

/** Liveness, readiness and one health route per module. */
export function healthRoutes(c: Container): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health/live',
      { schema: { tags: ['health'], summary: 'Process is alive', response: { 200: livenessSchema } } },
      async () => ({ status: 'live' as const, uptimeSeconds: Math.round(process.uptime()) }),
    );

    app.get(
      '/health/ready',
      {
        schema: {
          tags: ['health'],
          summary: 'Ready to serve: every backing component answers',
          description: '503 lists the failing components by name.',
          response: { 200: readinessSchema, 503: readinessSchema },
        },
      },
      async (_request, reply) => {
        const components: Record<string, ComponentHealth> = await runChecks(readinessChecks(c));
        if (c.lifecycle.draining) components.process = { status: 'down', detail: 'shutting down' };
        const failing = Object.entries(components).filter(([, v]) => v.status === 'down').map(([k]) => k);
        const body = { status: failing.length ? ('unavailable' as const) : ('ready' as const), components, failing };
        return reply.status(failing.length ? 503 : 200).send(body);
      },
    );

    for (const m of c.modules) {
      app.get(
        `/api/v1/${m.name}/health`,
        {
          config: { access: 'public' },
          schema: {
            tags: ['health'],
            summary: `Health of the ${m.name} module`,
            response: { 200: moduleHealthSchema, 503: moduleHealthSchema, 500: errorBodySchema },
          },
        },
        async (_request, reply) => {
          const components = { database: await probe(() => c.database.ping())(), ...(await m.health?.()) };
          const down = Object.values(components).some((v) => v.status === 'down');
          return reply
            .status(down ? 503 : 200)
            .send({ module: m.name, status: down ? 'down' : 'up', dependsOn: m.dependsOn, components });
        },
      );
    }
  };
}
