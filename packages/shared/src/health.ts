import { z } from 'zod';

export const componentStatusSchema = z.enum(['up', 'down', 'degraded']);
export type ComponentStatus = z.infer<typeof componentStatusSchema>;

export const componentHealthSchema = z.object({
  status: componentStatusSchema,
  latencyMs: z.number().optional(),
  detail: z.string().optional(),
});
export type ComponentHealth = z.infer<typeof componentHealthSchema>;

export const readinessSchema = z.object({
  status: z.enum(['ready', 'unavailable']),
  components: z.record(z.string(), componentHealthSchema),
  failing: z.array(z.string()),
});
export type Readiness = z.infer<typeof readinessSchema>;

export const livenessSchema = z.object({ status: z.literal('live'), uptimeSeconds: z.number() });

export const moduleHealthSchema = z.object({
  module: z.string(),
  status: componentStatusSchema,
  dependsOn: z.array(z.string()),
  components: z.record(z.string(), componentHealthSchema),
});
export type ModuleHealth = z.infer<typeof moduleHealthSchema>;

export const dependencyGraphSchema = z.object({
  modules: z.array(z.object({ name: z.string(), description: z.string(), dependsOn: z.array(z.string()) })),
  order: z.array(z.string()),
  acyclic: z.boolean(),
});
export type DependencyGraph = z.infer<typeof dependencyGraphSchema>;
