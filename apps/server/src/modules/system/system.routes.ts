import { dependencyGraphSchema, errorBodySchema } from '@kpl/shared';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ModuleDefinition } from '../../platform/modules/registry.js';

export function systemRoutes(modules: ModuleDefinition[], order: string[]): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/system/dependencies',
      {
        config: { access: 'public' },
        schema: {
          tags: ['system'],
          summary: 'Module dependency graph',
          description: 'Each module and the modules it depends on, in start order. The graph is checked for cycles at boot.',
          response: { 200: dependencyGraphSchema, 500: errorBodySchema },
        },
      },
      async () => {
        return {
          modules: modules.map((m) => ({ name: m.name, description: m.description, dependsOn: m.dependsOn })),
          order,
          acyclic: true,
        };
      },
    );
  };
}
