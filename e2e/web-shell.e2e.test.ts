/**
 * Smoke test of the web shell in a real browser: the built app (apps/web/dist) is served by a tiny
 * in-test server that also fakes the few API endpoints the shell calls.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginResponseSchema, myExamsSchema, readinessSchema, wrongAnswerSummarySchema, type SessionUser } from '../packages/shared/src/index.ts';

const DIST = fileURLToPath(new URL('../apps/web/dist/', import.meta.url));
const SCREENSHOTS = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));

const ADMIN: SessionUser = {
  id: '0190a3f0-0000-7000-8000-000000000001',
  username: 'admin',
  displayName: '系统管理员',
  role: 'admin',
  departmentId: null,
  permissions: ['*'],
};
const ACCESS_TOKEN = 'e2e-access-token';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

function errorBody(code: string, message: string) {
  return { error: { code, message, requestId: 't' } };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The fake API: just enough of the server's contract for the shell, validated with the shared schemas. */
async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (req.method === 'POST' && path === '/api/v1/auth/login') {
    const { username, password } = await readJson(req);
    if (username === 'admin' && password === 'secret') {
      const body = loginResponseSchema.parse({
        accessToken: ACCESS_TOKEN,
        refreshToken: 'e2e-refresh-token',
        expiresIn: 900,
        user: ADMIN,
      });
      return sendJson(res, 200, body);
    }
    return sendJson(res, 401, errorBody('ERR-AUTH-0001', 'Wrong username or password.'));
  }
  if (req.method === 'GET' && path === '/api/v1/auth/me') {
    return req.headers.authorization === `Bearer ${ACCESS_TOKEN}`
      ? sendJson(res, 200, ADMIN)
      : sendJson(res, 401, errorBody('ERR-AUTH-0001', 'Authentication is required.'));
  }
  if (req.method === 'POST' && path === '/api/v1/auth/logout') return sendJson(res, 204);
  // The portal home lists the user's courses; the fake admin has none.
  if (req.method === 'GET' && path === '/api/v1/me/courses') return sendJson(res, 200, []);
  // …and their exams and wrong-answer book: empty too.
  if (req.method === 'GET' && path === '/api/v1/me/exams') {
    return sendJson(res, 200, myExamsSchema.parse({ upcoming: [], available: [], inProgress: [], done: [] }));
  }
  if (req.method === 'GET' && path === '/api/v1/me/wrong-answers/summary') {
    return sendJson(res, 200, wrongAnswerSummarySchema.parse({ active: 0, byKnowledgePoint: [] }));
  }
  if (req.method === 'GET' && path === '/health/ready') {
    const body = readinessSchema.parse({
      status: 'ready',
      components: {
        database: { status: 'up', latencyMs: 2 },
        queue: { status: 'up', latencyMs: 1 },
        disk: { status: 'up', detail: '42 GB free' },
      },
      failing: [],
    });
    return sendJson(res, 200, body);
  }
  return sendJson(res, 404, errorBody('ERR-COMMON-0005', `No route for ${req.method} ${path}.`));
}

/** Static files from dist, with history-mode fallback to index.html for page URLs. */
function serveStatic(res: ServerResponse, path: string): void {
  const file = normalize(join(DIST, decodeURIComponent(path)));
  const inside = file.startsWith(DIST.endsWith(sep) ? DIST : DIST + sep);
  const target = inside && existsSync(file) && statSync(file).isFile() ? file : join(DIST, 'index.html');
  res
    .writeHead(200, { 'content-type': MIME[extname(target)] ?? 'application/octet-stream' })
    .end(readFileSync(target));
}

function startServer(): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (/^\/(api|health)(\/|$)/.test(path)) {
      handleApi(req, res, path).catch((error: unknown) => sendJson(res, 500, errorBody('ERR-COMMON-0007', String(error))));
    } else {
      serveStatic(res, path);
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, baseUrl: `http://127.0.0.1:${port}` });
    });
  });
}

