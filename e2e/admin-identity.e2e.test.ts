/**
 * Console journeys in a real browser against the real server: the built server (apps/server/dist)
 * runs as a child process on a fresh SQLite database seeded with the demo organisation, and serves
 * the built web app (apps/web/dist). Nothing is faked.
 *
 * Build first: `npm run build -w @kpl/shared && npm run build -w @kpl/server && npm run build -w @kpl/web`.
 */
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, openPage as openBrowserPage, screenshot } from './support/browser.js';
import { SEED_PASSWORD, startRealServer, type RealServer } from './support/real-server.js';


/** An .xlsx in the template's layout; `rows` are the data rows under the header. */
async function writeWorkbook(path: string, rows: string[][]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('用户');
  sheet.addRow(['工号', '姓名', '手机号', '邮箱', '部门', '角色', '岗位']);
  for (const row of rows) sheet.addRow(row);
  await workbook.xlsx.writeFile(path);
}

describe('admin console against the real server', () => {
  let tempDir: string;
  let server: RealServer | undefined;
  let serverLog: string[] = [];
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    server = await startRealServer('admin');
    ({ baseUrl, log: serverLog, dataDir: tempDir } = server);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const openPage = (expectedFailures: (string | RegExp)[] = []) => openBrowserPage(browser, {}, expectedFailures);

  async function signIn(page: Page, username: string, password: string, landing: string): Promise<void> {
    await page.goto(`${baseUrl}/login`);
    await page.getByLabel('账号').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${baseUrl}${landing}`);
  }

  const sidebar = (page: Page) => page.getByRole('navigation', { name: '管理导航' });
  const tableRows = (scope: Page | Locator) => scope.locator('.el-table__body-wrapper tbody tr.el-table__row');
  const message = (page: Page, text: string | RegExp) => page.locator('.el-message').filter({ hasText: text });

  async function apiToken(username: string, password: string): Promise<string> {
    const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { accessToken: string }).accessToken;
  }

  it('(a) admin filters users by department, creates, edits, resets and deactivates a user', async () => {
    const { page, problems, close } = await openPage(['/api/v1/users']);
    await signIn(page, 'admin', SEED_PASSWORD, '/admin');

    await sidebar(page).getByRole('menuitem', { name: '用户管理' }).click();
    await page.waitForURL(`${baseUrl}/admin/users`);
    await page.getByRole('heading', { name: '用户管理', level: 1 }).waitFor();
    await expect.poll(() => tableRows(page).count()).toBe(20); // 23 users, first page of 20

    // Filter by 华东区 in the tree: its five learners, and the choice is in the URL.
    await page.locator('.dept-panel__tree').getByText('华东区', { exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.has('departmentId')).toBe(true);
    await expect.poll(() => tableRows(page).count()).toBe(5);
    expect(await tableRows(page).first().textContent()).toContain('总部/销售部/华东区');
    await screenshot(page, 'admin-users');

    // Create: client-side rules first, then the server's "already taken".
    await page.getByRole('button', { name: '新建用户' }).click();
    const dialog = page.getByRole('dialog', { name: '新建用户' });
    await dialog.getByLabel('登录名').fill('learner01');
    await dialog.getByLabel('姓名').fill('测试学员');
    await dialog.getByLabel('工号').fill('E2E001');
    await dialog.getByLabel('手机').fill('12345');
    await dialog.getByLabel('邮箱').fill('e2e.learner@example.com');
    await dialog.getByLabel('初始密码').fill('Welcome2026');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('请输入 11 位手机号').waitFor();
    await dialog.getByLabel('手机').fill('13900001111');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('已被其他用户使用').waitFor(); // learner01 exists (409 ERR-USER-0001)
    await screenshot(page, 'admin-user-form');
    await dialog.getByLabel('登录名').fill('e2e.learner');
    await dialog.getByRole('button', { name: '保存' }).click();
    await message(page, '已创建用户 测试学员').waitFor();
    await expect.poll(() => tableRows(page).count()).toBe(6); // created in the selected department

    const row = tableRows(page).filter({ hasText: 'e2e.learner' });
    await row.getByRole('button', { name: '编辑' }).click();
    const editDialog = page.getByRole('dialog', { name: '编辑用户' });
    expect(await editDialog.getByLabel('登录名').isDisabled()).toBe(true);
    await editDialog.getByLabel('岗位').fill('储备店长');
    await editDialog.getByRole('button', { name: '保存' }).click();
    await message(page, '已保存').waitFor();
    await expect.poll(() => row.textContent()).toContain('储备店长');

    // A generated password is shown once, with a copy button.
    await row.getByRole('button', { name: '重置密码' }).click();
    const resetDialog = page.getByRole('dialog', { name: '重置密码：测试学员' });
    await resetDialog.getByRole('button', { name: '重置密码' }).click();
    const generated = resetDialog.getByLabel('新密码');
    await expect.poll(async () => (await generated.inputValue()).length).toBeGreaterThanOrEqual(8);
    expect(await resetDialog.getByRole('button', { name: '复制' }).isVisible()).toBe(true);
    await resetDialog.getByRole('button', { name: '完成' }).click();

    await row.getByRole('button', { name: '停用' }).click();
    await page.locator('.el-message-box').getByRole('button', { name: '停用' }).click();
    await message(page, '已停用 测试学员').waitFor();
    await row.getByRole('button', { name: '启用' }).waitFor(); // the action flips
    expect(await row.locator('.el-tag').last().textContent()).toBe('停用');

    // The table state survives a reload.
    await page.reload();
    await expect.poll(() => tableRows(page).count()).toBe(6);

    // Export downloads the filtered list.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出' }).click();
    expect((await download).suggestedFilename()).toMatch(/^用户-\d{8}\.xlsx$/);

    expect(problems).toEqual([]);
    await close();
  });

  it('(b) admin adds, renames, moves and deletes a department; a non-empty one is refused', async () => {
    const { page, problems, close } = await openPage([/^\/api\/v1\/departments\/[\w-]+$/]);
    await signIn(page, 'admin', SEED_PASSWORD, '/admin');
    await sidebar(page).getByRole('menuitem', { name: '部门管理' }).click();
    await page.waitForURL(`${baseUrl}/admin/departments`);

    const nodeRow = (name: string) => page.locator('.dept-row').filter({ has: page.getByText(name, { exact: true }) });
    await nodeRow('华东区').hover();
    await nodeRow('华东区').getByRole('button', { name: '添加子部门' }).click();
    const addDialog = page.getByRole('dialog', { name: '在“华东区”下添加子部门' });
    await addDialog.getByLabel('部门名称').fill('上海组');
    await addDialog.getByRole('button', { name: '保存' }).click();
    await message(page, '已创建部门 上海组').waitFor();
    await nodeRow('上海组').waitFor();

    await nodeRow('上海组').hover();
    await nodeRow('上海组').getByRole('button', { name: '编辑' }).click();
    const renameDialog = page.getByRole('dialog', { name: '编辑部门：上海组' });
    await renameDialog.getByLabel('部门名称').fill('上海一组');
    await renameDialog.getByRole('button', { name: '保存' }).click();
    await nodeRow('上海一组').waitFor();

    // Move it under 华南区; the node itself is not offered as its own parent.
    await nodeRow('上海一组').hover();
    await nodeRow('上海一组').getByRole('button', { name: '移动' }).click();
    const moveDialog = page.getByRole('dialog', { name: '移动部门：上海一组' });
    await moveDialog.locator('.el-select').click();
    const choices = page.locator('.el-tree-select__popper:visible');
    await choices.getByText('华南区', { exact: true }).waitFor();
    expect(await choices.locator('[role=treeitem][aria-disabled=true]').allTextContents()).toEqual(['上海一组']);
    await choices.getByText('华南区', { exact: true }).click();
    await moveDialog.getByRole('button', { name: '移动' }).click();
    await message(page, '已移动 上海一组').waitFor();
    const token = await apiToken('admin', SEED_PASSWORD);
    const departments = (await (await fetch(`${baseUrl}/api/v1/departments`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      id: string;
      parentId: string | null;
      name: string;
    }[];
    const idOf = (name: string) => departments.find((d) => d.name === name)?.id;
    expect(departments.find((d) => d.name === '上海一组')?.parentId).toBe(idOf('华南区'));
    // The tree shows it in its new place: the 华南区 branch now has a child.
    await expect.poll(() => page.locator(`.dept-tree [data-key="${idOf('华南区')}"] [role=treeitem]`).allTextContents()).toEqual([
      expect.stringContaining('上海一组'),
    ]);
    await screenshot(page, 'admin-departments');

    // 华东区 has users: the server refuses (409 ERR-DEPT-0003) and the page says why.
    await nodeRow('华东区').hover();
    await nodeRow('华东区').getByRole('button', { name: '删除' }).click();
    await page.locator('.el-message-box').filter({ hasText: '确定删除部门“华东区”' }).getByRole('button', { name: '删除' }).click();
    const refusal = page.locator('.el-message-box').filter({ hasText: '无法删除部门' });
    await refusal.getByText(/还有 0 个子部门、6 名直属用户/).waitFor();
    await refusal.getByRole('button', { name: '知道了' }).click();

    await nodeRow('上海一组').hover();
    await nodeRow('上海一组').getByRole('button', { name: '删除' }).click();
    await page.locator('.el-message-box').filter({ hasText: '确定删除部门“上海一组”' }).getByRole('button', { name: '删除' }).click();
    await message(page, '已删除 上海一组').waitFor();
    await nodeRow('上海一组').waitFor({ state: 'detached' });

    expect(problems).toEqual([]);
    await close();
  });

  it('(c) admin reads the sign-ins in the audit log and filters by action', async () => {
    const { page, problems, close } = await openPage();
    await signIn(page, 'admin', SEED_PASSWORD, '/admin');
    await sidebar(page).getByRole('menuitem', { name: '审计日志' }).click();
    await page.waitForURL(`${baseUrl}/admin/audit`);

    const signIns = tableRows(page).filter({ hasText: '登录' }).filter({ hasText: '系统管理员' });
    await expect.poll(() => signIns.count()).toBeGreaterThanOrEqual(3); // one per journey so far

    // The select's visible box, not its (covered) search input, takes the click.
    await page.locator('.el-select').filter({ has: page.getByRole('combobox', { name: '操作' }) }).click();
    await page.getByRole('option', { name: '登录', exact: true }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('auth.login');
    await expect.poll(async () => (await tableRows(page).allTextContents()).every((text) => text.includes('登录'))).toBe(true);

    // Details expand under the row.
    await tableRows(page).first().locator('.el-table__expand-icon').click();
    await page.getByText('请求 ID').first().waitFor();
    await screenshot(page, 'admin-audit');

    expect(problems).toEqual([]);
    await close();
  });

  it('(d) admin turns self-registration on in 系统设置', async () => {
    const { page, problems, close } = await openPage();
    await signIn(page, 'admin', SEED_PASSWORD, '/admin');
    await sidebar(page).getByRole('menuitem', { name: '系统设置' }).click();
    await page.waitForURL(`${baseUrl}/admin/settings`);

    const toggle = page.getByRole('switch', { name: '允许自助注册' });
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await page.locator('.el-switch').filter({ has: toggle }).click(); // the input itself is visually hidden
    await page.getByRole('button', { name: '保存' }).click();
    await message(page, '设置已保存').waitFor();
    await screenshot(page, 'admin-settings');

    const settings = (await (await fetch(`${baseUrl}/api/v1/auth/settings`)).json()) as { registrationEnabled: boolean };
    expect(settings.registrationEnabled).toBe(true);

    expect(problems).toEqual([]);
    await close();
  });

  it('(e) admin imports users: a bad row is reported, the fixed file is imported', async (context) => {
    const token = await apiToken('admin', SEED_PASSWORD);
    const template = await fetch(`${baseUrl}/api/v1/users/import/template`, { headers: { authorization: `Bearer ${token}` } });
    if (template.status === 404) context.skip('the server has no import routes yet');

    const badFile = join(tempDir, 'import-bad.xlsx');
    const goodFile = join(tempDir, 'import-good.xlsx');
    await writeWorkbook(badFile, [
      ['E9001', '周一', '13800009001', '', '总部/销售部/华东区', '学员', '专员'],
      ['E9002', '吴二', '12345', '', '总部/销售部/华东区', '学员', '专员'],
    ]);
    await writeWorkbook(goodFile, [
      ['E9001', '周一', '13800009001', '', '总部/销售部/华东区', '学员', '专员'],
      ['E9002', '吴二', '13800009002', '', '总部/销售部/华东区', '学员', '专员'],
    ]);

    const { page, problems, close } = await openPage(['/api/v1/users/import']);
    await signIn(page, 'admin', SEED_PASSWORD, '/admin');
    await sidebar(page).getByRole('menuitem', { name: '用户管理' }).click();
    await page.getByRole('button', { name: '批量导入' }).click();
    await page.waitForURL(`${baseUrl}/admin/users/import`);

    const templateDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: '下载模板' }).click();
    expect((await templateDownload).suggestedFilename()).toBe('用户导入模板.xlsx');
    await page.getByRole('button', { name: '已准备好，下一步' }).click();

    await page.locator('input[type=file]').setInputFiles(badFile);
    await page.getByLabel('初始密码').fill('Welcome2026');
    await page.getByRole('button', { name: '检查文件' }).click();
    await page.getByText('1 行存在错误，未导入任何数据').waitFor();
    // 行 3 (the header is row 1), column 手机号.
    expect(await tableRows(page).allTextContents()).toEqual([expect.stringMatching(/^3手机号/)]);
    expect(await page.getByRole('button', { name: /确认导入/ }).isDisabled()).toBe(true);
    await screenshot(page, 'admin-user-import-errors');

    await page.getByRole('button', { name: '重新上传' }).click();
    await page.locator('input[type=file]').setInputFiles(goodFile);
    await page.getByRole('button', { name: '检查文件' }).click();
    await page.getByText('检查通过，可以导入 2 名用户').waitFor();
    await page.getByRole('button', { name: '确认导入 2 名用户' }).click();
    await page.getByText('已创建 2 名用户，新建 0 个部门').waitFor();
    await screenshot(page, 'admin-user-import-done');

    // The imported users sign in with 工号 (lower case) and the initial password.
    expect(await apiToken('e9001', 'Welcome2026')).toBeTruthy();

    expect(problems).toEqual([]);
    await close();
  });

  it('(f) an instructor sees the read-only console and no settings', async () => {
    const { page, problems, close } = await openPage();
    await signIn(page, 'instructor', SEED_PASSWORD, '/admin');
    const menu = await sidebar(page).getByRole('menuitem').allTextContents();
    expect(menu.map((text) => text.trim())).toEqual(['控制台', '用户管理', '部门管理', '课程管理', '题库管理', 'AI 出题', '试卷管理', '考试管理', '阅卷']);

    await sidebar(page).getByRole('menuitem', { name: '用户管理' }).click();
    await expect.poll(() => tableRows(page).count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: '新建用户' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: '编辑' }).count()).toBe(0);
    expect(await tableRows(page).first().textContent()).toMatch(/1\d\d\*{4}\d{4}/); // phone numbers come masked

    // The console's texts exist in English too (they load separately from the shell's).
    await page.getByRole('button', { name: /切换语言/ }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    expect(await page.getByRole('columnheader', { name: 'Employee no.' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: /Change language/ }).click();
    await page.getByRole('menuitem', { name: '简体中文' }).click();

    await page.goto(`${baseUrl}/admin/settings`);
    await page.waitForURL(`${baseUrl}/forbidden`);

    expect(problems).toEqual([]);
    await close();
  });

  it('(g) a learner changes the password on /profile, signs in again, and is refused the console', async () => {
    const { page, problems, close } = await openPage(['/api/v1/auth/password']);
    await signIn(page, 'learner02', SEED_PASSWORD, '/');

    await page.getByRole('button', { name: /用户菜单/ }).click();
    await page.getByRole('menuitem', { name: '个人中心' }).click();
    await page.waitForURL(`${baseUrl}/profile`);
    await page.getByRole('heading', { name: '个人中心', level: 1 }).waitFor();
    await page.getByText(/密码要求：至少 8 个字符/).waitFor();

    await page.getByLabel('当前密码').fill('Wrong-password-1');
    await page.getByLabel('新密码', { exact: true }).fill('Fresh2026pass');
    await page.getByLabel('确认新密码').fill('Fresh2026pass');
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.getByText('当前密码不正确').waitFor(); // 400 ERR-AUTH-0009
    await screenshot(page, 'profile');

    await page.getByLabel('当前密码').fill(SEED_PASSWORD);
    await page.getByRole('button', { name: '修改密码' }).click();
    await page.waitForURL(`${baseUrl}/login`);
    await message(page, '密码已修改，请重新登录').waitFor();

    await signIn(page, 'learner02', 'Fresh2026pass', '/');
    await page.goto(`${baseUrl}/admin/users`);
    await page.waitForURL(`${baseUrl}/forbidden`);
    await page.getByText('抱歉，你没有权限访问此页面').waitFor();
    await screenshot(page, 'learner-forbidden');

    expect(problems).toEqual([]);
    await close();
  });

  it('left the server log free of errors', () => {
    const errors = serverLog.filter((line) => /"level":"(error|fatal)"/.test(line));
    expect(errors).toEqual([]);
  });
});
