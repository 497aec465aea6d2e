import type { AiCircuitState, AiUsageQuery, ComponentHealth } from '@kpl/shared';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { DB } from '../../platform/db/schema.js';
import type { EventBus } from '../../platform/events/event-bus.js';
import type { ModuleDefinition } from '../../platform/modules/registry.js';
import type { AuditRecorder } from '../identity/index.js';
import { AiMetrics } from './ai.metrics.js';
import { AiRepository } from './ai.repository.js';
import { aiRoutes } from './ai.routes.js';
import { createBuiltinCapabilities } from './builtin/index.js';
import { CapabilityRouter } from './capability-router.js';
import { CredentialVault } from './credentials.js';
import { BackendRuntimes } from './runtimes.js';
import { AiSettingsService } from './settings.service.js';
import { TutorService, type PassageSearch } from './tutor.service.js';
import { UsageRepository } from './usage.repository.js';
import { AiUsageService } from './usage.service.js';

export type {
  AiCapabilities,
  Capability,
  CallOptions,
  SourceChunk,
  GenerateQuestionsInput,
  GeneratedCandidate,
  GradeAnswerInput,
  GradeAnswerResult,
  TutorAnswerInput,
  RolePlayTurnInput,
  EvaluatePracticeInput,
  PracticeEvaluation,
  StreamEvent,
  ChatTurn,
  Usage,
} from './capabilities.js';
export { CAPABILITIES } from './capabilities.js';
export { createBuiltinCapabilities } from './builtin/index.js';
export type { PassageSearch } from './tutor.service.js';

export interface AiDeps {
  db: Kysely<DB>;
  events: EventBus;
  logger: Logger;
  /** The container's Prometheus registry. */
  registry: Registry;
  /** 32 bytes (config.encryptionKey): API keys are stored with AES-256-GCM under it. */
  encryptionKey: Buffer;
  /** Course search, for the tutor's passages (only courses the caller may see). */
  search: PassageSearch;
  audit: AuditRecorder;
  /** Heartbeat comment interval of the tutor's event stream. */
  tutorHeartbeatMs?: number;
}

export function createAi(deps: AiDeps) {
  const names = new Map<string, string>();
  const builtin = createBuiltinCapabilities();

  // Read at scrape / probe time, once everything below exists.
  const circuits = async (): Promise<{ id: string; backend: string; state: AiCircuitState }[]> => {
    const s = await settings.snapshot();
    return [...s.backends.values()]
      .filter((e) => e.row.kind !== 'builtin' && e.row.enabled === 1)
      .map((e) => ({ id: e.row.id, backend: e.row.name, state: runtimes.circuit(e) }));
  };

  const metrics = new AiMetrics(deps.registry, circuits);
  const usage = new AiUsageService(new UsageRepository(deps.db), metrics, names, deps.logger);
  const runtimes = new BackendRuntimes(usage.record);
  const settings = new AiSettingsService(new AiRepository(deps.db), new CredentialVault(deps.encryptionKey), deps.events, deps.logger, runtimes, builtin, deps.audit, names);
  const capabilities = new CapabilityRouter(settings, runtimes, builtin, usage.record, deps.logger);
  const tutor = new TutorService(deps.search, capabilities);

  /**
   * Circuit states for /health/ready: an open circuit is "degraded", never "down" — the product
   * keeps working without AI (the builtin engine, manual grading), so readiness must not fail.
   */
  async function readiness(): Promise<ComponentHealth> {
    try {
      const list = await circuits();
      const tripped = list.filter((c) => c.state !== 'closed');
      if (tripped.length) return { status: 'degraded', detail: tripped.map((c) => `${c.backend}: circuit ${c.state}`).join('; ') };
      return { status: 'up', detail: `${list.length} remote backend(s), all circuits closed` };
    } catch (err) {
      return { status: 'degraded', detail: `AI settings unreadable: ${err instanceof Error ? err.message : String(err)}` };
    }
  }

  const usageSummary = async (q: AiUsageQuery) => {
    await settings.snapshot(); // backend names
    return usage.summary(q);
  };

  const module: ModuleDefinition = {
    name: 'ai',
    description: 'AI backends (OpenAI-compatible, Dify, Coze, builtin) behind capabilities; resilience, settings, usage, tutor stream',
    dependsOn: ['system', 'identity', 'courses'],
    routes: async (app: FastifyInstance) => {
      await app.register(aiRoutes({ settings, usage: usageSummary, tutor, heartbeatMs: deps.tutorHeartbeatMs ?? 15_000, logger: deps.logger }));
    },
    health: async () => ({ circuits: await readiness() }),
  };

  return {
    /** What other modules call: each capability resolved through settings, resilience and fallback. */
    capabilities,
    settings,
    usage: { summary: usageSummary, flush: () => usage.flush() },
    tutor,
    readiness,
    module,
    /** Lets the usage rows being written land before shutdown. */
    close: () => usage.flush(),
  };
}

export type AiModule = ReturnType<typeof createAi>;
