import {
  AI_CAPABILITIES,
  BUILTIN_BACKEND_ID,
  ErrorCodes,
  aiBackendOptionsSchema,
  type AiBackend,
  type AiBackendOptions,
  type AiSettings,
  type AiTestResult,
  type CreateAiBackend,
  type UpdateAiBackend,
  type UpdateAiSettings,
} from '@kpl/shared';
import type { Logger } from 'pino';
import { AppError } from '../../platform/errors.js';
import type { EventBus } from '../../platform/events/event-bus.js';
import { newId, now } from '../../platform/ids.js';
import type { Actor, AuditRecorder } from '../identity/index.js';
import type { AiRepository } from './ai.repository.js';
import type { AiBackendsTable } from './ai.tables.js';
import type { AiCapabilities } from './capabilities.js';
import { CredentialVault } from './credentials.js';
import { toAppError } from './errors.js';
import { limitsOf, type BackendEntry, type BackendRuntimes } from './runtimes.js';
import { actorFields } from '../../platform/audit-actor.js';

declare module '../../platform/events/event-bus.js' {
  interface DomainEvents {
    /** AI backends or the capability mapping changed: every process reloads its settings. */
    'ai.settings-changed': { backendId?: string };
  }
}

export interface CapabilitySetting {
  backendId: string;
  fallbackToBuiltin: boolean;
}

/** What every call reads: backends with decrypted keys and the mapping. */
export interface AiSnapshot {
  backends: Map<string, BackendEntry>;
  settings: Map<string, CapabilitySetting>;
}

/** A missed event heals itself after this long. */
const SNAPSHOT_TTL_MS = 60_000;
/** A connection test never waits longer than this, whatever the backend's total timeout. */
const TEST_DEADLINE_MS = 20_000;


/**
 * Backends, the capability mapping and connection tests. Each process caches one snapshot of the
 * settings and drops it when any process publishes `ai.settings-changed`, so a change made on one
 * replica reaches every other at once.
 */
export class AiSettingsService {
  private cached: { at: number; value: Promise<AiSnapshot> } | null = null;

  constructor(
    private readonly repo: AiRepository,
    private readonly vault: CredentialVault,
    private readonly events: EventBus,
    private readonly logger: Logger,
    private readonly runtimes: BackendRuntimes,
    private readonly builtin: AiCapabilities,
    private readonly audit: AuditRecorder,
    /** Backend id → name for metrics and usage (names of deleted backends are kept). */
    private readonly names: Map<string, string>,
  ) {
    events.subscribe('ai.settings-changed', () => this.invalidate());
  }

  invalidate(): void {
    this.cached = null;
  }

  snapshot(): Promise<AiSnapshot> {
    if (this.cached && Date.now() - this.cached.at < SNAPSHOT_TTL_MS) return this.cached.value;
    const value = this.load();
    this.cached = { at: Date.now(), value };
    value.catch(() => {
      if (this.cached?.value === value) this.cached = null;
    });
    return value;
  }

  private async load(): Promise<AiSnapshot> {
    const [rows, settings] = await Promise.all([this.repo.listBackends(), this.repo.listSettings()]);
    const backends = new Map(rows.map((row) => [row.id, this.entryOf(row)]));
    this.runtimes.retain(new Set(backends.keys()));
    for (const row of rows) this.names.set(row.id, row.name);
    return { backends, settings: new Map(settings.map((s) => [s.capability, { backendId: s.backend_id, fallbackToBuiltin: s.fallback_to_builtin === 1 }])) };
  }

  private entryOf(row: AiBackendsTable): BackendEntry {
    const parsed = aiBackendOptionsSchema.safeParse(JSON.parse(row.options));
    const options: AiBackendOptions = parsed.success ? parsed.data : {};
    let apiKey: string | null = null;
    if (row.api_key_enc) {
      try {
        apiKey = this.vault.decrypt(row.api_key_enc);
      } catch {
        // A changed ENCRYPTION_KEY: the backend will answer 401 until an admin enters the key again.
        this.logger.error({ backendId: row.id }, 'AI backend key cannot be decrypted with the current ENCRYPTION_KEY');
      }
    }
    return {
      row,
      config: { id: row.id, name: row.name, kind: row.kind, baseUrl: row.base_url, model: row.model, appId: row.app_id, apiKey, options },
      limits: limitsOf(row, options),
    };
  }

