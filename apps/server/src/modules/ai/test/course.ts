import type { Session, TestApp } from '../../../test/harness.js';

const MATERIAL = [
  '# 个人信息保护法（节选）',
  '',
  '第二十八条 敏感个人信息是一旦泄露或者非法使用，容易导致自然人的人格尊严受到侵害或者人身、财产安全受到危害的个人信息。',
  '',
  '第二十九条 处理敏感个人信息应当取得个人的单独同意；法律、行政法规规定处理敏感个人信息应当取得书面同意的，从其规定。',
  '',
  '第四十七条 有下列情形之一的，个人信息处理者应当主动删除个人信息；个人信息处理者未删除的，个人有权请求删除。',
].join('\n');

/** A published course with one extracted Markdown material, assigned to the given learner. */
export async function seedCourse(t: TestApp, s: { admin: Session; instructor: Session }, learnerId: string): Promise<{ courseId: string; materialId: string }> {
  const as = async (who: Session, method: 'POST' | 'PATCH', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: who.headers, payload: payload as object });
  t.container.queue.start();
  const courseId = (await as(s.instructor, 'POST', '/api/v1/courses', { title: '个人信息保护合规' })).json().id as string;
  const fd = new FormData();
  fd.append('file', new Blob([MATERIAL]), 'pipl.md');
  const upload = await t.app.inject({ method: 'POST', url: `/api/v1/courses/${courseId}/materials`, headers: s.admin.headers, payload: fd });
  const materialId = upload.json().id as string;
  for (let i = 0; i < 200; i++) {
    const m = await t.app.inject({ method: 'GET', url: `/api/v1/materials/${materialId}`, headers: s.admin.headers });
    if (m.json().status !== 'processing') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await as(s.instructor, 'PATCH', `/api/v1/courses/${courseId}`, { status: 'published' });
  await as(s.instructor, 'POST', `/api/v1/courses/${courseId}/assignments`, { userIds: [learnerId] });
  return { courseId, materialId };
}
