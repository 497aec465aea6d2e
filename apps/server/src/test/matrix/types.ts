import type { Session, TestApp } from '../harness.js';

/** Shapes shared by the authorisation matrix and its per-module partials (one file per module). */
export interface Req {
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}
export interface Entry {
  /** A request that succeeds for any role holding the permission (may create fresh targets first). */
  ok: (ctx: Ctx) => Promise<Req> | Req;
  okStatus?: number[];
  /** The same request aimed at a record outside the manager's subtree. */
  outsideManagerScope?: (ctx: Ctx) => Promise<Req> | Req;
}
export interface Ctx {
  t: TestApp;
  s: Record<'admin' | 'manager' | 'instructor' | 'learner', Session>;
  insideUserId: string;
  insideDeptId: string;
  outsideUserId: string;
  outsideDeptId: string;
  newDepartment: () => Promise<string>;
  courseId: string;
  chapterId: string;
  materialId: string;
  newChapter: () => Promise<string>;
  newMaterial: () => Promise<string>;
  newKnowledgePoint: () => Promise<string>;
}

let seq = 0;
export const unique = () => `${Date.now().toString(36)}${seq++}`;
