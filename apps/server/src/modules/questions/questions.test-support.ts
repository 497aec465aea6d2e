import type { QuestionContentInput } from '@kpl/shared';
import { DEMO_PASSWORD, login, type Session, type TestApp } from '../../test/harness.js';

/** Helpers shared by the questions module's integration tests. */

export type Method = 'GET' | 'POST' | 'PATCH';

export const caller = (t: TestApp) => (method: Method, url: string, who: Session, payload?: unknown) =>
  t.app.inject({ method, url, headers: who.headers, payload: payload as object });

/** A second instructor (the demo organisation has one), to prove banks belong to their owner. */
export async function otherInstructor(t: TestApp, admin: Session): Promise<Session> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: admin.headers,
    payload: { username: 'instructor2', password: DEMO_PASSWORD, displayName: '赵讲师', role: 'instructor' },
  });
  if (res.statusCode !== 201) throw new Error(`could not create instructor2: ${res.body}`);
  return login(t, 'instructor2', DEMO_PASSWORD);
}

export async function newBank(t: TestApp, who: Session, name = '个人信息保护法题库'): Promise<string> {
  const res = await caller(t)('POST', '/api/v1/question-banks', who, { name, description: '《个人信息保护法》合规培训' });
  if (res.statusCode !== 201) throw new Error(`could not create a bank: ${res.body}`);
  return res.json().id as string;
}

/** A multipart body with one file in `file`. */
export function upload(data: Buffer | string, filename: string): FormData {
  const fd = new FormData();
  fd.append('file', new Blob([typeof data === 'string' ? data : new Uint8Array(data)]), filename);
  return fd;
}

export const sampleSingle = (stem = '处理个人信息应当遵循合法、正当、必要和（  ）原则。'): Extract<QuestionContentInput, { type: 'single' }> => ({
  type: 'single',
  stem,
  options: [
    { key: 'A', text: '诚信' },
    { key: 'B', text: '效率' },
    { key: 'C', text: '公开' },
  ],
  correct: ['A'],
  explanation: '第五条。',
  difficulty: 2,
  knowledgePoints: ['处理原则'],
  tags: ['总则'],
});
