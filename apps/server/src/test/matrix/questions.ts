import type { Entry } from './types.js';

/** Authorisation-matrix entries for the questions module's routes (merged by authorization-matrix.int.test.ts). */
export const QUESTIONS_MATRIX: Record<string, Entry> = {};
