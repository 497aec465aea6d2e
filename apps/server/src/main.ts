import { ConfigError, loadConfig } from './config.js';
import { createContainer } from './container.js';
import { handleSignals, PROCESS_ROLES, startProcess, type ProcessRole } from './platform/lifecycle.js';

/** Process entry: `node dist/main.js web|worker|scheduler|all`. */
async function main(): Promise<void> {
  const role = (process.argv[2] ?? 'all') as ProcessRole;
  if (!PROCESS_ROLES.includes(role)) {
    console.error(`Unknown process role "${role}". Use one of: ${PROCESS_ROLES.join(', ')}.`);
    process.exit(2);
  }
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const container = await createContainer(config);
  try {
    const proc = await startProcess(container, role);
    handleSignals(proc, container);
  } catch (err) {
    container.logger.fatal({ err }, 'failed to start');
    await container.close().catch(() => undefined);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
