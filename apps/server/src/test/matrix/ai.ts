import type { Entry } from './types.js';

/** Authorisation-matrix entries for the ai module's routes (merged by authorization-matrix.int.test.ts). */
export const AI_MATRIX: Record<string, Entry> = {};
