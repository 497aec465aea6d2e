import { BUILTIN_BACKEND_ID, ErrorCodes } from '@kpl/shared';
import type { Logger } from 'pino';
import { AppError, isAppError } from '../../platform/errors.js';
import type { AiCapabilities, CallOptions, Capability, StreamEvent, Usage } from './capabilities.js';
import { isAiCallError, toAppError } from './errors.js';
import type { CallRecorder } from './resilience.js';
import type { BackendRuntimes } from './runtimes.js';
import type { AiSettingsService } from './settings.service.js';

type Route = { kind: 'builtin' } | { kind: 'remote'; name: string; capabilities: AiCapabilities; fallback: boolean };

/** Failures of a remote backend the builtin engine may answer instead (never the caller's own cancellation). */
function isBackendFailure(err: unknown): boolean {
  if (isAiCallError(err)) return err.kind !== 'aborted';
  return isAppError(err) && err.code.startsWith('ERR-AI-');
}

/**
 * The AiCapabilities the rest of the server uses: each call goes to the backend the admin mapped
 * the capability to (through that backend's resilience runtime), or to the builtin engine; when
 * the mapping says so, a failed remote call is answered by the builtin engine instead — for a
 * streamed answer only while nothing has been shown yet. Failures reach callers as AppErrors
 * (ERR-AI-0002…0006). Builtin calls are measured like remote ones.
 */
export class CapabilityRouter implements AiCapabilities {
  constructor(
    private readonly settings: AiSettingsService,
    private readonly runtimes: BackendRuntimes,
    private readonly builtin: AiCapabilities,
    private readonly record: CallRecorder,
    private readonly logger: Logger,
  ) {}

  generateQuestions(input: Parameters<AiCapabilities['generateQuestions']>[0], options?: CallOptions) {
    return this.unary('generateQuestions', options, (c) => c.generateQuestions(input, options));
  }

  gradeAnswer(input: Parameters<AiCapabilities['gradeAnswer']>[0], options?: CallOptions) {
    return this.unary('gradeAnswer', options, (c) => c.gradeAnswer(input, options));
  }

  evaluatePractice(input: Parameters<AiCapabilities['evaluatePractice']>[0], options?: CallOptions) {
    return this.unary('evaluatePractice', options, (c) => c.evaluatePractice(input, options));
  }

  embed(texts: string[], options?: CallOptions) {
    return this.unary('embed', options, (c) => c.embed(texts, options));
  }

  tutorAnswer(input: Parameters<AiCapabilities['tutorAnswer']>[0], options?: CallOptions): AsyncIterable<StreamEvent> {
    return this.streamed('tutorAnswer', options, (c) => c.tutorAnswer(input, options));
  }

  rolePlayTurn(input: Parameters<AiCapabilities['rolePlayTurn']>[0], options?: CallOptions): AsyncIterable<StreamEvent> {
    return this.streamed('rolePlayTurn', options, (c) => c.rolePlayTurn(input, options));
  }

  private async route(capability: Capability): Promise<Route> {
    const s = await this.settings.snapshot();
    const setting = s.settings.get(capability) ?? { backendId: BUILTIN_BACKEND_ID, fallbackToBuiltin: false };
    const entry = s.backends.get(setting.backendId);
    if (!entry || entry.row.kind === 'builtin') return { kind: 'builtin' };
    if (entry.row.enabled !== 1) {
      if (setting.fallbackToBuiltin) return { kind: 'builtin' };
      throw new AppError(ErrorCodes.AI_NOT_CONFIGURED, `The backend "${entry.row.name}" for ${capability} is disabled.`);
    }
    return { kind: 'remote', name: entry.row.name, capabilities: this.runtimes.get(entry).capabilities, fallback: setting.fallbackToBuiltin };
  }

  private fallsBack(route: Route, err: unknown, options?: CallOptions): boolean {
    return route.kind === 'remote' && route.fallback && !options?.signal?.aborted && isBackendFailure(err);
  }

  private async unary<T>(capability: Capability, options: CallOptions | undefined, run: (c: AiCapabilities) => Promise<T>): Promise<T> {
    const route = await this.route(capability);
    if (route.kind === 'builtin') return this.builtinUnary(capability, run);
    try {
      return await run(route.capabilities);
    } catch (err) {
      if (!this.fallsBack(route, err, options)) throw toAppError(err, route.name);
      this.logger.warn({ capability, backend: route.name, err: toAppError(err, route.name).code }, 'AI backend failed; the builtin engine answers instead');
      return this.builtinUnary(capability, run);
    }
  }

  private async *streamed(capability: Capability, options: CallOptions | undefined, run: (c: AiCapabilities) => AsyncIterable<StreamEvent>): AsyncGenerator<StreamEvent> {
    const route = await this.route(capability);
    if (route.kind === 'builtin') {
      yield* this.builtinStream(capability, run);
      return;
    }
    let shown = false;
    try {
      for await (const e of run(route.capabilities)) {
        shown = true;
        yield e;
      }
    } catch (err) {
      if (shown || !this.fallsBack(route, err, options)) throw toAppError(err, route.name);
      this.logger.warn({ capability, backend: route.name, err: toAppError(err, route.name).code }, 'AI backend failed before answering; the builtin engine answers instead');
      yield* this.builtinStream(capability, run);
    }
  }

  private async builtinUnary<T>(capability: Capability, run: (c: AiCapabilities) => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const r = await run(this.builtin);
      this.record({ backendId: BUILTIN_BACKEND_ID, capability, outcome: 'ok', latencyMs: performance.now() - started });
      return r;
    } catch (err) {
      this.recordBuiltinFailure(capability, err, started);
      throw err;
    }
  }

  private async *builtinStream(capability: Capability, run: (c: AiCapabilities) => AsyncIterable<StreamEvent>): AsyncGenerator<StreamEvent> {
    const started = performance.now();
    let firstByteMs: number | undefined;
    let usage: Usage | undefined;
    let outcome: 'ok' | 'failed' | 'cancelled' = 'cancelled';
    try {
      for await (const e of run(this.builtin)) {
        firstByteMs ??= performance.now() - started;
        if (e.type === 'done') usage = e.usage;
        yield e;
      }
      outcome = 'ok';
    } catch (err) {
      outcome = 'failed';
      this.recordBuiltinFailure(capability, err, started);
      throw err;
    } finally {
      // 'cancelled': the consumer stopped reading (the browser went away).
      if (outcome !== 'failed') this.record({ backendId: BUILTIN_BACKEND_ID, capability, outcome, latencyMs: performance.now() - started, firstByteMs, usage });
    }
  }

  private recordBuiltinFailure(capability: Capability, err: unknown, started: number): void {
    const cancelled = err instanceof Error && err.name === 'AbortError';
    this.record({
      backendId: BUILTIN_BACKEND_ID,
      capability,
      outcome: cancelled ? 'cancelled' : 'error',
      errorCode: cancelled ? undefined : isAppError(err) ? err.code : ErrorCodes.INTERNAL,
      latencyMs: performance.now() - started,
    });
  }
}
