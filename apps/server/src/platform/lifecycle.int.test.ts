import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isolatedEnv } from '../test/harness.js';
import { loadConfig } from '../config.js';
import { createContainer } from '../container.js';

describe('graceful shutdown', () => {
  it('finishes the request and the job in flight when SIGTERM arrives, then exits 0', async () => {
    const t = await isolatedEnv({ LOG_LEVEL: 'info', SHUTDOWN_TIMEOUT_MS: '10000' });
    const fixture = fileURLToPath(new URL('../test/fixtures/slow-server.ts', import.meta.url));
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', fixture], {
      env: { ...process.env, ...t.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start:\n${lines.join('\n')}`)), 20_000);
        createInterface({ input: child.stdout! }).on('line', (line) => {
          lines.push(line);
          const ready = /"ready":"([^"]+)"/.exec(line);
          if (ready) {
            clearTimeout(timer);
            resolve(ready[1]!);
          }
        });
      });

      const job = (await (await fetch(`${url}/api/v1/test/job`, { method: 'POST' })).json()) as { id: string };
      const inFlight = fetch(`${url}/api/v1/test/slow`);
      await new Promise((r) => setTimeout(r, 300));
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));

      // New connections are refused (or told the server is closing) while the old request runs on.
      const late = await fetch(`${url}/health/live`).then(
        (r) => r.status,
        () => 'refused',
      );
      expect([503, 'refused']).toContain(late);

      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ finished: true });
      const code = await exited;
      if (code !== 0) console.log(lines.join("\n"));
      expect(code).toBe(0);
      expect(lines.some((l) => l.includes('"msg":"shutdown complete"'))).toBe(true);

      // Read the job back through the same queue port (database or BullMQ) in a fresh container.
      const after = await createContainer(loadConfig(t.env), { migrate: false });
      const view = await after.queue.get(job.id);
      await after.close();
      expect(view).toMatchObject({ status: 'completed', result: 'job finished' });
    } finally {
      child.kill('SIGKILL');
      await t.cleanup();
    }
  }, 40_000);
});
