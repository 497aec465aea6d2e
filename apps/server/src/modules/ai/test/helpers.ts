import type { AiBackendKind, AiBackendOptions } from '@kpl/shared';
import type { CallScope } from '../clients/http.js';
import { accumulate, type BackendConfig, type TextBackend, type GenerateRequest, type Completion } from '../clients/types.js';
import { AiCallError } from '../errors.js';

/** A scope with generous limits for contract tests (the resilience tests set their own). */
export function testScope(totalMs = 5_000, firstByteMs = 3_000): CallScope {
  const ctrl = new AbortController();
  setTimeout(() => ctrl.abort(new AiCallError('timeout', 'test deadline', { phase: 'total' })), totalMs).unref();
  return { signal: ctrl.signal, connectTimeoutMs: firstByteMs, firstByteTimeoutMs: firstByteMs };
}

export function backendConfig(kind: AiBackendKind, baseUrl: string, over: Partial<BackendConfig> & { options?: AiBackendOptions } = {}): BackendConfig {
  return { id: `id-${kind}`, name: kind, kind, baseUrl, model: 'fake-model', appId: 'b1', apiKey: null, options: {}, ...over };
}

/** Streams one answer to the end through a client. */
export async function streamAll(client: TextBackend, req: Partial<GenerateRequest> = {}, scope = testScope()): Promise<Completion> {
  return accumulate(await client.open({ system: '你是助手', prompt: '你好', ...req }, scope));
}

/** The AiCallError a promise rejects with. */
export async function failureOf(p: Promise<unknown>): Promise<AiCallError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AiCallError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
