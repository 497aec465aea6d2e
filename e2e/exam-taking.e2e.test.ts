/**
 * The learner's exam in a real browser against the real server (built server + built web app on a
 * fresh SQLite database, nothing faked). The exam is set up through the API as the instructor: a
 * question bank for the demo course with one question of every type, a random-rule paper and an
 * open exam for learner01 and learner02 (shuffled questions and options, answers shown after submit).
 *
 * Journey: learner01 reads the course, starts the exam, answers one question by keyboard only,
 * goes offline and answers three more, comes back online (the queue replays), has a fourth save
 * blocked and reloads (restored from IndexedDB, then sent), sees every answer restored, submits,
 * sees the result, and finds the wrong answers in the wrong-answer book and practises one.
 * Also: the answer sheet as a bottom sheet at phone width, and the automatic submit at the deadline.
 *
 * Build first: `npm run build`.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCall, apiLogin } from './support/api.js';
import { launchChromium, openPage as openBrowserPage, screenshot } from './support/browser.js';
import { SEED_PASSWORD, startRealServer, type RealServer } from './support/real-server.js';

const DEMO_COURSE = '《个人信息保护法》合规培训';
const EXAM_TITLE = '个人信息保护法合规考试（E2E）';
/** Every answer PUT: failed on purpose while offline or blocked (Chromium logs each as a console error). */
const ANSWER_PATH = /^\/api\/v1\/attempts\/[\w-]+\/answers\/[\w-]+$/;
/** The same requests as a route pattern (Playwright matches routes against the whole URL). */
const ANSWER_URL = /\/api\/v1\/attempts\/[\w-]+\/answers\/[\w-]+$/;

interface Question {
  stem: string;
  content: Record<string, unknown>;
}

/** One question of every type; the stems are unique so the test finds them wherever the shuffle puts them. */
const Q = {
  date: {
    stem: '《个人信息保护法》自哪一天起施行？',
    content: {
      type: 'single',
      options: [
        { key: 'A', text: '2021年11月1日' },
        { key: 'B', text: '2021年8月20日' },
        { key: 'C', text: '2020年1月1日' },
        { key: 'D', text: '2022年1月1日' },
      ],
      correct: ['A'],
      explanation: '第七十四条：本法自2021年11月1日起施行。',
      knowledgePoints: ['法律适用'],
    },
  },
  consent: {
    stem: '处理敏感个人信息，应当取得个人的哪一种同意？',
    content: {
      type: 'single',
      options: [
        { key: 'A', text: '单独同意' },
        { key: 'B', text: '默示同意' },
        { key: 'C', text: '口头同意' },
        { key: 'D', text: '概括同意' },
      ],
      correct: ['A'],
      explanation: '第二十九条：处理敏感个人信息应当取得个人的单独同意。',
      knowledgePoints: ['敏感个人信息'],
    },
  },
  sensitive: {
    stem: '下列哪些属于敏感个人信息？',
    content: {
      type: 'multiple',
      options: [
        { key: 'A', text: '生物识别信息' },
        { key: 'B', text: '医疗健康信息' },
        { key: 'C', text: '金融账户信息' },
        { key: 'D', text: '已公开的企业名称' },
      ],
      correct: ['A', 'B', 'C'],
      explanation: '第二十八条列举了生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹等信息。',
      knowledgePoints: ['敏感个人信息'],
    },
  },
  minors: {
    stem: '不满十四周岁未成年人的个人信息属于敏感个人信息。',
    content: { type: 'true_false', correct: true, explanation: '第二十八条。', knowledgePoints: ['敏感个人信息'] },
  },
  definition: {
    stem: '个人信息是以电子或者其他方式记录的与已识别或者____的自然人有关的各种信息，不包括____处理后的信息。',
    content: {
      type: 'fill_blank',
      blanks: [{ accepted: ['可识别'] }, { accepted: ['匿名化'] }],
      ordered: true,
      explanation: '第四条。',
      knowledgePoints: ['基本概念'],
    },
  },
  principles: {
    stem: '简述处理个人信息应当遵循的基本原则。',
    content: {
      type: 'short_answer',
      referenceAnswer: '合法、正当、必要和诚信原则；目的明确并与处理目的直接相关；公开、透明。',
      rubric: [
        { point: '合法、正当、必要和诚信', weight: 60, keywords: ['合法', '正当', '必要', '诚信'] },
        { point: '公开、透明', weight: 40, keywords: ['公开', '透明'] },
      ],
      knowledgePoints: ['基本原则'],
    },
  },
} satisfies Record<string, Question>;

