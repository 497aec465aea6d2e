/**
 * The real server for browser journeys: the built server (apps/server/dist) on a fresh SQLite
 * database in a temp folder, seeded with the demo organisation and demo course, serving the built
 * web app (apps/web/dist). Nothing is faked.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = join(ROOT, 'artifacts/screenshots');
export const SEED_PASSWORD = 'Demo@12345';
const SERVER_MAIN = join(ROOT, 'apps/server/dist/main.js');
const SERVER_CLI = join(ROOT, 'apps/server/dist/cli/index.js');
const WEB_INDEX = join(ROOT, 'apps/web/dist/index.html');

export interface RealServer {
  baseUrl: string;
  /** Every line the server wrote, for asserting it logged no errors. */
  log: string[];
  /** The server's DATA_DIR, also a scratch folder for the test. */
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts the server and resolves with its URL once it logs `process started`. */
function startServer(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; baseUrl: string; log: string[] }> {
  const child = spawn(process.execPath, [SERVER_MAIN, 'all'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The server did not start in time:\n${log.join('\n')}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The server exited with ${code} before starting:\n${log.join('\n')}`));
    });
    child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    // Keep reading stdout for the whole run: a full pipe would stall the server.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'process started' && entry.url) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          resolve({ child, baseUrl: entry.url, log });
        }
      } catch {
        // not a JSON log line
      }
    });
  });
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Checks the builds exist, seeds a fresh database and starts the server on a free port. */
export async function startRealServer(name: string): Promise<RealServer> {
  for (const [file, build] of [
    [WEB_INDEX, 'npm run build -w @kpl/web'],
    [SERVER_MAIN, 'npm run build -w @kpl/shared && npm run build -w @kpl/server'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${file} is missing. Run \`${build}\` first.`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), `kpl-e2e-${name}-`));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: `sqlite:${join(dataDir, 'e2e.db')}`,
    LOG_LEVEL: 'info',
    RATE_LIMIT_MAX: '100000',
    LOGIN_RATE_LIMIT_MAX: '100000',
    SEED_PASSWORD,
  };
  delete env.REDIS_URL; // the in-process queue and cache: nothing outside this test
  const seed = spawnSync(process.execPath, [SERVER_CLI, 'seed'], { env, encoding: 'utf8' });
  if (seed.status !== 0) throw new Error(`Seeding failed:\n${seed.stdout}\n${seed.stderr}`);
  const { child, baseUrl, log } = await startServer(env);
  return {
    baseUrl,
    log,
    dataDir,
    async stop() {
      await stopServer(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
