import { parseArgs } from 'node:util';
import { roleSchema } from '@kpl/shared';
import { ConfigError, loadConfig } from '../config.js';
import { createContainer } from '../container.js';
import { seedDemoCourse } from '../modules/courses/index.js';
import { DEMO_EXAM_TITLE, demoMaterialsPending, seedDemoExam, waitForDemoMaterials } from '../modules/exams/index.js';
import { seedDemoOrganisation } from '../modules/identity/index.js';
import { migrateToLatest } from '../platform/db/migrator.js';
import { collectHealth, formatTable } from './health-check.js';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  migrate                         apply pending database migrations
  seed                            create the demo organisation, course and exam (each skipped when it exists)
  create-admin --username U --password P [--name N]
                                  create an administrator account
  health-check [--url URL]        call every health endpoint of a running server
                                  (default http://localhost:$PORT) and print a table`;

async function withContainer<T>(fn: (c: Awaited<ReturnType<typeof createContainer>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const c = await createContainer({ ...config, LOG_LEVEL: 'warn' }, { migrate: true });
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      url: { type: 'string' },
    },
    allowPositionals: false,
  });
  switch (command) {
    case 'migrate': {
      const config = loadConfig();
      const c = await createContainer({ ...config, LOG_LEVEL: 'warn' }, { migrate: false });
      try {
        const { applied } = await migrateToLatest(c.database.db);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
      } finally {
        await c.close();
      }
      return 0;
    }
    case 'seed':
      return withContainer(async (c) => {
        const out = await seedDemoOrganisation(c.database.db, c.identity.departments, c.config.SEED_PASSWORD);
        console.log(out.seeded ? `Seeded the demo organisation: ${out.users} users.` : 'Users already exist; demo data not seeded.');
        const course = await seedDemoCourse(c.database.db, c.courses.materials, c.courses.learning);
        if (course.seeded) console.log('Seeded the demo course 《个人信息保护法》合规培训.');
        // The demo question bank cites the course material: extract it here, as a worker would, first.
        if (await demoMaterialsPending(c.database.db)) {
          c.queue.start();
          if (!(await waitForDemoMaterials(c.database.db, 120_000))) console.log('The course material is still being extracted; the demo questions are seeded without source citations.');
        }
        const exam = await seedDemoExam({ db: c.database.db, questions: c.questions, knowledgePoints: c.courses.knowledgePoints, papers: c.exams.papers, exams: c.exams.exams });
        if (exam.seeded) console.log(`Seeded the demo exam ${DEMO_EXAM_TITLE}: a bank of ${exam.questions} questions (${exam.cited} with source citations), a random paper, open for 30 days.`);
        return 0;
      });
    case 'create-admin': {
      if (!values.username || !values.password) {
        console.error('create-admin needs --username and --password.');
        return 2;
      }
      if (values.password.length < 8) {
        console.error('The password must be at least 8 characters.');
        return 2;
      }
      const { username, password } = values;
      return withContainer(async (c) => {
        await c.identity.usersService.create(null, { username, password, displayName: values.name ?? username, role: roleSchema.enum.admin });
        console.log(`Administrator "${username}" created.`);
        return 0;
      });
    }
    case 'health-check': {
      const url = values.url ?? `http://localhost:${process.env.PORT ?? 3000}`;
      const rows = await collectHealth(url);
      console.log(formatTable(rows));
      const bad = rows.filter((r) => r.status !== 'up');
      console.log(bad.length ? `\n${bad.length} component(s) not healthy.` : '\nAll components healthy.');
      return bad.length ? 1 : 0;
    }
    default:
      console.error(command ? `Unknown command "${command}".\n\n${USAGE}` : USAGE);
      return 2;
  }
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError) console.error(err.message);
    else console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
