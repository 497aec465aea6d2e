import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { ModuleDefinition } from '../../platform/modules/registry.js';
import type { JobQueue } from '../../platform/queue/types.js';
import type { Scheduler } from '../../platform/scheduler/scheduler.js';
import { probe } from '../../platform/health/checks.js';
import { registerSystemJobs } from './system.jobs.js';
import { SettingsRepository } from './settings.repository.js';

export { systemRoutes } from './system.routes.js';
export { SettingsRepository } from './settings.repository.js';

export function createSystem(deps: { db: Kysely<DB>; queue: JobQueue; scheduler: Scheduler }) {
  registerSystemJobs(deps.db, deps.queue, deps.scheduler);
  const module: ModuleDefinition = {
    name: 'system',
    description: 'Platform services: jobs, scheduling, settings, module graph',
    dependsOn: [],
    health: async () => ({ queue: await probe(() => deps.queue.ping())() }),
  };
  return { module, settings: new SettingsRepository(deps.db) };
}