describe('web shell', () => {
  let server: Server;
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'index.html'))) {
      throw new Error(`The built web app is missing (${DIST}). Run \`npm run build -w @kpl/web\` first.`);
    }
    mkdirSync(SCREENSHOTS, { recursive: true });
    ({ server, baseUrl } = await startServer());
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  /**
   * A fresh browser context per journey. Console errors and uncaught exceptions are collected so
   * each journey can assert there were none; `expectedFailures` lists request paths that are meant
   * to fail (Chromium logs each failed response as a console error).
   */
  async function openPage(options: BrowserContextOptions = {}, expectedFailures: string[] = []) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const url = message.location().url;
      const expected = message.text().startsWith('Failed to load resource') && expectedFailures.some((p) => url.endsWith(p));
      if (!expected) problems.push(`console: ${message.text()} (${url})`);
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    return { page, problems, close: () => context.close() };
  }

  /** Lets enter transitions (drawer slide, tag zoom) finish so screenshots show the settled UI. */
  async function settle(page: Page): Promise<void> {
    await page.evaluate(async () => {
      // Vue starts enter transitions on the next frame, so give them two frames to register.
      for (let i = 0; i < 2; i++) await new Promise(requestAnimationFrame);
      await Promise.all(document.getAnimations().map((animation) => animation.finished));
    });
  }

  async function signIn(page: Page, username: string, password: string): Promise<void> {
    await page.getByLabel('账号').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(password);
    await page.getByLabel('密码', { exact: true }).press('Enter');
  }

  it('(a) sends visitors to the zh-CN sign-in page and switches to English', async () => {
    const { page, problems, close } = await openPage();
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(`${baseUrl}/login`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.getByRole('heading', { name: '登录' }).waitFor();
    expect(await page.getByPlaceholder('用户名 / 工号 / 邮箱').isVisible()).toBe(true);
    expect(await page.title()).toBe('登录 · 考培练');
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'login-zh-CN.png'), fullPage: true });

    await page.getByRole('button', { name: /切换语言/ }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).isVisible()).toBe(true);
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // The choice survives a reload.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    expect(problems).toEqual([]);
    await close();
  });

  it('(b) validates the form and shows a wrong-password error', async () => {
    const { page, problems, close } = await openPage({}, ['/api/v1/auth/login']);
    await page.goto(`${baseUrl}/login`);

    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('请输入用户名、工号或邮箱').waitFor();
    await page.getByText('请输入密码', { exact: true }).waitFor();

    await signIn(page, 'admin', 'wrong');
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).waitFor();
    await page.getByText('请输入用户名、工号或邮箱').waitFor({ state: 'detached' });
    expect(new URL(page.url()).pathname).toBe('/login');

    expect(problems).toEqual([]);
    await close();
  });

  it('(c) signs an admin in to the console with live system status', async () => {
    const { page, problems, close } = await openPage();
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(`${baseUrl}/login`);
    await signIn(page, 'admin', 'secret');
    await page.waitForURL(`${baseUrl}/admin`);

    await page.getByRole('heading', { name: '控制台', level: 1 }).waitFor();
    const components = page.getByRole('list', { name: '系统状态' }).getByRole('listitem');
    await components.first().waitFor();
    expect(await components.count()).toBe(3);
    expect(await components.allTextContents()).toEqual([
      expect.stringContaining('数据库'),
      expect.stringContaining('任务队列'),
      expect.stringContaining('磁盘空间'),
    ]);
    expect(await page.getByRole('link', { name: /API 文档/ }).getAttribute('href')).toBe('/docs');
    await settle(page);
    await page.screenshot({ path: join(SCREENSHOTS, 'admin-dashboard.png'), fullPage: true });

    expect(problems).toEqual([]);
    await close();
  });

  it('(d) collapses the learner navigation into a hamburger menu at phone width', async () => {
    const { page, problems, close } = await openPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    await page.goto(`${baseUrl}/login`);
    await signIn(page, 'admin', 'secret');
    await page.waitForURL(`${baseUrl}/admin`);

    await page.goto(`${baseUrl}/`);
    await page.getByRole('heading', { name: /欢迎回来，系统管理员/ }).waitFor();
    const hamburger = page.getByRole('button', { name: '打开导航菜单' });
    expect(await hamburger.isVisible()).toBe(true);
    expect(await page.locator('header nav').isVisible()).toBe(false);
    // Nothing sticks out sideways at phone width.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    await hamburger.click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('link', { name: '首页' }).waitFor();
    await settle(page);
    expect(await drawer.getByRole('link', { name: '管理控制台' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-mobile-menu.png') });

    expect(problems).toEqual([]);
    await close();
  });
});
