import { statfs } from 'node:fs/promises';
import type { ComponentHealth } from '@kpl/shared';

export type Check = () => Promise<ComponentHealth>;

/** Runs a probe with a deadline; a slow dependency is as bad as a dead one for readiness. */
export function probe(fn: () => Promise<unknown>, timeoutMs = 2000): Check {
  return async () => {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        fn(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      return { status: 'up', latencyMs: Math.round(performance.now() - started) };
    } catch (err) {
      return {
        status: 'down',
        latencyMs: Math.round(performance.now() - started),
        detail: err instanceof Error ? err.message : String(err),
      };
    } finally {
      clearTimeout(timer);
    }
  };
}

export function diskCheck(dir: string, minFreeBytes: number): Check {
  return async () => {
    try {
      const s = await statfs(dir);
      const free = s.bavail * s.bsize;
      const detail = `${Math.round(free / 1024 / 1024)} MiB free`;
      return free >= minFreeBytes ? { status: 'up', detail } : { status: 'down', detail: `${detail}, below the minimum` };
    } catch (err) {
      return { status: 'down', detail: err instanceof Error ? err.message : String(err) };
    }
  };
}

export async function runChecks(checks: Record<string, Check>): Promise<Record<string, ComponentHealth>> {
  const entries = await Promise.all(Object.entries(checks).map(async ([name, c]) => [name, await c()] as const));
  return Object.fromEntries(entries);
}
