import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../app.js';
import type { Container } from '../container.js';

export const PROCESS_ROLES = ['web', 'worker', 'scheduler', 'all'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export interface RunningProcess {
  app: FastifyInstance | null;
  /** Address the web role listens on, e.g. http://127.0.0.1:3000. */
  url: string | null;
  /** Settles when the modules' worker start-up tasks (`onWorkerStart`) have run; at once for other roles. */
  startupTasks: Promise<void>;
  /** Stop accepting work, let in-flight requests and jobs finish (bounded), close pools. Idempotent. */
  shutdown(reason: string): Promise<void>;
}

export async function startProcess(c: Container, role: ProcessRole, appOptions: AppOptions = {}): Promise<RunningProcess> {
  const web = role === 'web' || role === 'all';
  const worker = role === 'worker' || role === 'all';
  const scheduler = role === 'scheduler' || role === 'all';

  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (web) {
    app = await buildApp(c, appOptions);
    url = await app.listen({ port: c.config.PORT, host: c.config.HOST });
    c.courses.search.warm();
  }
  if (worker) c.queue.start();
  if (scheduler) await c.scheduler.start();
  c.logger.info({ role, url, queue: c.queue.kind, database: c.database.dialect }, 'process started');
  // In the background: a long catch-up must not hold up start (or the signal handlers after it).
  const startupTasks = worker ? runWorkerStartTasks(c) : Promise.resolve();

  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      c.logger.info({ reason }, 'shutting down');
      c.lifecycle.draining = true;
      // Fastify stops accepting connections and waits for requests in flight.
      if (app) await app.close();
      await startupTasks;
      await c.close();
      c.logger.info('shutdown complete');
    })();
    return stopping;
  };
  return { app, url, startupTasks, shutdown };
}

/** Each module's `onWorkerStart`, one after another; a failure is logged and the rest still run. */
async function runWorkerStartTasks(c: Container): Promise<void> {
  for (const m of c.modules) {
    if (!m.onWorkerStart) continue;
    try {
      await m.onWorkerStart();
    } catch (err) {
      c.logger.error({ err, module: m.name }, 'worker start-up task failed');
    }
  }
}

/** SIGTERM/SIGINT run a graceful shutdown; if it overruns the timeout the process exits anyway. */
export function handleSignals(proc: RunningProcess, c: Container): void {
  const onSignal = (signal: NodeJS.Signals) => {
    const timer = setTimeout(() => {
      c.logger.error({ timeoutMs: c.config.SHUTDOWN_TIMEOUT_MS }, 'graceful shutdown timed out; exiting');
      process.exit(1);
    }, c.config.SHUTDOWN_TIMEOUT_MS + 2000);
    timer.unref();
    proc.shutdown(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        c.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
