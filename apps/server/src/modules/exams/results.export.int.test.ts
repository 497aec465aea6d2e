import type { AnswerValue, QuestionType } from '@kpl/shared';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDay } from '../../platform/spreadsheet.js';
import { backend, createTestApp, DEMO_PASSWORD, login, seedAndLogin, type Session, type TestApp } from '../../test/harness.js';
import { examKit } from './exams.test-support.js';

type Row = Record<string, unknown>;

/** Every sheet of the downloaded workbook as rows keyed by header. */
async function sheetsOf(payload: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(payload as unknown as ExcelJS.Buffer);
  const out: Record<string, { header: unknown[]; rows: Row[] }> = {};
  let formulas = 0;
  wb.eachSheet((ws) => {
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const rows: Row[] = [];
    ws.eachRow((row, n) => {
      row.eachCell((cell) => {
        if (cell.type === ExcelJS.ValueType.Formula) formulas++;
      });
      if (n > 1) rows.push(Object.fromEntries(header.map((h, i) => [String(h), row.getCell(i + 1).value])));
    });
    out[ws.name] = { header, rows };
  });
  return { sheets: out, formulas, names: wb.worksheets.map((w) => w.name) };
}

describe(`exam results export (${backend})`, () => {
  let t: TestApp;
  let s: Record<'admin' | 'instructor' | 'manager' | 'learner01' | 'learner02' | 'learner03', Session>;
  let formula: Session;
  let kit: ReturnType<typeof examKit>;
  let examId: string;
  let ids: Record<QuestionType, string>;

  const take = async (who: Session, answers: Partial<Record<QuestionType, AnswerValue>>, submit = true) => {
    const attemptId = await kit.start(who, examId);
    await kit.answerAll(who, attemptId, ids, answers);
    if (submit) expect((await kit.call('POST', `/api/v1/attempts/${attemptId}/submit`, who)).statusCode).toBe(200);
  };
  const exportAs = (who: Session, id = examId) => t.app.inject({ method: 'GET', url: `/api/v1/exams/${id}/results/export`, headers: who.headers });

  beforeAll(async () => {
    t = await createTestApp();
    s = await seedAndLogin(t, ['admin', 'instructor', 'manager', 'learner01', 'learner02', 'learner03']);
    kit = examKit(t, s.instructor);
    // A learner whose name is a formula, in the manager's subtree (华东区, like learner01).
    const { department_id } = await t.container.database.db.selectFrom('users').select('department_id').where('username', '=', 'learner01').executeTakeFirstOrThrow();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: s.admin.headers,
      payload: { username: 'formula1', password: `${DEMO_PASSWORD}x`, displayName: '=HYPERLINK("http://evil.example")', role: 'learner', employeeNo: 'F0001', departmentId: department_id },
    });
    expect(created.statusCode, created.body).toBe(201);
    formula = await login(t, 'formula1', `${DEMO_PASSWORD}x`);
    const exam = await kit.openExam([formula.userId, s.learner01.userId, s.learner02.userId, s.learner03.userId]);
    ({ examId, ids } = exam);
    await take(formula, {});
    await take(s.learner01, { single: 'B' });
    await take(s.learner03, { single: 'B', multiple: ['A'], true_false: false, fill_blank: ['2020', '12'], short_answer: '不知道' });
    await take(s.learner02, {}, false);
  });
  afterAll(() => t.close());

  it('exports one row per attempt, per-question scores and knowledge-point averages, formula-neutralised', async () => {
    const res = await exportAs(s.instructor);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const day = shanghaiDay(Date.now());
    expect(res.headers['content-disposition']).toBe(`attachment; filename="exam-results-${day}.xlsx"; filename*=UTF-8''${encodeURIComponent(`成绩-个人信息保护月考-${day}.xlsx`)}`);
    const { sheets, formulas, names } = await sheetsOf(res.rawPayload);
    expect(names).toEqual(['成绩', '各题得分', '知识点']);
    expect(formulas).toBe(0);

    const attempts = sheets['成绩']!;
    expect(attempts.header).toEqual(['工号', '姓名', '部门', '第几次', '开始时间', '交卷时间', '交卷方式', '得分', '满分', '得分率%', '是否通过', '待评分题数']);
    expect(attempts.rows).toHaveLength(4);
    const byNo = new Map(attempts.rows.map((r) => [r['工号'], r]));
    // The name that would be a live formula comes out as text behind an apostrophe.
    expect(byNo.get('F0001')).toMatchObject({ 姓名: `'=HYPERLINK("http://evil.example")`, 部门: '总部/销售部/华东区', 第几次: 1, 交卷方式: '主动交卷', 得分: 8, 满分: 18 });
    expect(byNo.get('F0001')!['得分率%']).toBe(44.44);
    expect(byNo.get('F0001')).toMatchObject({ 是否通过: '待定', 待评分题数: 1 });
    expect(byNo.get('KPL0004')).toMatchObject({ 姓名: '张伟', 得分: 6, 满分: 18 });
    expect(byNo.get('KPL0004')!['交卷时间']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(byNo.get('KPL0005')).toMatchObject({ 交卷方式: '作答中', 得分: null, 交卷时间: null, 是否通过: null });
    expect(byNo.get('KPL0006')).toMatchObject({ 部门: '总部/客户服务部', 得分: 0 });

    const questions = sheets['各题得分']!;
    expect(questions.header).toEqual(['工号', '姓名', '第几次', '题号', '题型', '题干', '知识点', '作答', '得分', '满分', '结果', '评分方式']);
    // Submitted attempts only: 3 × 5 questions.
    expect(questions.rows).toHaveLength(15);
    const q = (no: string, position: number) => questions.rows.find((r) => r['工号'] === no && r['题号'] === position)!;
    expect(q('KPL0004', 1)).toMatchObject({ 题型: '单选', 题干: '处理个人信息应当遵循什么原则？', 知识点: '处理原则', 作答: 'B', 得分: 0, 满分: 2, 结果: '错误', 评分方式: '自动' });
    expect(q('F0001', 2)).toMatchObject({ 题型: '多选', 作答: 'ACD', 得分: 3, 结果: '正确' });
    expect(q('F0001', 3)).toMatchObject({ 题型: '判断', 作答: '对', 结果: '正确' });
    expect(q('F0001', 4)).toMatchObject({ 题型: '填空', 作答: '２０２１ | 十一', 得分: 2, 结果: '正确' });
    expect(q('F0001', 5)).toMatchObject({ 题型: '简答', 得分: 0, 满分: 10, 评分方式: null });
    // Waiting for the AI grader (when one is wired) or for a person.
    expect(['待评分', '待人工评分']).toContain(q('F0001', 5)['结果']);
    expect(q('F0001', 1)['姓名']).toBe(`'=HYPERLINK("http://evil.example")`);

    const kps = sheets['知识点']!;
    expect(kps.header).toEqual(['知识点', '作答人次', '题次', '平均得分', '平均满分', '得分率%', '正确率%', '待评分题次']);
    const kp = new Map(kps.rows.map((r) => [r['知识点'], r]));
    // 处理原则: single (2) + fill-in (2) in 3 attempts: 2+2, 0+2, 0+0 of 12.
    expect(kp.get('处理原则')).toMatchObject({ 作答人次: 3, 题次: 6, 平均得分: 2, 平均满分: 4, '得分率%': 50, '正确率%': 50, 待评分题次: 0 });
    // 敏感信息: multiple (3) + true/false (1): 4, 4, 0 of 12.
    expect(kp.get('敏感信息')).toMatchObject({ 作答人次: 3, 题次: 6, 平均得分: 2.67, '得分率%': 66.66, '正确率%': 66.66 });
    // 告知同意: the three short answers wait for a grade.
    expect(kp.get('告知同意')).toMatchObject({ 作答人次: 3, 题次: 3, 待评分题次: 3, '得分率%': null });

    const audit = (await kit.call('GET', '/api/v1/audit?action=exam.results_exported', s.admin)).json();
    expect(audit.items.find((i: { targetId: string }) => i.targetId === examId)).toMatchObject({ actorId: s.instructor.userId, targetType: 'exam' });
  });

  it("gives managers only their department subtree's takers, and nobody else's attempts to anyone else", async () => {
    const res = await exportAs(s.manager);
    expect(res.statusCode).toBe(200);
    const { sheets } = await sheetsOf(res.rawPayload);
    expect(sheets['成绩']!.rows.map((r) => r['工号']).sort()).toEqual(['F0001', 'KPL0004', 'KPL0005']);
    expect(new Set(sheets['各题得分']!.rows.map((r) => r['工号']))).toEqual(new Set(['F0001', 'KPL0004']));
    expect(sheets['知识点']!.rows.find((r) => r['知识点'] === '处理原则')).toMatchObject({ 作答人次: 2 });

    expect((await exportAs(s.admin)).statusCode).toBe(200);
    expect((await exportAs(s.learner01)).statusCode).toBe(403);
    expect((await exportAs(s.instructor, '01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });
});