  private present(e: BackendEntry): AiBackend {
    const r = e.row;
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      baseUrl: r.base_url,
      model: r.model,
      appId: r.app_id,
      options: e.config.options,
      apiKeyMasked: r.api_key_mask,
      enabled: r.enabled === 1,
      connectTimeoutMs: r.connect_timeout_ms,
      firstByteTimeoutMs: r.first_byte_timeout_ms,
      totalTimeoutMs: r.total_timeout_ms,
      maxConcurrency: r.max_concurrency,
      maxQueue: r.max_queue,
      circuit: this.runtimes.circuit(e),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }

  async listBackends(): Promise<AiBackend[]> {
    const s = await this.snapshot();
    return [...s.backends.values()].map((e) => this.present(e));
  }

  private async entry(id: string): Promise<BackendEntry> {
    const row = await this.repo.getBackend(id);
    if (!row) throw new AppError(ErrorCodes.AI_BACKEND_NOT_FOUND);
    return this.entryOf(row);
  }

  private async changed(actor: Actor, backendId: string | undefined, details: Record<string, unknown>): Promise<void> {
    this.invalidate();
    await this.events.publish('ai.settings-changed', backendId ? { backendId } : {});
    await this.audit.record({ ...actorFields(actor), action: 'settings.updated', targetType: backendId ? 'ai_backend' : 'ai_settings', targetId: backendId ?? null, details });
  }

  async createBackend(actor: Actor, input: CreateAiBackend): Promise<AiBackend> {
    const t = now();
    const row: AiBackendsTable = {
      id: newId(),
      name: input.name,
      kind: input.kind,
      base_url: input.baseUrl,
      model: input.model ?? null,
      app_id: input.appId ?? null,
      options: JSON.stringify(input.options),
      api_key_enc: input.apiKey ? this.vault.encrypt(input.apiKey) : null,
      api_key_mask: input.apiKey ? CredentialVault.mask(input.apiKey) : null,
      enabled: input.enabled ? 1 : 0,
      connect_timeout_ms: input.connectTimeoutMs ?? null,
      first_byte_timeout_ms: input.firstByteTimeoutMs ?? null,
      total_timeout_ms: input.totalTimeoutMs ?? null,
      max_concurrency: input.maxConcurrency ?? null,
      max_queue: input.maxQueue ?? null,
      created_at: t,
      updated_at: t,
    };
    await this.repo.insertBackend(row);
    await this.changed(actor, row.id, { change: 'backend.created', name: row.name, kind: row.kind, baseUrl: row.base_url, apiKeySet: Boolean(input.apiKey) });
    return this.present(this.entryOf(row));
  }

  async updateBackend(actor: Actor, id: string, patch: UpdateAiBackend): Promise<AiBackend> {
    const before = await this.entry(id);
    if (before.row.kind === 'builtin') throw new AppError(ErrorCodes.CONFLICT, 'The builtin engine cannot be changed.');
    const next: AiBackendsTable = { ...before.row, updated_at: Math.max(now(), before.row.updated_at + 1) };
    if (patch.name !== undefined) next.name = patch.name;
    if (patch.baseUrl !== undefined) next.base_url = patch.baseUrl;
    if (patch.model !== undefined) next.model = patch.model;
    if (patch.appId !== undefined) next.app_id = patch.appId;
    if (patch.options !== undefined) next.options = JSON.stringify(patch.options);
    if (patch.enabled !== undefined) next.enabled = patch.enabled ? 1 : 0;
    if (patch.connectTimeoutMs !== undefined) next.connect_timeout_ms = patch.connectTimeoutMs;
    if (patch.firstByteTimeoutMs !== undefined) next.first_byte_timeout_ms = patch.firstByteTimeoutMs;
    if (patch.totalTimeoutMs !== undefined) next.total_timeout_ms = patch.totalTimeoutMs;
    if (patch.maxConcurrency !== undefined) next.max_concurrency = patch.maxConcurrency;
    if (patch.maxQueue !== undefined) next.max_queue = patch.maxQueue;
    // No key in the request keeps the stored one; null removes it.
    if (patch.apiKey !== undefined) {
      next.api_key_enc = patch.apiKey === null ? null : this.vault.encrypt(patch.apiKey);
      next.api_key_mask = patch.apiKey === null ? null : CredentialVault.mask(patch.apiKey);
    }
    if (next.kind === 'openai-compatible' && !next.model) throw validation('model', 'is required for openai-compatible backends');
    if (next.kind === 'coze' && !next.app_id) throw validation('appId', 'is required for coze backends (bot or workflow id)');
    await this.repo.updateBackend(id, next);
    const changedFields = Object.keys(patch).filter((k) => k !== 'apiKey');
    await this.changed(actor, id, { change: 'backend.updated', name: next.name, fields: changedFields, apiKeyChanged: patch.apiKey !== undefined });
    return this.present(this.entryOf(next));
  }

