import type { AiUsage, AiUsageQuery } from '@kpl/shared';
import type { Logger } from 'pino';
import type { AiMetrics } from './ai.metrics.js';
import type { CallRecord } from './resilience.js';
import { percentile, type UsageRepository } from './usage.repository.js';

const DAY = 86_400_000;

/**
 * Where every finished call goes: Prometheus series at once, and the hourly usage rows in the
 * database (written in the background; a failed write is logged and never fails the call).
 */
export class AiUsageService {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly repo: UsageRepository,
    private readonly metrics: AiMetrics,
    /** Backend id → name, kept current by the settings snapshot. */
    private readonly names: Map<string, string>,
    private readonly logger: Logger,
  ) {}

  readonly record = (r: CallRecord): void => {
    this.metrics.observe(r, this.names.get(r.backendId) ?? r.backendId);
    const write: Promise<void> = this.repo
      .add(r)
      .catch((err: unknown) => this.logger.warn({ err, backendId: r.backendId, capability: r.capability }, 'AI usage could not be recorded'))
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  };

  /** Waits for the usage writes in flight (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async summary(q: AiUsageQuery): Promise<AiUsage> {
    const to = q.to ?? Date.now();
    const from = q.from ?? to - DAY;
    const rows = (await this.repo.totals(from, to)).map((t) => ({
      backendId: t.backendId,
      backendName: this.names.get(t.backendId) ?? t.backendId,
      capability: t.capability,
      calls: t.calls,
      errors: t.errors,
      promptTokens: t.promptTokens,
      completionTokens: t.completionTokens,
      avgLatencyMs: t.calls ? Math.round(t.latencyMsSum / t.calls) : 0,
      p50LatencyMs: percentile(t.buckets, 0.5),
      p95LatencyMs: percentile(t.buckets, 0.95),
      avgFirstByteMs: t.firstByteCount ? Math.round(t.firstByteMsSum / t.firstByteCount) : null,
    }));
    return { from, to, rows };
  }
}
