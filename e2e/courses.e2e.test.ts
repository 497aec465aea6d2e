/**
 * Course journeys in a real browser against the real server: the built server (apps/server/dist)
 * runs as a child process on a fresh SQLite database seeded with the demo organisation and the demo
 * course 《个人信息保护法》合规培训 (its three sample files are extracted by the worker after start),
 * and serves the built web app (apps/web/dist). Nothing is faked.
 *
 * Build first: `npm run build -w @kpl/shared && npm run build -w @kpl/server && npm run build -w @kpl/web`.
 */
import { join } from 'node:path';
import { type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage as openBrowserPage, screenshot } from './support/browser.js';
import { ROOT, SEED_PASSWORD, startRealServer, type RealServer } from './support/real-server.js';

const SAMPLE_PDF = join(ROOT, 'apps/server/fixtures/samples/pipl.pdf');
const ENCRYPTED_PDF = join(ROOT, 'apps/server/fixtures/samples/encrypted.pdf');

const DEMO_COURSE = '《个人信息保护法》合规培训';
const NEW_COURSE = '数据合规入门（E2E）';
const CHAPTER = '第一章 法律原文';
/** learner01's name in the demo organisation (总部/销售部/华东区). */
const LEARNER01 = '张伟';

/** A date as the date picker types it (YYYY-MM-DD, local time). */
function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

