import type { AiBackendOptions, AiCircuitState } from '@kpl/shared';
import type { AiBackendsTable } from './ai.tables.js';
import { CozeClient } from './clients/coze.js';
import { DifyClient } from './clients/dify.js';
import { OpenAiCompatibleClient } from './clients/openai-compatible.js';
import type { BackendConfig, TextBackend } from './clients/types.js';
import { LlmCapabilities } from './llm/llm-capabilities.js';
import { BackendRuntime, DEFAULT_LIMITS, type CallRecorder, type Limits } from './resilience.js';

/** A stored backend, ready to call: its key decrypted (memory only) and its limits resolved. */
export interface BackendEntry {
  row: AiBackendsTable;
  config: BackendConfig;
  limits: Limits;
}

export function limitsOf(row: AiBackendsTable, options: AiBackendOptions): Limits {
  return {
    ...DEFAULT_LIMITS,
    connectTimeoutMs: row.connect_timeout_ms ?? DEFAULT_LIMITS.connectTimeoutMs,
    firstByteTimeoutMs: row.first_byte_timeout_ms ?? DEFAULT_LIMITS.firstByteTimeoutMs,
    totalTimeoutMs: row.total_timeout_ms ?? DEFAULT_LIMITS.totalTimeoutMs,
    maxConcurrency: row.max_concurrency ?? DEFAULT_LIMITS.maxConcurrency,
    maxQueue: row.max_queue ?? DEFAULT_LIMITS.maxQueue,
    maxRetries: options.maxRetries ?? DEFAULT_LIMITS.maxRetries,
    breakerThreshold: options.breakerThreshold ?? DEFAULT_LIMITS.breakerThreshold,
    breakerCooldownMs: options.breakerCooldownMs ?? DEFAULT_LIMITS.breakerCooldownMs,
  };
}

export function clientFor(config: BackendConfig): TextBackend {
  switch (config.kind) {
    case 'openai-compatible':
      return new OpenAiCompatibleClient(config);
    case 'dify':
      return new DifyClient(config);
    case 'coze':
      return new CozeClient(config);
    default:
      throw new Error(`no HTTP client for ${config.kind} backends`);
  }
}

const fingerprintOf = (e: BackendEntry) => JSON.stringify([e.config, e.limits]);

interface Live {
  /** The config and limits the runtime was built from (in memory only: it holds the key). */
  fingerprint: string;
  client: TextBackend;
  runtime: BackendRuntime;
  capabilities: LlmCapabilities;
}

/**
 * One client + resilience runtime per backend, per process. The breaker and the concurrency limit
 * live here, so they outlast settings reloads; editing a backend's config or limits replaces its
 * runtime, which also closes its circuit.
 */
export class BackendRuntimes {
  private readonly live = new Map<string, Live>();

  constructor(private readonly record: CallRecorder) {}

  get(entry: BackendEntry): Live {
    const id = entry.row.id;
    const fingerprint = fingerprintOf(entry);
    const current = this.live.get(id);
    if (current && current.fingerprint === fingerprint) return current;
    const client = clientFor(entry.config);
    const runtime = new BackendRuntime(id, entry.limits, this.record);
    const next = { fingerprint, client, runtime, capabilities: new LlmCapabilities(client, runtime) };
    this.live.set(id, next);
    return next;
  }

  /** The circuit of the backend as configured now (an edited backend starts closed). */
  circuit(entry: BackendEntry): AiCircuitState {
    const current = this.live.get(entry.row.id);
    return current && current.fingerprint === fingerprintOf(entry) ? current.runtime.circuit : 'closed';
  }

  /** Forget backends that no longer exist. */
  retain(ids: Set<string>): void {
    for (const id of this.live.keys()) if (!ids.has(id)) this.live.delete(id);
  }
}
