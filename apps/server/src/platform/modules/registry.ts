import type { ComponentHealth } from '@kpl/shared';
import type { FastifyPluginAsync } from 'fastify';

/**
 * What a feature module tells the platform about itself. Other modules may only use what its
 * index.ts exports; `dependsOn` names those modules so the graph can be shown and checked.
 */
export interface ModuleDefinition {
  name: string;
  description: string;
  dependsOn: string[];
  /** Routes, mounted under /api/v1. */
  routes?: FastifyPluginAsync;
  /** Module-specific health components; the database is checked for every module. */
  health?: () => Promise<Record<string, ComponentHealth>>;
  /**
   * Run once when a worker process starts, after its queue: catch-up work that must not wait for
   * the scheduler's first tick (e.g. submitting exam attempts that ran out while no server was up).
   * Must be idempotent: every worker replica runs it. Failures are logged, never fatal.
   */
  onWorkerStart?: () => Promise<unknown>;
}

/**
 * Orders modules so each comes after its dependencies. Throws on an unknown dependency or a cycle,
 * naming the path, so a bad graph stops the boot instead of surfacing later as an import tangle.
 */
export function resolveModuleOrder(modules: Pick<ModuleDefinition, 'name' | 'dependsOn'>[]): string[] {
  const byName = new Map(modules.map((m) => [m.name, m]));
  for (const m of modules) {
    for (const d of m.dependsOn) {
      if (!byName.has(d)) throw new Error(`Module "${m.name}" depends on unknown module "${d}"`);
    }
  }
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      throw new Error(`Module dependency cycle: ${cycle.join(' → ')}`);
    }
    state.set(name, 'visiting');
    for (const d of byName.get(name)!.dependsOn) visit(d, [...path, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const m of modules) visit(m.name, []);
  return order;
}