  async deleteBackend(actor: Actor, id: string): Promise<void> {
    const e = await this.entry(id);
    if (e.row.kind === 'builtin') throw new AppError(ErrorCodes.CONFLICT, 'The builtin engine cannot be deleted.');
    const using = await this.repo.capabilitiesUsing(id);
    if (using.length) throw new AppError(ErrorCodes.CONFLICT, 'The backend is mapped to capabilities; map them elsewhere first.', { capabilities: using });
    await this.repo.deleteBackend(id);
    await this.changed(actor, id, { change: 'backend.deleted', name: e.row.name });
  }

  async getSettings(): Promise<AiSettings> {
    const s = await this.snapshot();
    const capabilities = Object.fromEntries(
      AI_CAPABILITIES.map((c) => [c, s.settings.get(c) ?? { backendId: BUILTIN_BACKEND_ID, fallbackToBuiltin: false }]),
    ) as AiSettings['capabilities'];
    return { capabilities };
  }

  async updateSettings(actor: Actor, input: UpdateAiSettings): Promise<AiSettings> {
    const entries = Object.entries(input.capabilities).filter((e): e is [string, CapabilitySetting] => e[1] !== undefined);
    for (const [capability, setting] of entries) {
      const row = await this.repo.getBackend(setting.backendId);
      if (!row) throw new AppError(ErrorCodes.AI_BACKEND_NOT_FOUND, undefined, { capability, backendId: setting.backendId });
      if (capability === 'embed' && row.kind !== 'builtin' && row.kind !== 'openai-compatible') {
        throw validation(`capabilities.${capability}.backendId`, `${row.kind} backends have no embeddings`);
      }
    }
    await this.repo.saveSettings(entries.map(([capability, s]) => ({ capability, ...s })));
    await this.changed(actor, undefined, { change: 'capabilities.mapped', capabilities: Object.fromEntries(entries) });
    return this.getSettings();
  }

  /** A tiny real call through the backend's limits (but around its breaker, so an open circuit can be checked). */
  async testBackend(id: string): Promise<AiTestResult> {
    const e = await this.entry(id);
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    if (e.row.kind === 'builtin') {
      const r = await this.builtin.gradeAnswer({ stem: '测试', referenceAnswer: '连接正常', rubric: [{ point: '连接正常', weight: 1, keywords: ['连接'] }], answer: '连接正常', maxScore: 1 });
      return { ok: true, latencyMs: latencyMs(), sample: r.explanation.slice(0, 100) };
    }
    const { client, runtime } = this.runtimes.get(e);
    try {
      const r = await runtime.call('test', (scope) => client.complete({ system: '', prompt: '请只回复一个字：好', maxTokens: 8 }, scope), undefined, { breaker: false, deadlineMs: TEST_DEADLINE_MS });
      return { ok: true, latencyMs: latencyMs(), sample: r.text.slice(0, 100) };
    } catch (err) {
      const appError = toAppError(err, e.row.name);
      const reason = (appError.details as { reason?: string } | undefined)?.reason;
      return { ok: false, latencyMs: latencyMs(), errorCode: appError.code, message: reason ?? appError.message };
    }
  }
}

function validation(path: string, message: string): AppError {
  return new AppError(ErrorCodes.VALIDATION, 'Some fields are missing or invalid.', [{ path, message }]);
}
