import type { Entry } from './types.js';

/** Authorisation-matrix entries for the generation module's routes (merged by authorization-matrix.int.test.ts). */
export const GENERATION_MATRIX: Record<string, Entry> = {};
