import type { Redis } from 'ioredis';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { MemoryCache, RedisCache, type Cache } from './platform/cache/cache.js';
import { createDatabase, type Database } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrator.js';
import { MemoryEventBus, RedisEventBus, type EventBus } from './platform/events/event-bus.js';
import { loggerOptions } from './platform/logger.js';
import { Metrics } from './platform/metrics/metrics.js';
import { resolveModuleOrder, type ModuleDefinition } from './platform/modules/registry.js';
import { BullmqQueue } from './platform/queue/bullmq-queue.js';
import { DatabaseQueue } from './platform/queue/database-queue.js';
import type { JobQueue } from './platform/queue/types.js';
import { createRedis } from './platform/redis.js';
import { BullmqScheduler, TimerScheduler, type Scheduler } from './platform/scheduler/scheduler.js';
import { createIdentity } from './modules/identity/index.js';
import { createSystem } from './modules/system/index.js';
import { createAudit } from './modules/audit/index.js';
import { createCourses } from './modules/courses/index.js';
import { createQuestions } from './modules/questions/index.js';
import { createGeneration } from './modules/generation/index.js';
import { createAi } from './modules/ai/index.js';
import { createExams } from './modules/exams/index.js';
import { createWrongAnswers } from './modules/wrong-answers/index.js';
import { LocalFileStore, type FileStore } from './platform/storage/file-store.js';
import { join } from 'node:path';

/** Everything a process needs, wired once from config. Tests build one per case. */
export interface Container {
  config: Config;
  logger: Logger;
  database: Database;
  redis: Redis | null;
  cache: Cache;
  events: EventBus;
  queue: JobQueue;
  scheduler: Scheduler;
  metrics: Metrics;
  modules: ModuleDefinition[];
  moduleOrder: string[];
  identity: ReturnType<typeof createIdentity>;
  audit: ReturnType<typeof createAudit>;
  courses: ReturnType<typeof createCourses>;
  ai: ReturnType<typeof createAi>;
  questions: ReturnType<typeof createQuestions>;
  generation: ReturnType<typeof createGeneration>;
  exams: ReturnType<typeof createExams>;
  wrongAnswers: ReturnType<typeof createWrongAnswers>;
  files: FileStore;
  /** Set when shutdown begins: readiness turns 503 so load balancers stop sending traffic. */
  lifecycle: { draining: boolean };
  close(): Promise<void>;
}

export interface ContainerOptions {
  logger?: Logger;
  /** Run pending migrations while building (default: config.MIGRATE_ON_BOOT). */
  migrate?: boolean;
}

export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const logger = options.logger ?? pino(loggerOptions(config.LOG_LEVEL));
  for (const w of config.warnings) logger.warn(w);

  const database = createDatabase(config.DATABASE_URL);
  if (options.migrate ?? config.MIGRATE_ON_BOOT) {
    const { applied } = await migrateToLatest(database.db);
    if (applied.length > 0) logger.info({ migrations: applied }, 'database migrated');
  }

  const metrics = new Metrics();
  const observer = { onOutcome: metrics.recordJob.bind(metrics) };
  const prefix = config.QUEUE_PREFIX;

  let redis: Redis | null = null;
  let subscriber: Redis | null = null;
  let cache: Cache;
  let events: EventBus;
  let queue: JobQueue;
  let scheduler: Scheduler;
  if (config.REDIS_URL) {
    redis = createRedis(config.REDIS_URL, 'main');
    subscriber = createRedis(config.REDIS_URL, 'events');
    redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection problem'));
    subscriber.on('error', (err) => logger.warn({ err: err.message }, 'redis subscriber connection problem'));
    await Promise.all([redis.connect(), subscriber.connect()]).catch((err: unknown) =>
      logger.error({ err }, 'redis is unreachable at boot; retrying in the background'),
    );
    cache = new RedisCache(redis, prefix);
    const bus = new RedisEventBus(redis, subscriber, prefix, logger);
    await bus.connect().catch(() => undefined);
    events = bus;
    queue = new BullmqQueue({ connection: redis, prefix, concurrency: config.WORKER_CONCURRENCY, logger, observer });
    scheduler = new BullmqScheduler(redis, prefix, logger);
  } else {
    cache = new MemoryCache();
    events = new MemoryEventBus(logger);
    queue = new DatabaseQueue(database.db, {
      concurrency: config.WORKER_CONCURRENCY,
      leaseMs: config.JOB_LEASE_MS,
      logger,
      observer,
    });
    scheduler = new TimerScheduler(logger);
  }
  metrics.observeRuntime({ pool: () => database.poolStats(), queue });

  const system = createSystem({ db: database.db, queue, scheduler });
  const audit = createAudit(database.db);
  const identity = createIdentity({
    db: database.db,
    cache,
    settings: system.settings,
    audit: audit.service,
    scheduler,
    jwtSecret: config.JWT_SECRET,
    loginRateLimit: config.LOGIN_RATE_LIMIT_MAX,
  });
  const files = new LocalFileStore(join(config.dataDir, 'files'));
  const courses = createCourses({
    db: database.db,
    files,
    queue,
    events,
    logger,
    departments: identity.departmentLookup,
    maxUploadBytes: config.MATERIAL_MAX_BYTES,
  });
  const ai = createAi({ db: database.db, events, logger, registry: metrics.registry, encryptionKey: config.encryptionKey, search: courses.search, audit: audit.service });
  const questions = createQuestions({ db: database.db, audit: audit.service, courses: courses.courses });
  const generation = createGeneration({
    db: database.db,
    queue,
    ai: ai.capabilities,
    courses: courses.courses,
    materials: courses.repositories.materials,
    knowledgePoints: courses.repositories.knowledgePoints,
    questions: questions.service,
    banks: questions.banks,
    catalog: questions.catalog,
  });
  const wrongAnswers = createWrongAnswers({ db: database.db, queue, catalog: questions.catalog, logger });
  const exams = createExams({
    db: database.db,
    catalog: questions.catalog,
    departments: identity.departmentLookup,
    audit: audit.service,
    queue,
    scheduler,
    events,
    logger,
    graceMs: config.EXAM_GRACE_MS,
    grader: ai.capabilities,
    // Graded attempts feed the wrong-answer book through a durable job (not a broadcast event).
    onAttemptGraded: (g) => wrongAnswers.onAttemptGraded(g),
  });
  const modules = [system.module, audit.module, identity.module, courses.module, ai.module, questions.module, generation.module, exams.module, wrongAnswers.module];
  const moduleOrder = resolveModuleOrder(modules);

  let closed = false;
  return {
    config,
    logger,
    database,
    redis,
    cache,
    events,
    queue,
    scheduler,
    metrics,
    modules,
    moduleOrder,
    identity,
    audit,
    courses,
    ai,
    questions,
    generation,
    exams,
    wrongAnswers,
    files,
    lifecycle: { draining: false },
    async close() {
      if (closed) return;
      closed = true;
      courses.search.stop();
      await scheduler.stop().catch((err: unknown) => logger.warn({ err }, 'scheduler stop failed'));
      await queue.stop(config.SHUTDOWN_TIMEOUT_MS).catch((err: unknown) => logger.warn({ err }, 'queue stop failed'));
      await ai.close().catch((err: unknown) => logger.warn({ err }, 'ai usage flush failed'));
      await events.close();
      await cache.close();
      await Promise.all([redis?.quit().catch(() => redis?.disconnect()), subscriber?.quit().catch(() => subscriber?.disconnect())]);
      await database.close();
    },
  };
}
