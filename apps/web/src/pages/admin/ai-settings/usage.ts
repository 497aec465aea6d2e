import type { AiUsageRow } from '@kpl/shared';

export interface BackendUsage {
  backendId: string;
  backendName: string;
  calls: number;
  errors: number;
  tokens: number;
  /** Errors per call in percent, one decimal. */
  errorRate: number;
}

/** Usage rows (one per backend × capability) summed per backend, busiest first. */
export function usageByBackend(rows: readonly AiUsageRow[]): BackendUsage[] {
  const byId = new Map<string, BackendUsage>();
  for (const row of rows) {
    const entry = byId.get(row.backendId) ?? { backendId: row.backendId, backendName: row.backendName, calls: 0, errors: 0, tokens: 0, errorRate: 0 };
    entry.calls += row.calls;
    entry.errors += row.errors;
    entry.tokens += row.promptTokens + row.completionTokens;
    byId.set(row.backendId, entry);
  }
  return [...byId.values()]
    .map((entry) => ({ ...entry, errorRate: entry.calls ? Math.round((entry.errors / entry.calls) * 1000) / 10 : 0 }))
    .sort((a, b) => b.calls - a.calls);
}
