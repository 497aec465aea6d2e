import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.js';
import { newId, now } from '../../platform/ids.js';
import { seedActor } from '../identity/index.js';
import type { LearningService } from './learning.service.js';
import type { MaterialsService } from './materials.service.js';

/** The sample statute shipped with the project, in three formats. */
export const SAMPLE_DIR = fileURLToPath(new URL('../../../fixtures/samples/', import.meta.url));
const SAMPLES = [
  { file: 'pipl.md', title: '个人信息保护法（Markdown 版）' },
  { file: 'pipl.docx', title: '个人信息保护法（Word 版）' },
  { file: 'pipl.pdf', title: '个人信息保护法（PDF 版）' },
];

/**
 * The demo course: 《个人信息保护法》合规培训, its three sample files uploaded through the same
 * path as a person's upload (the worker extracts them), assigned to the learners' departments.
 * Idempotent: skipped when any course exists.
 */
export async function seedDemoCourse(db: Kysely<DB>, materials: MaterialsService, learning: LearningService): Promise<{ seeded: boolean }> {
  if (await db.selectFrom('courses').select('id').limit(1).executeTakeFirst()) return { seeded: false };
  const actor = await seedActor(db, 'instructor');
  if (!actor) return { seeded: false };
  const courseId = newId();
  const chapterId = newId();
  const t = now();
  await db
    .insertInto('courses')
    .values({
      id: courseId,
      title: '《个人信息保护法》合规培训',
      description: '面向全体员工的个人信息保护合规课程：处理规则、敏感个人信息、跨境提供、个人权利与法律责任。',
      cover: null,
      category: '合规',
      tags: JSON.stringify(['合规', '个人信息', '法律法规']),
      owner_id: actor.id,
      status: 'published',
      created_at: t,
      updated_at: t,
    })
    .execute();
  await db.insertInto('chapters').values({ id: chapterId, course_id: courseId, title: '法律原文', sort_order: 0, created_at: t, updated_at: t }).execute();
  for (const s of SAMPLES) {
    await materials.upload(actor, courseId, { filename: s.file, data: readFileSync(`${SAMPLE_DIR}${s.file}`) }, { title: s.title, chapterId });
  }
  const learnerDepartments = await db
    .selectFrom('users')
    .select('department_id')
    .distinct()
    .where('role', '=', 'learner')
    .where('department_id', 'is not', null)
    .execute();
  await learning.assign(actor, courseId, {
    departmentIds: learnerDepartments.map((d) => d.department_id!),
    userIds: [],
    dueAt: t + 30 * 24 * 3600 * 1000,
    required: true,
  });
  return { seeded: true };
}
