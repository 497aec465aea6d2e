import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { LATENCY_BUCKETS, type LatencyBucket } from './ai.tables.js';
import type { CallRecord } from './resilience.js';

const HOUR = 3_600_000;

export interface UsageTotals {
  backendId: string;
  capability: string;
  calls: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  latencyMsSum: number;
  firstByteMsSum: number;
  firstByteCount: number;
  buckets: number[];
}

function bucketOf(latencyMs: number): LatencyBucket {
  return LATENCY_BUCKETS.find(([, le]) => latencyMs <= le)![0];
}

/**
 * Latency percentile from the bucket counts: the bucket where the cumulative count reaches q,
 * interpolated linearly inside it (the open last bucket reports its lower bound).
 */
export function percentile(buckets: number[], q: number): number {
  const total = buckets.reduce((n, b) => n + b, 0);
  if (total === 0) return 0;
  const target = q * total;
  let seen = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = buckets[i]!;
    if (count > 0 && seen + count >= target) {
      const lower = i === 0 ? 0 : LATENCY_BUCKETS[i - 1]![1];
      const upper = LATENCY_BUCKETS[i]![1];
      if (!Number.isFinite(upper)) return lower;
      return Math.round(lower + ((target - seen) / count) * (upper - lower));
    }
    seen += count;
  }
  return LATENCY_BUCKETS[LATENCY_BUCKETS.length - 2]![1];
}

/**
 * Usage per hour, backend and capability. Every process adds to the same rows with relative
 * updates, so the totals are global whatever the number of replicas.
 */
export class UsageRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async add(r: CallRecord): Promise<void> {
    const hour = Math.floor(Date.now() / HOUR) * HOUR;
    const bucket = bucketOf(r.latencyMs);
    const err = r.outcome === 'error' ? 1 : 0;
    const prompt = r.usage?.promptTokens ?? 0;
    const completion = r.usage?.completionTokens ?? 0;
    const latency = Math.round(r.latencyMs);
    const firstByte = r.firstByteMs === undefined ? null : Math.round(r.firstByteMs);
    const update = () =>
      this.db
        .updateTable('ai_usage')
        .set((eb) => ({
          calls: eb('calls', '+', 1),
          errors: eb('errors', '+', err),
          prompt_tokens: eb('prompt_tokens', '+', prompt),
          completion_tokens: eb('completion_tokens', '+', completion),
          latency_ms_sum: eb('latency_ms_sum', '+', latency),
          first_byte_ms_sum: eb('first_byte_ms_sum', '+', firstByte ?? 0),
          first_byte_count: eb('first_byte_count', '+', firstByte === null ? 0 : 1),
          [bucket]: eb(bucket, '+', 1),
        }))
        .where('hour', '=', hour)
        .where('backend_id', '=', r.backendId)
        .where('capability', '=', r.capability)
        .executeTakeFirst();
    if (Number((await update()).numUpdatedRows) > 0) return;
    const row = Object.fromEntries(LATENCY_BUCKETS.map(([b]) => [b, b === bucket ? 1 : 0])) as Record<LatencyBucket, number>;
    try {
      await this.db
        .insertInto('ai_usage')
        .values({
          hour,
          backend_id: r.backendId,
          capability: r.capability,
          calls: 1,
          errors: err,
          prompt_tokens: prompt,
          completion_tokens: completion,
          latency_ms_sum: latency,
          first_byte_ms_sum: firstByte ?? 0,
          first_byte_count: firstByte === null ? 0 : 1,
          ...row,
        })
        .execute();
    } catch (e) {
      // Another process inserted the row first (primary key): add to it instead.
      if (Number((await update()).numUpdatedRows) === 0) throw e;
    }
  }

  async totals(from: number, to: number): Promise<UsageTotals[]> {
    const rows = await this.db
      .selectFrom('ai_usage')
      .select((eb) => [
        'backend_id',
        'capability',
        eb.fn.sum<number>('calls').as('calls'),
        eb.fn.sum<number>('errors').as('errors'),
        eb.fn.sum<number>('prompt_tokens').as('prompt_tokens'),
        eb.fn.sum<number>('completion_tokens').as('completion_tokens'),
        eb.fn.sum<number>('latency_ms_sum').as('latency_ms_sum'),
        eb.fn.sum<number>('first_byte_ms_sum').as('first_byte_ms_sum'),
        eb.fn.sum<number>('first_byte_count').as('first_byte_count'),
        ...LATENCY_BUCKETS.map(([b]) => eb.fn.sum<number>(b).as(b)),
      ])
      .where('hour', '>=', Math.floor(from / HOUR) * HOUR)
      .where('hour', '<=', to)
      .groupBy(['backend_id', 'capability'])
      .orderBy('backend_id')
      .orderBy('capability')
      .execute();
    // MariaDB returns SUM() as strings.
    return rows.map((r) => {
      const v = r as unknown as Record<string, unknown>;
      return {
        backendId: r.backend_id,
        capability: r.capability,
        calls: Number(r.calls),
        errors: Number(r.errors),
        promptTokens: Number(r.prompt_tokens),
        completionTokens: Number(r.completion_tokens),
        latencyMsSum: Number(r.latency_ms_sum),
        firstByteMsSum: Number(r.first_byte_ms_sum),
        firstByteCount: Number(r.first_byte_count),
        buckets: LATENCY_BUCKETS.map(([b]) => Number(v[b])),
      };
    });
  }
}
