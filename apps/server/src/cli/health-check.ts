/** Calls every health endpoint of a running server and prints one table row per component. */
export interface HealthRow {
  endpoint: string;
  component: string;
  status: string;
  detail: string;
}

interface ReadyBody {
  components?: Record<string, { status: string; latencyMs?: number; detail?: string }>;
}

async function fetchJson(url: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

export async function collectHealth(baseUrl: string): Promise<HealthRow[]> {
  const rows: HealthRow[] = [];
  const base = baseUrl.replace(/\/$/, '');
  const add = (endpoint: string, component: string, status: string, detail = '') => rows.push({ endpoint, component, status, detail });

  const live = await fetchJson(`${base}/health/live`).catch((err: Error) => ({ status: 0, body: err.message }));
  add('/health/live', 'process', live.status === 200 ? 'up' : 'down', live.status === 0 ? String(live.body) : `HTTP ${live.status}`);
  if (live.status === 0) return rows;

  const ready = await fetchJson(`${base}/health/ready`);
  for (const [name, c] of Object.entries((ready.body as ReadyBody).components ?? {})) {
    add('/health/ready', name, c.status, [c.latencyMs !== undefined ? `${c.latencyMs} ms` : '', c.detail ?? ''].filter(Boolean).join(', '));
  }

  const deps = await fetchJson(`${base}/api/v1/system/dependencies`);
  const modules = (deps.body as { modules?: { name: string }[] }).modules ?? [];
  add('/api/v1/system/dependencies', 'graph', deps.status === 200 ? 'up' : 'down', `${modules.length} modules`);
  for (const m of modules) {
    const h = await fetchJson(`${base}/api/v1/${m.name}/health`);
    const body = h.body as { status?: string; components?: Record<string, { status: string }> };
    const downs = Object.entries(body.components ?? {}).filter(([, c]) => c.status !== 'up').map(([k]) => k);
    add(`/api/v1/${m.name}/health`, m.name, body.status ?? 'down', downs.length ? `failing: ${downs.join(', ')}` : '');
  }
  return rows;
}

export function formatTable(rows: HealthRow[]): string {
  const headers = ['endpoint', 'component', 'status', 'detail'] as const;
  const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => r[h].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line([...headers]), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(headers.map((h) => r[h])))].join('\n');
}
