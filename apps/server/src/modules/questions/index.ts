import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import type { ModuleDefinition } from '../../platform/modules/registry.js';
import { BanksService, type Audit, type CourseAccess } from './banks.service.js';
import { SqlQuestionCatalog } from './catalog.sql.js';
import { QuestionsRepository } from './questions.repository.js';
import { QuestionsExporter } from './questions.export.js';
import { QuestionsImporter } from './questions.import.js';
import { questionsImportRoutes } from './questions-import.routes.js';
import { questionsRoutes } from './questions.routes.js';
import { QuestionsService } from './questions.service.js';
import { chunkLookupFromDb, type ChunkLookup } from './sources.js';

export type { CatalogEntry, CatalogFilter, PinnedVersion, QuestionCatalog } from './catalog.js';
export type { CourseAccess } from './banks.service.js';
export type { ChunkLookup } from './sources.js';
export type { NewQuestion, QuestionPatch } from './questions.service.js';
export { BanksService } from './banks.service.js';
export { QuestionsService } from './questions.service.js';
export { canonicalJson, hashContent, normaliseContent, BLANK, countBlanks } from './content.js';
export { sanitizeRich, htmlToText } from './sanitize.js';

export interface QuestionsDeps {
  db: Kysely<DB>;
  audit: Audit;
  /** Whether the actor may see a course (a bank may be tied to one): the courses module's CoursesService. */
  courses: CourseAccess;
  /** Where source citations are checked; defaults to reading the courses module's chunk rows. */
  chunks?: ChunkLookup;
}

export function createQuestions(deps: QuestionsDeps) {
  const repo = new QuestionsRepository(deps.db);
  const banks = new BanksService(repo, deps.courses, deps.audit);
  const service = new QuestionsService(repo, banks, deps.chunks ?? chunkLookupFromDb(deps.db), deps.audit);
  const importer = new QuestionsImporter(repo, banks, service, deps.audit);
  const exporter = new QuestionsExporter(repo, banks, deps.audit);
  const catalog = new SqlQuestionCatalog(deps.db);

  const module: ModuleDefinition = {
    name: 'questions',
    description: 'Question banks, immutable question versions, Excel / GIFT / Moodle XML import and export, the question catalog',
    dependsOn: ['system', 'audit', 'identity', 'courses'],
    routes: async (app: FastifyInstance) => {
      await app.register(questionsRoutes(banks, service));
      await app.register(questionsImportRoutes(importer, exporter));
    },
  };
  return { service, banks, catalog, importer, exporter, module };
}
