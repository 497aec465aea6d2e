import type { AiBackendKind } from '@kpl/shared';

export interface AiBackendsTable {
  id: string;
  name: string;
  kind: AiBackendKind;
  base_url: string | null;
  model: string | null;
  app_id: string | null;
  /** JSON of AiBackendOptions. */
  options: string;
  /** base64(iv ‖ tag ‖ ciphertext). */
  api_key_enc: string | null;
  api_key_mask: string | null;
  enabled: number;
  connect_timeout_ms: number | null;
  first_byte_timeout_ms: number | null;
  total_timeout_ms: number | null;
  max_concurrency: number | null;
  max_queue: number | null;
  created_at: number;
  updated_at: number;
}

export interface AiCapabilitySettingsTable {
  capability: string;
  backend_id: string;
  fallback_to_builtin: number;
  updated_at: number;
}

export const LATENCY_BUCKETS = [
  ['le_250', 250],
  ['le_500', 500],
  ['le_1000', 1000],
  ['le_2000', 2000],
  ['le_5000', 5000],
  ['le_10000', 10_000],
  ['le_20000', 20_000],
  ['le_30000', 30_000],
  ['le_60000', 60_000],
  ['le_inf', Infinity],
] as const;
export type LatencyBucket = (typeof LATENCY_BUCKETS)[number][0];

export type AiUsageTable = {
  /** Start of the hour, epoch ms. */
  hour: number;
  backend_id: string;
  capability: string;
  calls: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  latency_ms_sum: number;
  first_byte_ms_sum: number;
  first_byte_count: number;
} & Record<LatencyBucket, number>;

declare module '../../platform/db/schema.js' {
  interface DB {
    ai_backends: AiBackendsTable;
    ai_capability_settings: AiCapabilitySettingsTable;
    ai_usage: AiUsageTable;
  }
}
