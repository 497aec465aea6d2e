import type { Entry } from './types.js';

/** Authorisation-matrix entries for the exams module's routes (merged by authorization-matrix.int.test.ts). */
export const EXAMS_MATRIX: Record<string, Entry> = {};
