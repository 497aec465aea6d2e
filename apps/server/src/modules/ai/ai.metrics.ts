import type { AiCircuitState } from '@kpl/shared';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CallRecord } from './resilience.js';

/** Gauge values of kpl_ai_circuit_state. */
export const CIRCUIT_VALUE: Record<AiCircuitState, number> = { closed: 0, open: 1, 'half-open': 2 };

/** Prometheus series of the AI layer, labelled by backend name and capability. */
export class AiMetrics {
  private readonly calls: Counter<'backend' | 'capability' | 'outcome'>;
  private readonly errors: Counter<'backend' | 'capability' | 'code'>;
  private readonly tokens: Counter<'backend' | 'capability' | 'kind'>;
  private readonly latency: Histogram<'backend' | 'capability'>;
  private readonly firstByte: Histogram<'backend' | 'capability'>;

  constructor(registry: Registry, circuits: () => Promise<{ backend: string; state: AiCircuitState }[]>) {
    const registers = [registry];
    this.calls = new Counter({ name: 'kpl_ai_calls_total', help: 'AI calls by backend, capability and outcome (ok, error, cancelled)', labelNames: ['backend', 'capability', 'outcome'], registers });
    this.errors = new Counter({ name: 'kpl_ai_errors_total', help: 'Failed AI calls by backend, capability and error code', labelNames: ['backend', 'capability', 'code'], registers });
    this.tokens = new Counter({ name: 'kpl_ai_tokens_total', help: 'Tokens reported by AI backends (prompt, completion)', labelNames: ['backend', 'capability', 'kind'], registers });
    this.latency = new Histogram({
      name: 'kpl_ai_call_duration_seconds',
      help: 'Whole AI call duration (queueing, retries and streaming included)',
      labelNames: ['backend', 'capability'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120],
      registers,
    });
    this.firstByte = new Histogram({
      name: 'kpl_ai_first_byte_seconds',
      help: 'Time to the first byte of a streamed AI answer',
      labelNames: ['backend', 'capability'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    new Gauge({
      name: 'kpl_ai_circuit_state',
      help: 'Circuit breaker per AI backend: 0 closed, 1 open, 2 half-open (probing allowed)',
      labelNames: ['backend'],
      registers,
      async collect() {
        this.reset();
        try {
          for (const c of await circuits()) this.set({ backend: c.backend }, CIRCUIT_VALUE[c.state]);
        } catch {
          // Settings unreadable (database down): /health/ready reports that.
        }
      },
    });
  }

  observe(r: CallRecord, backend: string): void {
    const labels = { backend, capability: r.capability };
    this.calls.inc({ ...labels, outcome: r.outcome });
    if (r.outcome === 'error') this.errors.inc({ ...labels, code: r.errorCode ?? 'unknown' });
    if (r.usage) {
      this.tokens.inc({ ...labels, kind: 'prompt' }, r.usage.promptTokens);
      this.tokens.inc({ ...labels, kind: 'completion' }, r.usage.completionTokens);
    }
    this.latency.observe(labels, r.latencyMs / 1000);
    if (r.firstByteMs !== undefined) this.firstByte.observe(labels, r.firstByteMs / 1000);
  }
}
