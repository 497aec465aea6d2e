import type { Migration } from 'kysely';
import * as m0001 from './0001_platform.js';
import * as m0002 from './0002_organisation.js';
import * as m0003 from './0003_identity.js';
import * as m0004 from './0004_audit.js';
import * as m0005 from './0005_courses.js';
import * as m0006 from './0006_questions.js';
import * as m0007 from './0007_exams.js';
import * as m0008 from './0008_ai.js';
import * as m0009 from './0009_generation.js';
import * as m0010 from './0010_wrong_answers.js';
import * as m0011 from './0011_exam_regrade.js';

/**
 * Forward-only: migrations are append-only and have no `down`. A static list (not a folder scan)
 * so the compiled build and the tests see exactly the same set.
 */
export const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0002_organisation': m0002,
  '0003_identity': m0003,
  '0004_audit': m0004,
  '0005_courses': m0005,
  '0006_questions': m0006,
  '0007_exams': m0007,
  '0008_ai': m0008,
  '0009_generation': m0009,
  '0010_wrong_answers': m0010,
  '0011_exam_regrade': m0011,
};