describe('courses against the real server', () => {
  let server: RealServer | undefined;
  let serverLog: string[] = [];
  let baseUrl: string;
  let browser: Browser;
  /** Set by journey (a). */
  let newCourseId = '';
  const dueDay = isoDay(new Date(Date.now() + 14 * 24 * 3600 * 1000));

  beforeAll(async () => {
    server = await startRealServer('courses');
    ({ baseUrl, log: serverLog } = server);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const openPage = (options: BrowserContextOptions = {}, expectedFailures: (string | RegExp)[] = []) => openBrowserPage(browser, options, expectedFailures);

  async function signIn(page: Page, username: string, landing: string): Promise<void> {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('账号').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(SEED_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${baseUrl}${landing}`);
  }

  async function api<T>(username: string, path: string): Promise<T> {
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: SEED_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const response = await fetch(`${baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  }

  const sidebar = (page: Page) => page.getByRole('navigation', { name: '管理导航' });
  const message = (page: Page, text: string | RegExp) => page.locator('.el-message').filter({ hasText: text });
  const messageBox = (page: Page) => page.locator('.el-message-box');
  const tab = (page: Page, name: string) => page.getByRole('tab', { name, exact: true });

  it('(a) an instructor creates a course, uploads a PDF, adds knowledge points, publishes and assigns it', async () => {
    // The password-protected PDF is refused on purpose (400 ERR-CONTENT-0004).
    const { page, problems, close } = await openPage({}, [/^\/api\/v1\/courses\/[\w-]+\/materials$/]);
    await signIn(page, 'instructor', '/admin');

    await sidebar(page).getByRole('menuitem', { name: '课程管理' }).click();
    await page.waitForURL(`${baseUrl}/admin/courses`);
    await page.getByRole('heading', { name: '课程管理', level: 1 }).waitFor();
    await page.getByRole('link', { name: DEMO_COURSE }).waitFor();
    await screenshot(page, 'admin-courses');

    // Create: a draft, and straight into its editor.
    await page.getByRole('button', { name: '新建课程' }).click();
    const dialog = page.getByRole('dialog', { name: '新建课程' });
    await dialog.getByLabel('课程名称').fill(NEW_COURSE);
    await dialog.getByLabel('分类').fill('合规');
    await dialog.getByLabel('课程简介').fill('个人信息保护法要点：处理规则、敏感个人信息与个人权利。');
    await dialog.getByRole('button', { name: '保存' }).click();
    await message(page, `已创建课程 ${NEW_COURSE}`).waitFor();
    await page.waitForURL(/\/admin\/courses\/[\w-]+$/);
    newCourseId = new URL(page.url()).pathname.split('/').at(-1)!;
    await page.getByRole('heading', { name: NEW_COURSE, level: 1 }).waitFor();
    expect(await page.locator('.course-editor__header .el-tag').textContent()).toContain('草稿');

    // A chapter, then the PDF into it: 202 at once, then extraction until 就绪 with its passages.
    await tab(page, '章节与资料').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('tab')).toBe('materials');
    await page.getByRole('button', { name: '添加章节' }).click();
    await messageBox(page).locator('input').fill(CHAPTER);
    await messageBox(page).getByRole('button', { name: '保存' }).click();
    await message(page, `已添加章节 ${CHAPTER}`).waitFor();
    const chapter = page.getByRole('region', { name: CHAPTER });
    await chapter.getByText('本章还没有资料').waitFor();
    await chapter.locator('input[type=file]').setInputFiles(SAMPLE_PDF);
    await message(page, 'pipl.pdf 已上传，正在提取文字').waitFor();
    const material = chapter.locator('.material').filter({ hasText: 'pipl' });
    await material.locator('.el-tag').filter({ hasText: '就绪' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => material.textContent()).toMatch(/\d+ 个片段/);
    expect(await material.textContent()).toContain('12 页');

    // A bad file is refused at once, with the reason.
    await chapter.locator('input[type=file]').setInputFiles(ENCRYPTED_PDF);
    await chapter.getByRole('alert').filter({ hasText: '文件设置了密码，请去掉密码后重新上传' }).waitFor();
    expect(await chapter.locator('.material').count()).toBe(1);
    await screenshot(page, 'admin-course-materials');

    // The extracted text, as learners will read it.
    await material.getByRole('button', { name: '查看文本' }).click();
    const textDialog = page.getByRole('dialog', { name: '资料文本：pipl' });
    await textDialog.getByRole('heading', { name: /第一章 总则/ }).waitFor();
    await textDialog.getByRole('button', { name: /关闭/ }).click();

    // Knowledge points: suggestions from the material, one confirmed.
    await tab(page, '知识点').click();
    await page.getByRole('button', { name: '生成建议' }).click();
    await message(page, /已生成 \d+ 条新建议/).waitFor();
    const kpRows = page.getByRole('tabpanel', { name: '知识点' }).locator('.el-table__body-wrapper tbody tr.el-table__row');
    await expect.poll(() => kpRows.count()).toBeGreaterThan(3);
    const firstSuggestion = kpRows.filter({ hasText: '建议' }).first();
    const kpName = (await firstSuggestion.locator('.knowledge__name').textContent())!.trim();
    await firstSuggestion.getByRole('button', { name: '确认' }).click();
    await message(page, `已确认 ${kpName}`).waitFor();
    await expect.poll(() => kpRows.first().textContent()).toContain('已确认'); // confirmed ones sort first
    expect(await kpRows.first().locator('.knowledge__name').textContent()).toBe(kpName);
    await screenshot(page, 'admin-course-knowledge');

    // Publish.
    await tab(page, '基本信息').click();
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await messageBox(page).getByRole('button', { name: '发布' }).click();
    await message(page, '课程状态已改为“已发布”').waitFor();
    await expect.poll(() => page.locator('.course-editor__header .el-tag').textContent()).toContain('已发布');
    await screenshot(page, 'admin-course-info');

    // Assign to 华东区 with a due date: its five learners are new.
    await tab(page, '分配').click();
    await page.locator('.el-select').filter({ has: page.getByRole('combobox', { name: '部门' }) }).click();
    const tree = page.locator('.el-tree-select__popper:visible');
    await tree.locator('.el-tree-node__content').filter({ has: page.getByText('华东区', { exact: true }) }).locator('.el-checkbox').click();
    await page.keyboard.press('Escape');
    await page.getByPlaceholder('不设截止日期').fill(dueDay);
    await page.getByPlaceholder('不设截止日期').press('Enter');
    await page.getByRole('button', { name: '分配', exact: true }).click();
    await page.getByText('新分配 5 人，已分配 0 人').waitFor();
    await screenshot(page, 'admin-course-assign');

    const assigned = await api<{ userId: string; dueAt: number | null }[]>('instructor', `/courses/${newCourseId}/progress`);
    expect(assigned).toHaveLength(5);
    expect(isoDay(new Date(assigned[0]!.dueAt!))).toBe(dueDay);

    expect(problems).toEqual([]);
    await close();
  });

  it('(b) a learner finds the course, searches it, reads a hit to the end and completes it', async () => {
    expect(newCourseId).not.toBe('');
    const { page, problems, close } = await openPage();
    // A controllable clock: the 30-second heartbeat is fast-forwarded instead of waited for.
    await page.clock.install();
    await signIn(page, 'learner01', '/');

    // Both courses, with due dates, soonest first (the new one is due in 14 days, the demo in 30).
    const cards = page.locator('.course-card');
    await expect.poll(() => cards.count()).toBe(2);
    expect(await cards.locator('.course-card__title').allTextContents()).toEqual([NEW_COURSE, DEMO_COURSE]);
    for (const card of await cards.all()) {
      expect(await card.textContent()).toMatch(/截止 \d{4}\/\d{2}\/\d{2}/);
      expect(await card.textContent()).toContain('必修');
    }
    expect(await cards.first().textContent()).toContain(dueDay.replaceAll('-', '/'));
    await screenshot(page, 'learner-home');

    // Search inside the course: highlighted passages with their article.
    await cards.first().click();
    await page.waitForURL(`${baseUrl}/courses/${newCourseId}`);
    await page.getByRole('heading', { name: NEW_COURSE, level: 1 }).waitFor();
    await page.getByRole('textbox', { name: '在课程中搜索' }).fill('敏感个人信息');
    await page.getByRole('button', { name: '搜索' }).click();
    const hits = page.getByRole('list', { name: '搜索结果' }).getByRole('listitem');
    await expect.poll(() => hits.count()).toBeGreaterThan(0);
    await page.getByText(/找到 \d+ 条相关内容/).waitFor();
    expect(await hits.first().locator('mark').first().textContent()).toMatch(/敏感个人信息|个人信息|敏感/);
    expect(await hits.first().locator('.hit__location').textContent()).toMatch(/第[一二三四五六七八九十百]+条/);
    expect(await hits.first().locator('.hit__title').textContent()).toBe('pipl');
    await screenshot(page, 'learner-search');

    // The hit opens in the reader, scrolled to and marking the passage.
    const hitText = await hits.first().locator('.hit__text').textContent();
    await hits.first().getByRole('link').click();
    await page.waitForURL(/\/courses\/[\w-]+\/materials\/[\w-]+\?find=/);
    const marked = page.locator('.material-text__hit');
    await marked.waitFor();
    expect(await marked.isVisible()).toBe(true);
    expect(hitText).toBeTruthy();
    expect(await page.locator('.reader__outline').getByRole('link', { name: '第一章 总则' }).isVisible()).toBe(true);
    await screenshot(page, 'learner-reader-hit', false);

    // Scroll to the end: reported at once, completed once the 10-second minimum has passed.
    const progressReport = (test: (body: { secondsSpent: number; reachedEnd: boolean }) => boolean) =>
      page.waitForResponse((response) => {
        const request = response.request();
        return request.method() === 'POST' && request.url().endsWith('/progress') && test(JSON.parse(request.postData() ?? '{}'));
      });
    const endReport = progressReport((body) => body.reachedEnd);
    await page.locator('.reader__end').scrollIntoViewIfNeeded();
    // Usually under the 10-second minimum so far: then the next heartbeat completes it.
    const atEnd = (await (await endReport).json()) as { tracked: boolean; courseCompleted: boolean };
    expect(atEnd.tracked).toBe(true);
    // The next heartbeat (at most 30 s on) carries the time since then, and the end again.
    const heartbeat = progressReport((body) => body.secondsSpent > 0 && body.reachedEnd);
    await page.clock.runFor(31_000);
    expect(await (await heartbeat).json()).toMatchObject({ tracked: true, materialCompleted: true, courseCompleted: true });
    await page.locator('.reader__done').filter({ hasText: '已完成' }).waitFor();
    // The toast comes with the report that completed the course (fast-forwarding may have closed an earlier one).
    if (!atEnd.courseCompleted) await message(page, `恭喜！你已完成课程《${NEW_COURSE}》`).waitFor();
    await screenshot(page, 'learner-reader', false);

    // The original file downloads.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载原文件' }).click();
    expect((await download).suggestedFilename()).toBe('pipl.pdf');

    const mine = await api<{ id: string; percent: number; completedAt: number | null }[]>('learner01', '/me/courses');
    expect(mine.find((c) => c.id === newCourseId)).toMatchObject({ percent: 100, completedAt: expect.any(Number) });

    // Back on the home page the course shows as done.
    await page.getByRole('link', { name: '首页' }).first().click();
    await cards.first().getByText('已完成').waitFor();

    expect(problems).toEqual([]);
    await close();
  });

  it("(c) a manager follows the course's progress in their department subtree", async () => {
    const { page, problems, close } = await openPage();
    await signIn(page, 'manager', '/admin');
    await sidebar(page).getByRole('menuitem', { name: '课程管理' }).click();
    await page.getByRole('link', { name: NEW_COURSE }).click();
    await page.waitForURL(`${baseUrl}/admin/courses/${newCourseId}`);
    // Managers do not edit: no knowledge-point or chapter editing, but assigning and progress.
    await page.getByRole('tab', { name: '学习进度' }).waitFor();
    expect(await page.getByRole('tab').allTextContents()).toEqual(['基本信息', '章节与资料', '知识点', '分配', '学习进度']);

    await tab(page, '学习进度').click();
    await page.getByText('只显示你所在部门及下级部门的学员。').waitFor();
    const rows = page.locator('.progress-tab__learners .el-table__body-wrapper tbody tr.el-table__row');
    await expect.poll(() => rows.count()).toBe(5);
    const done = rows.filter({ hasText: LEARNER01 });
    expect(await done.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(await done.textContent()).toContain('已完成');
    expect(await done.textContent()).toContain('1/1');
    const departments = page.locator('.progress-tab__completion .el-table__body-wrapper tbody tr.el-table__row');
    await expect.poll(() => departments.count()).toBe(1);
    expect((await departments.first().textContent())?.replace(/\s+/g, '')).toMatch(/^总部\/销售部\/华东区51/);
    await screenshot(page, 'admin-course-progress');

    expect(problems).toEqual([]);
    await close();
  });

  it("(d) at phone width the reader's outline is in a drawer", async () => {
    const { page, problems, close } = await openPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await signIn(page, 'learner02', '/');
    const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    await page.locator('.course-card').filter({ hasText: DEMO_COURSE }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(375); // nothing sticks out sideways
    await page.locator('.course-card').filter({ hasText: DEMO_COURSE }).click();
    await page.getByRole('heading', { name: DEMO_COURSE, level: 1 }).waitFor();
    await page.getByRole('link', { name: /个人信息保护法（Markdown 版）/ }).waitFor();
    expect(await scrollWidth()).toBeLessThanOrEqual(375);
    await screenshot(page, 'learner-course-mobile');
    await page.getByRole('link', { name: /个人信息保护法（Markdown 版）/ }).click();
    await page.getByRole('heading', { name: '个人信息保护法（Markdown 版）', level: 1 }).waitFor();

    expect(await page.locator('.reader__outline').isVisible()).toBe(false);
    expect(await scrollWidth()).toBeLessThanOrEqual(375);
    await page.getByRole('button', { name: '目录' }).click();
    const drawer = page.getByRole('dialog', { name: '目录' });
    const chapterLink = drawer.getByRole('link', { name: /第四章/ });
    await chapterLink.waitFor();
    await screenshot(page, 'learner-reader-mobile-outline', false);

    await chapterLink.click();
    await drawer.waitFor({ state: 'hidden' });
    const heading = page.getByRole('heading', { name: /^第四章/ });
    await expect.poll(() => heading.evaluate((el) => Math.round(el.getBoundingClientRect().top))).toBeLessThan(200);
    expect(await heading.evaluate((el) => el.getBoundingClientRect().top)).toBeGreaterThanOrEqual(0);
    await screenshot(page, 'learner-reader-mobile', false);

    expect(problems).toEqual([]);
    await close();
  });

  it('(e) a learner cannot open course management', async () => {
    const { page, problems, close } = await openPage();
    await signIn(page, 'learner03', '/');
    await page.goto(`${baseUrl}/admin/courses`);
    await page.waitForURL(`${baseUrl}/forbidden`);
    await page.getByText('抱歉，你没有权限访问此页面').waitFor();
    await page.goto(`${baseUrl}/admin/courses/${newCourseId}`);
    await page.waitForURL(`${baseUrl}/forbidden`);

    expect(problems).toEqual([]);
    await close();
  });

  it('left the server log free of errors', () => {
    const errors = serverLog.filter((line) => /"level":"(error|fatal)"/.test(line));
    expect(errors).toEqual([]);
  });
});
