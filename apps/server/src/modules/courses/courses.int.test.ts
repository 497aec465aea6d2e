import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { courseDetailSchema, materialSchema, searchResultSchema } from '@kpl/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { SAMPLE_DIR } from './courses.seed.js';
import { zipOf } from '../../test/fixtures/zip.js';

const sample = (name: string) => readFileSync(join(SAMPLE_DIR, name));

function form(file: Buffer, filename: string, fields: Record<string, string> = {}): FormData {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  fd.append('file', new Blob([new Uint8Array(file)]), filename);
  return fd;
}

describe('courses, materials and learning', () => {
  let t: TestApp;
  let s: Record<'admin' | 'manager' | 'instructor' | 'learner01' | 'learner04', Session>;
  let courseId: string;
  let materialId: string;

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, who: Session, payload?: unknown) =>
    t.app.inject({ method, url, headers: who.headers, payload: payload as object });
  const upload = (who: Session, course: string, file: Buffer, filename: string, fields?: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: `/api/v1/courses/${course}/materials`, headers: who.headers, payload: form(file, filename, fields) });

  async function waitReady(id: string, who: Session) {
    const until = Date.now() + 60_000;
    for (;;) {
      const m = materialSchema.parse((await call('GET', `/api/v1/materials/${id}`, who)).json());
      if (m.status !== 'processing') return m;
      if (Date.now() > until) throw new Error('material still processing');
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    t = await createTestApp({ MATERIAL_MAX_BYTES: String(2 * 1024 * 1024) });
    s = await seedAndLogin(t, ['admin', 'manager', 'instructor', 'learner01', 'learner04']);
    t.container.queue.start();
  });
  afterAll(() => t.close());

  it('lets an instructor create a course and chapter, and upload material that is extracted in the background', async () => {
    const created = await call('POST', '/api/v1/courses', s.instructor, { title: '个人信息保护法培训', description: '合规必修', category: '合规', tags: ['合规'] });
    expect(created.statusCode).toBe(201);
    courseId = created.json().id;
    expect(created.json().status).toBe('draft');
    const chapter = await call('POST', `/api/v1/courses/${courseId}/chapters`, s.instructor, { title: '法律原文' });
    expect(chapter.statusCode).toBe(201);

    const res = await upload(s.instructor, courseId, sample('pipl.md'), 'pipl.md', { chapterId: chapter.json().id, title: '个人信息保护法' });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ status: 'processing', kind: 'markdown', title: '个人信息保护法' });
    materialId = res.json().id;
    const ready = await waitReady(materialId, s.instructor);
    expect(ready).toMatchObject({ status: 'ready', progress: 100, error: null });
    expect(ready.chunkCount).toBeGreaterThan(20);

    const detail = courseDetailSchema.parse((await call('GET', `/api/v1/courses/${courseId}`, s.instructor)).json());
    expect(detail.chapters[0]!.materials.map((m) => m.id)).toEqual([materialId]);
  });

  it('serves the extracted text with its outline and the original file', async () => {
    const text = (await call('GET', `/api/v1/materials/${materialId}/text`, s.instructor)).json();
    expect(text.text).toContain('第七十四条');
    expect(text.outline.map((o: { title: string }) => o.title)).toEqual(expect.arrayContaining(['第一章 总则']));
    const file = await call('GET', `/api/v1/materials/${materialId}/file`, s.instructor);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(sample('pipl.md'))).toBe(true);
    expect(file.headers['content-disposition']).toContain('pipl.md');
  });

  it('extracts the DOCX and PDF samples too', async () => {
    for (const name of ['pipl.docx', 'pipl.pdf']) {
      const res = await upload(s.instructor, courseId, sample(name), name);
      expect(res.statusCode, res.body).toBe(202);
      const m = await waitReady(res.json().id, s.instructor);
      expect(m.status, `${name}: ${m.error}`).toBe('ready');
      expect(m.chunkCount).toBeGreaterThan(20);
    }
  });

  it('rejects bad uploads with a clear code and leaves no record or file behind', async () => {
    const before = (await call('GET', `/api/v1/courses/${courseId}`, s.instructor)).json().looseMaterials.length;
    const filesDir = join(t.config.dataDir, 'files', 'materials', courseId);
    const filesBefore = readdirSync(filesDir).length;
    const cases: [Buffer, string, number, string][] = [
      [Buffer.alloc(0), 'empty.pdf', 400, 'ERR-CONTENT-0001'],
      [Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...Array(200).fill(0)]), 'tool.pdf', 415, 'ERR-CONTENT-0002'],
      [Buffer.concat([Buffer.from('%PDF-1.6\n'), Buffer.alloc(3000, 1)]), 'broken.pdf', 400, 'ERR-CONTENT-0003'],
      [Buffer.alloc(3 * 1024 * 1024, 0x61), 'huge.txt', 413, 'ERR-COMMON-0004'],
      [sample('pipl.pdf').subarray(0, 80_000), 'cut.pdf', 400, 'ERR-CONTENT-0003'],
      [sample('encrypted.pdf'), 'secret.pdf', 400, 'ERR-CONTENT-0004'],
      [zipOf([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'word/document.xml', data: Buffer.alloc(120 * 1024 * 1024, 0x20) }]), 'bomb.docx', 400, 'ERR-CONTENT-0005'],
      [zipOf([{ name: '[Content_Types].xml', data: Buffer.from('<Types/>') }, { name: 'word/other.xml', data: Buffer.from('<x/>') }]), 'hollow.docx', 400, 'ERR-CONTENT-0003'],
      [Buffer.from('hello'), 'x.exe', 400, 'ERR-CONTENT-0006'],
      [Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200)]), 'pic.md', 415, 'ERR-CONTENT-0002'],
    ];
    for (const [data, name, status, code] of cases) {
      const res = await upload(s.instructor, courseId, data, name);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.json().error.code, name).toBe(code);
    }
    const noFile = await t.app.inject({ method: 'POST', url: `/api/v1/courses/${courseId}/materials`, headers: s.instructor.headers, payload: { file: 'x' } });
    expect(noFile.statusCode).toBe(415);
    expect((await call('GET', `/api/v1/courses/${courseId}`, s.instructor)).json().looseMaterials.length).toBe(before);
    expect(readdirSync(filesDir).length).toBe(filesBefore);
  });

  it('keeps drafts private, lets only owners edit, and shows learners only assigned published courses', async () => {
    expect((await call('GET', `/api/v1/courses/${courseId}`, s.learner01)).statusCode).toBe(404);
    expect((await call('GET', `/api/v1/courses/${courseId}`, s.manager)).statusCode).toBe(404);
    expect((await call('PATCH', `/api/v1/courses/${courseId}`, s.admin, { category: '合规与风控' })).statusCode).toBe(200);
    const early = await call('POST', `/api/v1/courses/${courseId}/assignments`, s.instructor, { departmentIds: [], userIds: [s.learner01.userId] });
    expect(early.json().error.code).toBe('ERR-COURSE-0004');
    expect((await call('PATCH', `/api/v1/courses/${courseId}`, s.instructor, { status: 'published' })).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/courses/${courseId}`, s.manager)).statusCode).toBe(200);
    expect((await call('GET', `/api/v1/courses/${courseId}`, s.learner01)).statusCode).toBe(404);
    expect((await call('GET', '/api/v1/courses', s.learner01)).json().total).toBe(0);
    const upload403 = await upload(s.learner01, courseId, sample('pipl.md'), 'x.md');
    expect(upload403.statusCode).toBe(403);

    const other = await call('POST', '/api/v1/users', s.admin, { username: 'teacher2', password: 'Teacher123', displayName: '张老师', role: 'instructor' });
    const teacher2 = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'teacher2', password: 'Teacher123' } });
    expect(other.statusCode).toBe(201);
    const h = { authorization: `Bearer ${teacher2.json().accessToken}` };
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/courses/${courseId}`, headers: h })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'PATCH', url: `/api/v1/courses/${courseId}`, headers: h, payload: { title: '改' } })).statusCode).toBe(403);
  });

  it('assigns to a department subtree and tracks each learner’s progress to completion', async () => {
    const depts = (await call('GET', '/api/v1/departments', s.admin)).json() as { id: string; name: string }[];
    const east = depts.find((d) => d.name === '华东区')!.id;
    const dueAt = Date.now() + 7 * 86400_000;
    const res = await call('POST', `/api/v1/courses/${courseId}/assignments`, s.instructor, { departmentIds: [east], userIds: [s.learner04.userId], dueAt, required: true });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ enrolled: 6, alreadyEnrolled: 0 });
    const again = await call('POST', `/api/v1/courses/${courseId}/assignments`, s.admin, { departmentIds: [east] });
    expect(again.json()).toMatchObject({ enrolled: 0, alreadyEnrolled: 5 });

    const mine = (await call('GET', '/api/v1/me/courses', s.learner01)).json();
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ id: courseId, dueAt, required: true, overdue: false, materialsTotal: 3, materialsCompleted: 0, percent: 0 });

    const materials = (await call('GET', `/api/v1/courses/${courseId}`, s.learner01)).json();
    const ids = [...materials.chapters.flatMap((c: { materials: { id: string }[] }) => c.materials), ...materials.looseMaterials].map((m: { id: string }) => m.id);
    expect(ids).toHaveLength(3);
    const first = await call('POST', `/api/v1/materials/${ids[0]}/progress`, s.learner01, { secondsSpent: 5, reachedEnd: true });
    expect(first.json()).toMatchObject({ tracked: true, materialCompleted: false });
    for (const id of ids) {
      const r = await call('POST', `/api/v1/materials/${id}/progress`, s.learner01, { secondsSpent: 20, reachedEnd: true });
      expect(r.json().materialCompleted).toBe(true);
    }
    const done = (await call('GET', '/api/v1/me/courses', s.learner01)).json()[0];
    expect(done).toMatchObject({ percent: 100, materialsCompleted: 3 });
    expect(done.completedAt).toBeGreaterThan(0);
    expect((await call('POST', `/api/v1/materials/${ids[0]}/progress`, s.learner01, { secondsSpent: 301 })).statusCode).toBe(400);

    // The instructor previewing records nothing.
    expect((await call('POST', `/api/v1/materials/${ids[0]}/progress`, s.instructor, { secondsSpent: 10 })).json().tracked).toBe(false);
  });

  it('shows progress to the owner in full and to managers for their subtree only', async () => {
    const all = (await call('GET', `/api/v1/courses/${courseId}/progress`, s.instructor)).json();
    expect(all).toHaveLength(6);
    const scoped = (await call('GET', `/api/v1/courses/${courseId}/progress`, s.manager)).json() as { departmentPath: string; percent: number }[];
    expect(scoped).toHaveLength(5);
    expect(scoped.every((r) => r.departmentPath.startsWith('总部/销售部'))).toBe(true);
    const byDept = (await call('GET', `/api/v1/courses/${courseId}/completion`, s.manager)).json();
    expect(byDept).toEqual([{ departmentPath: '总部/销售部/华东区', enrolled: 5, completed: 1, overdue: 0 }]);
    expect((await call('GET', `/api/v1/courses/${courseId}/progress`, s.learner01)).statusCode).toBe(403);
  });

  it('searches the material with citations and highlights, scoped to what the caller may see', async () => {
    const res = searchResultSchema.parse((await call('GET', `/api/v1/search?q=${encodeURIComponent('敏感个人信息 单独同意')}&courseId=${courseId}`, s.learner01)).json());
    expect(res.hits.length).toBeGreaterThan(0);
    expect(res.hits[0]!.highlight).toContain('<mark>');
    expect(res.hits[0]!.location).toMatch(/第.+条/);
    expect(res.hits[0]!.materialTitle).toBeTruthy();
    const outsider = await call('GET', `/api/v1/search?q=${encodeURIComponent('个人信息')}`, s.manager);
    expect(outsider.statusCode).toBe(200);
    const learner20 = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'learner20', password: 'Demo@12345' } });
    const none = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('个人信息')}`, headers: { authorization: `Bearer ${learner20.json().accessToken}` } });
    expect(none.json().hits).toEqual([]);
    expect((await call('GET', '/api/v1/search?q=', s.learner01)).statusCode).toBe(400);
  });

  it('suggests knowledge points from the material, and lets the instructor confirm and filter by them', async () => {
    const suggested = await call('POST', `/api/v1/courses/${courseId}/knowledge-points/suggest`, s.instructor);
    expect(suggested.statusCode).toBe(200);
    const kps = suggested.json() as { id: string; name: string; status: string; chunkCount: number }[];
    expect(kps.length).toBeGreaterThanOrEqual(10);
    expect(kps.every((k) => k.status === 'suggested')).toBe(true);
    expect(kps.map((k) => k.name)).toEqual(expect.arrayContaining(['个人信息']));
    const kp = kps.find((k) => k.chunkCount > 0)!;
    expect((await call('PATCH', `/api/v1/knowledge-points/${kp.id}`, s.instructor, { status: 'confirmed' })).json().status).toBe('confirmed');
    // A phrase of the statute that the suggestions did not already produce.
    const name = ['单独同意', '自动化决策', '最小范围', '公共安全'].find((n) => !kps.some((k) => k.name === n))!;
    const manual = await call('POST', `/api/v1/courses/${courseId}/knowledge-points`, s.instructor, { name });
    expect(manual.statusCode).toBe(201);
    expect(manual.json().chunkCount).toBeGreaterThan(0);
    expect((await call('POST', `/api/v1/courses/${courseId}/knowledge-points`, s.instructor, { name })).json().error.code).toBe('ERR-COURSE-0008');
    // Give the index the re-index events, then filter by the point.
    await new Promise((r) => setTimeout(r, 300));
    const filtered = (await call('GET', `/api/v1/search?q=${encodeURIComponent('个人信息')}&knowledgePointId=${manual.json().id}&limit=50`, s.instructor)).json();
    expect(filtered.hits.length).toBeGreaterThan(0);
    expect(filtered.hits.every((h: { text: string; location: string }) => `${h.location}${h.text}`.includes(name))).toBe(true);
    expect((await call('DELETE', `/api/v1/knowledge-points/${manual.json().id}`, s.learner01)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/v1/knowledge-points/${manual.json().id}`, s.instructor)).statusCode).toBe(204);
  });
});
