/**
 * The AI tutor in a real browser against the real server: learner01 asks about the seeded course
 * 《个人信息保护法》合规培训 and the builtin offline engine (no AI keys configured) answers from its
 * materials, streamed as server-sent events with citations. Nothing is faked.
 *
 * Build first: `npm run build` (the server and the web app).
 */
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage, screenshot } from './support/browser.js';
import { SEED_PASSWORD, startRealServer, type RealServer } from './support/real-server.js';

const DEMO_COURSE = '《个人信息保护法》合规培训';
const QUESTION = '处理敏感个人信息需要满足什么条件？';
const FOLLOW_UP = '那处理不满十四周岁未成年人的个人信息呢？';

interface CourseDetail {
  chapters: { materials: { status: string }[] }[];
  looseMaterials: { status: string }[];
}

describe('the AI tutor against the real server', () => {
  let server: RealServer | undefined;
  let serverLog: string[] = [];
  let baseUrl: string;
  let browser: Browser;
  let courseId = '';

  async function token(username: string): Promise<string> {
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: SEED_PASSWORD }),
    });
    return ((await login.json()) as { accessToken: string }).accessToken;
  }

  beforeAll(async () => {
    server = await startRealServer('tutor');
    ({ baseUrl, log: serverLog } = server);
    browser = await launchChromium();
    // The seeded materials are extracted and indexed by the worker after start: wait until all are ready.
    const auth = { authorization: `Bearer ${await token('learner01')}` };
    const mine = (await (await fetch(`${baseUrl}/api/v1/me/courses`, { headers: auth })).json()) as { id: string; title: string }[];
    courseId = mine.find((c) => c.title === DEMO_COURSE)!.id;
    const allReady = async () => {
      const detail = (await (await fetch(`${baseUrl}/api/v1/courses/${courseId}`, { headers: auth })).json()) as CourseDetail;
      const materials = [...detail.chapters.flatMap((c) => c.materials), ...detail.looseMaterials];
      return materials.length > 0 && materials.every((m) => m.status === 'ready');
    };
    for (const deadline = Date.now() + 45_000; !(await allReady()); ) {
      if (Date.now() > deadline) throw new Error('The demo course materials were not ready in time.');
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function signIn(page: Page, username: string): Promise<void> {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('账号').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(SEED_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${baseUrl}/`);
  }

  async function openCourse(page: Page): Promise<void> {
    await page.locator('.course-card').filter({ hasText: DEMO_COURSE }).click();
    await page.waitForURL(`${baseUrl}/courses/${courseId}`);
    await page.getByRole('heading', { name: DEMO_COURSE, level: 1 }).waitFor();
  }

  const panel = (page: Page) => page.getByRole('dialog', { name: 'AI 助教' });
  const questionBox = (page: Page) => panel(page).getByRole('textbox', { name: '向 AI 助教提问' });
  const turns = (page: Page) => panel(page).locator('.turn');
  const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim());

  /** Records what the panel shows while an answer streams in: the answer's growing text and the send/stop button. */
  async function traceAnswers(page: Page): Promise<void> {
    await page.evaluate(() => {
      const trace: { text: string; button: string }[] = [];
      (window as unknown as { tutorTrace: typeof trace }).tutorTrace = trace;
      const root = document.querySelector('.tutor-drawer')!;
      new MutationObserver(() => {
        const texts = root.querySelectorAll('.turn__text');
        trace.push({ text: texts[texts.length - 1]?.textContent ?? '', button: root.querySelector('.composer__bar .el-button:last-child')?.textContent?.trim() ?? '' });
      }).observe(root, { subtree: true, childList: true, characterData: true });
    });
  }
  const traced = (page: Page) => page.evaluate(() => (window as unknown as { tutorTrace: { text: string; button: string }[] }).tutorTrace.splice(0));

  /** Waits for the last answer to finish: the button says 发送 again. */
  async function answered(page: Page): Promise<void> {
    await panel(page).locator('.composer__bar').getByRole('button', { name: '发送' }).waitFor();
    expect(await turns(page).last().getAttribute('aria-busy')).toBe('false');
  }

  it('answers from the course with citations, opens a citation in the reader and takes a follow-up', async () => {
    const { page, problems, close } = await openPage(browser);
    await signIn(page, 'learner01');
    await openCourse(page);

    // Open the panel: the question box has the focus.
    await page.getByRole('button', { name: 'AI 助教' }).click();
    await panel(page).getByText('根据本课程的资料回答你的问题').waitFor();
    await expect.poll(() => new URL(page.url()).searchParams.get('tutor')).toBe('1');
    await expect.poll(() => focusedLabel(page)).toBe('向 AI 助教提问');
    await traceAnswers(page);

    // Shift+Enter is a new line, not a send.
    await page.keyboard.type('第一行');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('第二行');
    expect(await questionBox(page).inputValue()).toBe('第一行\n第二行');
    expect(await turns(page).count()).toBe(0);
    await questionBox(page).fill('');

    // Enter sends: the answer streams in as server-sent events.
    await questionBox(page).fill(QUESTION);
    const asked = page.waitForResponse((r) => r.url().endsWith('/api/v1/ai/tutor'));
    await page.keyboard.press('Enter');
    const response = await asked;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('text/event-stream');
    expect(JSON.parse(response.request().postData()!)).toEqual({ question: QUESTION, courseId, history: [] });
    expect(await questionBox(page).inputValue()).toBe('');
    await answered(page);

    const first = turns(page).first();
    expect(await first.locator('.turn__question').textContent()).toContain(QUESTION);
    const answer = (await first.locator('.turn__text').textContent())!;
    expect(answer, 'the builtin tutor found nothing in the course that answers the question').not.toContain('没有找到能回答这个问题的内容');
    expect(answer).toContain('敏感个人信息');
    expect(answer).toMatch(/\[1\]/);
    // While it streamed, the button was 停止 and the text grew piece by piece up to the whole answer.
    const trace = await traced(page);
    expect(trace.some((s) => s.button === '停止')).toBe(true);
    const lengths = [...new Set(trace.map((s) => s.text.length))].filter((n) => n > 0);
    expect(lengths.at(-1)).toBe(answer.length);
    for (let i = 1; i < lengths.length; i++) expect(lengths[i]).toBeGreaterThan(lengths[i - 1]!);

    // Citations: a [1] mark in the text and a source list entry, both links into the reader.
    const sources = first.locator('.sources').getByRole('link');
    expect(await sources.count()).toBeGreaterThan(0);
    const sourceText = (await sources.first().textContent())!;
    expect(sourceText).toMatch(/^\[1\] .+/);
    const mark = first.locator('.turn__mark').first();
    expect(await mark.getAttribute('aria-label')).toMatch(/^在阅读器中查看出处 1：/);
    expect(await mark.getAttribute('href')).toBe(await sources.first().getAttribute('href'));
    expect(await focusedLabel(page)).toBe('向 AI 助教提问'); // the focus stayed in the question box
    await screenshot(page, 'learner-tutor', false);

    // Following the citation opens the reader at the quoted passage.
    const quote = (await sources.first().locator('.source__quote').textContent())!;
    await sources.first().click();
    await page.waitForURL(new RegExp(`/courses/${courseId}/materials/[\\w-]+\\?find=`));
    const hit = page.locator('.material-text__hit');
    await hit.waitFor();
    expect(await hit.isVisible()).toBe(true);
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    expect(squeeze((await hit.textContent())!)).toContain(squeeze(quote).slice(0, 12));
    expect(await page.locator('.el-message').count()).toBe(0); // no "could not locate" warning

    // Back on the course page the panel reopens with the conversation.
    await page.goBack();
    await page.waitForURL(`${baseUrl}/courses/${courseId}?tutor=1`);
    await expect.poll(() => turns(page).count()).toBe(1);

    // A follow-up carries the previous exchange as history.
    await questionBox(page).fill(FOLLOW_UP);
    const followUp = page.waitForRequest((r) => r.url().endsWith('/api/v1/ai/tutor'));
    await panel(page).getByRole('button', { name: '发送' }).click();
    const history = (JSON.parse((await followUp).postData()!) as { history: { role: string; content: string }[] }).history;
    expect(history).toEqual([
      { role: 'user', content: QUESTION },
      { role: 'assistant', content: answer },
    ]);
    await answered(page);
    expect(await turns(page).count()).toBe(2);
    const second = (await turns(page).last().locator('.turn__text').textContent())!;
    expect(second).toMatch(/未成年人|十四周岁/);
    expect(await turns(page).last().locator('.sources').getByRole('link').count()).toBeGreaterThan(0);
    await screenshot(page, 'learner-tutor-follow-up', false);

    // Escape closes the panel and gives the focus back to the button that opened it.
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'hidden' });
    await expect.poll(() => new URL(page.url()).searchParams.has('tutor')).toBe(false);
    await expect.poll(() => focusedLabel(page)).toBe('AI 助教');

    // 新对话 starts over.
    await page.getByRole('button', { name: 'AI 助教' }).click();
    await expect.poll(() => turns(page).count()).toBe(2);
    await panel(page).getByRole('button', { name: '新对话' }).click();
    await expect.poll(() => turns(page).count()).toBe(0);

    expect(problems).toEqual([]);
    await close();
  });

  it('is a full-screen sheet at phone width', async () => {
    const { page, problems, close } = await openPage(browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await signIn(page, 'learner01');
    await openCourse(page);
    await page.getByRole('button', { name: 'AI 助教' }).click();
    await questionBox(page).fill(QUESTION);
    await panel(page).getByRole('button', { name: '发送' }).click();
    await answered(page);
    expect(await turns(page).first().locator('.turn__text').textContent()).toContain('敏感个人信息');

    const box = (await page.locator('.tutor-drawer').boundingBox())!;
    expect(box).toMatchObject({ x: 0, y: 0, width: 375, height: 812 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await screenshot(page, 'learner-tutor-mobile', false);

    expect(problems).toEqual([]);
    await close();
  });

  it('left the server log free of errors', () => {
    const errors = serverLog.filter((line) => /"level":"(error|fatal)"/.test(line));
    expect(errors).toEqual([]);
  });
});