describe('exam taking against the real server', () => {
  let server: RealServer | undefined;
  let serverLog: string[] = [];
  let baseUrl: string;
  let browser: Browser;
  let examId = '';
  let paperId = '';

  const login = (username: string) => apiLogin(baseUrl, username);
  const api = <T>(token: string, method: string, path: string, body?: unknown) => apiCall<T>(baseUrl, token, method, path, body);

  beforeAll(async () => {
    server = await startRealServer('exam');
    ({ baseUrl, log: serverLog } = server);
    browser = await launchChromium();

    // The instructor builds the exam: bank → questions → random paper → exam for two learners → publish.
    const instructor = await login('instructor');
    const courses = await api<{ items: { id: string; title: string }[] }>(instructor.token, 'GET', `/courses?q=${encodeURIComponent('个人信息保护法')}&page=1&pageSize=20`);
    const course = courses.items.find((c) => c.title === DEMO_COURSE);
    expect(course).toBeDefined();
    const bank = await api<{ id: string }>(instructor.token, 'POST', '/question-banks', { name: '个人信息保护法题库（E2E）', courseId: course!.id });
    for (const question of Object.values(Q)) {
      await api(instructor.token, 'POST', '/questions', { bankId: bank.id, content: { stem: question.stem, ...question.content } });
    }
    const paper = await api<{ id: string }>(instructor.token, 'POST', '/papers', {
      mode: 'random',
      title: '个人信息保护法随机卷（E2E）',
      rules: [{ bankIds: [bank.id], count: 6, pointsEach: 10 }],
    });
    const learners = await Promise.all(['learner01', 'learner02'].map(login));
    const exam = await api<{ id: string }>(instructor.token, 'POST', '/exams', {
      title: EXAM_TITLE,
      description: '共 6 题，覆盖全部题型。',
      paperId: paper.id,
      opensAt: Date.now() - 60_000,
      closesAt: Date.now() + 3 * 3600_000,
      durationMinutes: 30,
      attemptsAllowed: 1,
      passMark: 60,
      audience: { departmentIds: [], userIds: learners.map((l) => l.id) },
      settings: { showAnswers: 'after_submit', reviewAllowed: true, shuffleQuestions: true, shuffleOptions: true, multiplePolicy: 'all_or_nothing' },
    });
    await api(instructor.token, 'POST', `/exams/${exam.id}/publish`);
    examId = exam.id;
    paperId = paper.id;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const openPage = (options: BrowserContextOptions = {}, expectedFailures: (string | RegExp)[] = []) => openBrowserPage(browser, options, expectedFailures);

  async function signIn(page: Page, username: string): Promise<void> {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('账号').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(SEED_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${baseUrl}/`);
  }

  const answerSheet = (page: Page) => page.locator('.exam__aside').getByRole('navigation', { name: '答题卡' });
  const navItem = (page: Page, n: number) => answerSheet(page).getByRole('button', { name: new RegExp(`^第 ${n} 题：`) });
  const heading = (page: Page) => page.locator('#question-heading');
  const saveIndicator = (page: Page) => page.locator('.exam__question .save-indicator');
  const syncSummary = (page: Page) => page.locator('.exam__sync');
  const choice = (page: Page, text: string) => page.locator('.exam__question .choice').filter({ hasText: text });

  /** The attempt's questions in the order the learner sees them. */
  async function attemptOrder(token: string, attemptId: string) {
    const attempt = await api<{ questions: { questionId: string; stem: string; type: string }[] }>(token, 'GET', `/attempts/${attemptId}`);
    return attempt.questions;
  }

  async function goTo(page: Page, stems: string[], stem: string): Promise<void> {
    const n = stems.indexOf(stem) + 1;
    expect(n).toBeGreaterThan(0);
    await navItem(page, n).click();
    await expect.poll(() => heading(page).textContent()).toContain(`第 ${n} 题`);
    await page.locator('.exam__stem').filter({ hasText: stem.slice(0, 8) }).waitFor();
  }

  it('(a) a learner reads the course, takes the exam through an outage and a reload, submits and sees the result', { timeout: 240_000 }, async () => {
    const { page, problems, close } = await openPage({}, [ANSWER_PATH]);
    const context = page.context();
    const learner = await login('learner01');
    await signIn(page, 'learner01');

    // Read the course first (its sample files are extracted by the worker after start).
    await page.locator('.course-card').filter({ hasText: DEMO_COURSE }).click();
    await page.getByRole('heading', { name: DEMO_COURSE, level: 1 }).waitFor();
    await page.getByRole('link', { name: /个人信息保护法（Markdown 版）/ }).click();
    await expect
      .poll(async () => {
        if (await page.getByRole('heading', { name: '个人信息保护法（Markdown 版）', level: 1 }).isVisible()) return true;
        if (await page.getByText('资料还在处理中').isVisible()) await page.getByRole('button', { name: '重试' }).click();
        return false;
      }, { timeout: 30_000, interval: 500 })
      .toBe(true);
    await page.getByRole('heading', { name: /第一章/ }).first().waitFor();

    // My exams: the open exam, started from its card.
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '我的考试' }).click();
    await page.waitForURL(`${baseUrl}/exams`);
    const card = page.locator('.exam-card').filter({ hasText: EXAM_TITLE });
    await card.waitFor();
    expect(await card.textContent()).toContain('可参加');
    expect(await card.textContent()).toContain('6 题，满分 60 分');
    await screenshot(page, 'learner-my-exams');
    await card.getByRole('button', { name: '开始考试' }).click();
    const startDialog = page.getByRole('dialog', { name: `开始考试：${EXAM_TITLE}` });
    await startDialog.getByText('共 6 题，满分 60 分，限时 30 分钟。').waitFor();
    await startDialog.getByRole('button', { name: '开始', exact: true }).click();
    await page.waitForURL(/\/attempts\/[\w-]+$/);
    const attemptId = new URL(page.url()).pathname.split('/').at(-1)!;
    const order = await attemptOrder(learner.token, attemptId);
    const visible = order.map((q) => q.stem);
    expect([...visible].sort()).toEqual(Object.values(Q).map((q) => q.stem).sort());

    await heading(page).filter({ hasText: '第 1 题' }).waitFor();
    await expect.poll(() => page.locator('.exam__timer-value').textContent()).toMatch(/^(30:00|29:\d\d)$/);
    expect(await answerSheet(page).getByRole('button').count()).toBe(6);

    // ---- Keyboard only: Alt+→ to the date question, Tab into its options, arrows to the right one, Alt+M to flag ----
    const dateIndex = visible.indexOf(Q.date.stem);
    if (dateIndex === 0) {
      await page.keyboard.press('Alt+ArrowRight');
      await expect.poll(() => heading(page).textContent()).toContain('第 2 题');
      await page.keyboard.press('Alt+ArrowLeft'); // the browser does not go "back": the previous question shows
    } else {
      for (let i = 0; i < dateIndex; i++) await page.keyboard.press('Alt+ArrowRight');
    }
    await expect.poll(() => heading(page).textContent()).toContain(`第 ${dateIndex + 1} 题`);
    expect(page.url()).toContain(`/attempts/${attemptId}`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('question-heading');
    const shown = await page.locator('.exam__question .choice').allTextContents();
    const target = shown.findIndex((text) => text.includes('2021年11月1日'));
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).type)).toBe('radio');
    if (target === 0) await page.keyboard.press('Space');
    for (let i = 0; i < target; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => choice(page, '2021年11月1日').locator('input').isChecked()).toBe(true);
    await saveIndicator(page).filter({ hasText: '已保存' }).waitFor();
    await page.keyboard.press('Alt+KeyM');
    await expect.poll(() => navItem(page, dateIndex + 1).getAttribute('aria-label')).toBe(`第 ${dateIndex + 1} 题：已作答，已标记`);
    // Alt+← goes to the previous question, not back in the browser's history.
    if (dateIndex > 0) {
      await page.keyboard.press('Alt+ArrowLeft');
      await expect.poll(() => heading(page).textContent()).toContain(`第 ${dateIndex} 题`);
      expect(page.url()).toContain(`/attempts/${attemptId}`);
    }
    await screenshot(page, 'exam-taking');

    // ---- Offline: three answers are kept on the device and queued ----
    await context.setOffline(true);
    await page.getByText('网络已断开。可以继续作答').waitFor();
    await goTo(page, visible, Q.sensitive.stem);
    for (const text of ['生物识别信息', '医疗健康信息', '金融账户信息']) await choice(page, text).click();
    await saveIndicator(page).filter({ hasText: '已存到本机，联网后自动同步' }).waitFor();
    await goTo(page, visible, Q.minors.stem);
    await choice(page, '错误').click(); // wrong on purpose
    await goTo(page, visible, Q.consent.stem);
    await choice(page, '默示同意').click(); // wrong on purpose
    await saveIndicator(page).filter({ hasText: '已存到本机' }).waitFor();
    await expect.poll(() => syncSummary(page).textContent()).toBe('3 个答案等待同步（网络断开）');
    const outbox = () =>
      page.evaluate(
        (id) =>
          new Promise<number>((resolve, reject) => {
            const open = indexedDB.open('kpl-exam');
            open.onerror = () => reject(open.error);
            open.onsuccess = () => {
              const count = open.result.transaction('outbox').objectStore('outbox').index('attemptId').count(id);
              count.onsuccess = () => resolve(count.result);
              count.onerror = () => reject(count.error);
            };
          }),
        attemptId,
      );
    expect(await outbox()).toBe(3);
    await screenshot(page, 'exam-offline');

    // ---- Back online: replayed in order, all saved ----
    await context.setOffline(false);
    await expect.poll(() => syncSummary(page).textContent(), { timeout: 15_000 }).toBe('答案已全部保存');
    expect(await outbox()).toBe(0);
    const savedOnServer = async () =>
      new Map(
        (await api<{ answers: { questionId: string; answer: unknown; seq: number; flagged: boolean }[] }>(learner.token, 'GET', `/attempts/${attemptId}`)).answers
          .filter((a) => a.seq > 0)
          .map((a) => [order.find((q) => q.questionId === a.questionId)!.stem, a]),
      );
    let saved = await savedOnServer();
    expect(saved.get(Q.date.stem)).toMatchObject({ answer: 'A', flagged: true });
    expect(saved.get(Q.sensitive.stem)?.answer).toEqual(expect.arrayContaining(['A', 'B', 'C']));
    expect(saved.get(Q.minors.stem)?.answer).toBe(false);
    expect(saved.get(Q.consent.stem)?.answer).toBe('B');
    // Replayed in the order they were made: the seqs rise in answering order.
    expect(saved.get(Q.sensitive.stem)!.seq).toBeLessThan(saved.get(Q.minors.stem)!.seq);
    expect(saved.get(Q.minors.stem)!.seq).toBeLessThan(saved.get(Q.consent.stem)!.seq);

    // ---- A save that never gets through survives a reload: restored from IndexedDB, then sent ----
    await page.route(ANSWER_URL, (route) => route.abort('internetdisconnected'));
    await goTo(page, visible, Q.definition.stem);
    await page.getByRole('textbox', { name: '第 1 空' }).fill('可识别');
    await page.getByRole('textbox', { name: '第 2 空' }).fill('匿名化');
    await saveIndicator(page).filter({ hasText: '已存到本机' }).waitFor();
    expect(await outbox()).toBe(1);
    await page.reload();
    await heading(page).waitFor();
    // Every answer is back: four from the server, the blocked one from this device.
    await goTo(page, visible, Q.definition.stem);
    expect(await page.getByRole('textbox', { name: '第 1 空' }).inputValue()).toBe('可识别');
    expect(await page.getByRole('textbox', { name: '第 2 空' }).inputValue()).toBe('匿名化');
    await goTo(page, visible, Q.sensitive.stem);
    for (const text of ['生物识别信息', '医疗健康信息', '金融账户信息']) expect(await choice(page, text).locator('input').isChecked()).toBe(true);
    expect(await choice(page, '已公开的企业名称').locator('input').isChecked()).toBe(false);
    await goTo(page, visible, Q.minors.stem);
    expect(await choice(page, '错误').locator('input').isChecked()).toBe(true);
    await goTo(page, visible, Q.consent.stem);
    expect(await choice(page, '默示同意').locator('input').isChecked()).toBe(true);
    await goTo(page, visible, Q.date.stem);
    expect(await choice(page, '2021年11月1日').locator('input').isChecked()).toBe(true);
    expect(await navItem(page, visible.indexOf(Q.date.stem) + 1).getAttribute('aria-label')).toContain('已标记');
    // The network is back for saves: the periodic retry sends the restored change.
    await page.unroute(ANSWER_URL);
    await expect.poll(() => syncSummary(page).textContent(), { timeout: 20_000 }).toBe('答案已全部保存');
    saved = await savedOnServer();
    expect(saved.get(Q.definition.stem)?.answer).toEqual(['可识别', '匿名化']);

    // ---- The short answer, with a paste that proctors will see ----
    await goTo(page, visible, Q.principles.stem);
    const essay = page.locator('.exam__question textarea');
    await essay.fill('应当遵循合法、正当、必要和诚信原则，');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    await page.evaluate(() => navigator.clipboard.writeText('并做到公开、透明。'));
    await essay.press('End');
    await essay.press('Control+V');
    await expect.poll(() => essay.inputValue()).toBe('应当遵循合法、正当、必要和诚信原则，并做到公开、透明。');
    await saveIndicator(page).filter({ hasText: '已保存' }).waitFor();
    expect(await page.locator('.exam__aside-count').textContent()).toBe('已作答 6/6 题');

    // ---- Submit: the confirmation lists what is flagged ----
    await page.locator('.exam__bar').getByRole('button', { name: '交卷' }).click();
    const confirm = page.getByRole('dialog', { name: '确认交卷' });
    await confirm.getByText('已作答 6/6 题。').waitFor();
    await confirm.getByText('1 道题标记为待检查：').waitFor();
    await confirm.getByRole('button', { name: '确认交卷' }).click();
    await page.waitForURL(`${baseUrl}/attempts/${attemptId}/result`);

    // The result: 3 of 5 objective questions right (30 points), the short answer graded or waiting.
    const score = page.getByTestId('result-score');
    await score.waitFor();
    const result = await api<{ score: number; maxScore: number; pendingCount: number; questions: { stem: string; correct: boolean | null; score: number }[] }>(
      learner.token,
      'GET',
      `/attempts/${attemptId}/result`,
    );
    const objective = result.questions.filter((q) => q.stem !== Q.principles.stem);
    expect(Object.fromEntries(objective.map((q) => [q.stem, q.correct]))).toEqual({
      [Q.date.stem]: true,
      [Q.sensitive.stem]: true,
      [Q.definition.stem]: true,
      [Q.minors.stem]: false,
      [Q.consent.stem]: false,
    });
    expect(objective.reduce((sum, q) => sum + q.score, 0)).toBe(30);
    // The short answer may be graded by the time the API is asked: the page shows 30 or more.
    const shownScore = Number((await score.textContent())?.match(/^([\d.]+) \/ 60$/)?.[1]);
    expect(shownScore).toBeGreaterThanOrEqual(30);
    expect(shownScore).toBeLessThanOrEqual(result.score);
    await page.getByRole('heading', { name: '按知识点' }).waitFor();
    await page.getByRole('heading', { name: '逐题回顾' }).waitFor();
    const reviews = page.locator('.review');
    expect(await reviews.count()).toBe(6);
    const consentReview = reviews.filter({ hasText: Q.consent.stem });
    expect(await consentReview.textContent()).toContain('错误');
    expect(await consentReview.textContent()).toContain('第二十九条');
    await screenshot(page, 'exam-result');

    // Proctors see the paste.
    const instructor = await login('instructor');
    const detail = await api<{ events: { kind: string }[] }>(instructor.token, 'GET', `/exams/${examId}/attempts/${attemptId}`);
    expect(detail.events.map((e) => e.kind)).toContain('paste');

    // ---- The two wrong answers are in the wrong-answer book (recorded by a background job) ----
    await page.getByRole('link', { name: '去错题本练习' }).click();
    await page.waitForURL(`${baseUrl}/wrong-answers`);
    await expect
      .poll(
        async () => {
          const count = page.getByTestId('wrong-count');
          if (await count.isVisible()) return count.textContent();
          await page.reload();
          return null;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe('共 2 道待巩固');
    const entries = page.locator('.wrong-item');
    expect((await entries.allTextContents()).join('\n')).toContain(Q.minors.stem);
    expect((await entries.allTextContents()).join('\n')).toContain(Q.consent.stem);
    await screenshot(page, 'wrong-answer-book');

    // Practice one: right once, one more to go.
    await entries.filter({ hasText: Q.minors.stem }).getByRole('button', { name: '练习' }).click();
    await page.locator('.practice .choice').filter({ hasText: '正确' }).click();
    await page.getByRole('button', { name: '提交答案' }).click();
    await page.getByText('回答正确！再答对 1 次即可移出错题本。').waitFor();
    await screenshot(page, 'wrong-answer-practice');
    await page.getByRole('button', { name: '完成' }).click();
    await page.getByText('练习完成，本次移出错题本 0 道题。').waitFor();

    // The home page shows the book's count.
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '首页' }).click();
    await page.getByTestId('home-wrong-count').filter({ hasText: '错题本：2 道待巩固' }).waitFor();

    expect(problems).toEqual([]);
    await close();
  });

  it('(b) at phone width the answer sheet is a bottom sheet, and answers save', { timeout: 120_000 }, async () => {
    const { page, problems, close } = await openPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await signIn(page, 'learner02');
    const scrollWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    const card = page.locator('.exam-card').filter({ hasText: EXAM_TITLE });
    await card.getByRole('button', { name: '开始考试' }).click();
    await page.getByRole('dialog', { name: `开始考试：${EXAM_TITLE}` }).getByRole('button', { name: '开始', exact: true }).click();
    await page.waitForURL(/\/attempts\/[\w-]+$/);
    await heading(page).filter({ hasText: '第 1 题' }).waitFor();
    expect(await page.locator('.exam__aside').isVisible()).toBe(false);
    expect(await scrollWidth()).toBeLessThanOrEqual(375);

    await page.getByRole('button', { name: /^答题卡 0\/6$/ }).click();
    const sheet = page.getByRole('dialog', { name: '答题卡' });
    await sheet.getByRole('button', { name: /^第 3 题：/ }).waitFor();
    await screenshot(page, 'exam-taking-mobile-sheet', false);
    await sheet.getByRole('button', { name: /^第 3 题：/ }).click();
    await sheet.waitFor({ state: 'hidden' });
    await expect.poll(() => heading(page).textContent()).toContain('第 3 题');

    // Answer whatever type question 3 is, then see it saved.
    const type = (await page.locator('.exam__question-header .el-tag').first().textContent())?.trim();
    if (type === '填空题') await page.getByRole('textbox', { name: '第 1 空' }).fill('可识别');
    else if (type === '简答题') await page.locator('.exam__question textarea').fill('合法、正当、必要和诚信。');
    else await page.locator('.exam__question .choice').first().click();
    await saveIndicator(page).filter({ hasText: '已保存' }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('button', { name: /^答题卡 1\/6$/ }).isVisible()).toBe(true);
    expect(await scrollWidth()).toBeLessThanOrEqual(375);
    await screenshot(page, 'exam-taking-mobile', false);

    expect(problems).toEqual([]);
    await close();
  });

  it('(c) when the countdown reaches zero the exam is submitted automatically, with the saved answer', { timeout: 120_000 }, async () => {
    // A second exam whose window closes 25 seconds from now: the deadline is the window's close.
    // (The browser's clock cannot be fast-forwarded for this: the page re-anchors on the server's time.)
    const instructor = await login('instructor');
    const learner = await login('learner03');
    const closesAt = Date.now() + 25_000;
    const quick = await api<{ id: string }>(instructor.token, 'POST', '/exams', {
      title: '限时小测（E2E）',
      paperId,
      opensAt: Date.now() - 60_000,
      closesAt,
      durationMinutes: 30,
      audience: { departmentIds: [], userIds: [learner.id] },
      settings: { showAnswers: 'after_submit', reviewAllowed: true, shuffleQuestions: false, shuffleOptions: false, multiplePolicy: 'all_or_nothing' },
    });
    await api(instructor.token, 'POST', `/exams/${quick.id}/publish`);

    const { page, problems, close } = await openPage();
    await signIn(page, 'learner03');
    const card = page.locator('.exam-card').filter({ hasText: '限时小测（E2E）' });
    await card.getByRole('button', { name: '开始考试' }).click();
    await page.getByRole('dialog', { name: '开始考试：限时小测（E2E）' }).getByRole('button', { name: '开始', exact: true }).click();
    await page.waitForURL(/\/attempts\/[\w-]+$/);
    const attemptId = new URL(page.url()).pathname.split('/').at(-1)!;
    await heading(page).filter({ hasText: '第 1 题' }).waitFor();
    expect(await page.locator('.exam__timer-value').textContent()).toMatch(/^00:(1\d|2[0-5])$/);
    const type = (await page.locator('.exam__question-header .el-tag').first().textContent())?.trim();
    if (type === '填空题') await page.getByRole('textbox', { name: '第 1 空' }).fill('可识别');
    else if (type === '简答题') await page.locator('.exam__question textarea').fill('合法、正当、必要和诚信。');
    else await page.locator('.exam__question .choice').first().click();
    await saveIndicator(page).filter({ hasText: '已保存' }).waitFor();
    await page.locator('.exam__timer--critical').waitFor(); // the last minute is marked

    // No click: at 00:00 the page submits by itself and shows the result.
    await expect.poll(() => page.url(), { timeout: 40_000, interval: 250 }).toBe(`${baseUrl}/attempts/${attemptId}/result?auto=1`);
    expect(Date.now()).toBeGreaterThanOrEqual(closesAt - 1_000);
    await page.getByText('考试时间已到，系统已自动为你交卷，已保存的答案都已计分。').waitFor();
    const result = await api<{ status: string; questions: { answer: unknown }[] }>(learner.token, 'GET', `/attempts/${attemptId}/result`);
    expect(result.status).toBe('submitted');
    expect(result.questions.filter((q) => q.answer !== null)).toHaveLength(1);

    expect(problems).toEqual([]);
    await close();
  });

  it('left the server log free of errors', () => {
    const errors = serverLog.filter((line) => /"level":"(error|fatal)"/.test(line));
    expect(errors).toEqual([]);
  });
});
