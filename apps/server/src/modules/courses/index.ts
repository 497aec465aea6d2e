import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../../platform/db/schema.js';
import type { EventBus } from '../../platform/events/event-bus.js';
import type { ModuleDefinition } from '../../platform/modules/registry.js';
import type { JobQueue } from '../../platform/queue/types.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import { CoursesRepository } from './courses.repository.js';
import { coursesRoutes } from './courses.routes.js';
import { CoursesService } from './courses.service.js';
import { KnowledgePointsRepository } from './knowledge-points.repository.js';
import { KnowledgePointsService } from './knowledge-points.service.js';
import { LearningRepository } from './learning.repository.js';
import { learningRoutes } from './learning.routes.js';
import { LearningService, type DepartmentLookup } from './learning.service.js';
import { MaterialsRepository } from './materials.repository.js';
import { materialsRoutes } from './materials.routes.js';
import { MaterialsService } from './materials.service.js';
import { SearchService } from './search.service.js';

export { seedDemoCourse } from './courses.seed.js';
export type { DepartmentLookup } from './learning.service.js';
export type { MaterialsRepository, MaterialRow, ChunkRow } from './materials.repository.js';
export type { KnowledgePointsRepository } from './knowledge-points.repository.js';
export type { CoursesService } from './courses.service.js';

export interface CoursesDeps {
  db: Kysely<DB>;
  files: FileStore;
  queue: JobQueue;
  events: EventBus;
  logger: Logger;
  departments: DepartmentLookup;
  maxUploadBytes: number;
}

export function createCourses(deps: CoursesDeps) {
  const coursesRepo = new CoursesRepository(deps.db);
  const materialsRepo = new MaterialsRepository(deps.db);
  const learningRepo = new LearningRepository(deps.db);
  const courses = new CoursesService(coursesRepo, materialsRepo, learningRepo);
  const materials = new MaterialsService(materialsRepo, courses, deps.files, deps.queue, deps.events, deps.logger);
  const learning = new LearningService(learningRepo, coursesRepo, courses, materialsRepo, deps.departments);
  const search = new SearchService(materialsRepo, coursesRepo, courses, deps.events, deps.logger);
  const knowledgePointsRepo = new KnowledgePointsRepository(deps.db);
  const knowledgePoints = new KnowledgePointsService(knowledgePointsRepo, materialsRepo, courses, deps.events);

  deps.queue.register('content.extract', (ctx) => materials.extract(ctx));

  const module: ModuleDefinition = {
    name: 'courses',
    description: 'Courses, materials and text extraction, search, knowledge points, assignments and progress',
    dependsOn: ['system', 'identity'],
    routes: async (app: FastifyInstance) => {
      await app.register(coursesRoutes(courses));
      await app.register(materialsRoutes(materials, learning, deps.maxUploadBytes));
      await app.register(learningRoutes(learning, search, knowledgePoints));
    },
  };
  /** Read access for modules that build on the material text (question generation). */
  const repositories = { materials: materialsRepo, knowledgePoints: knowledgePointsRepo };
  return { courses, materials, learning, search, knowledgePoints, repositories, module };
}
