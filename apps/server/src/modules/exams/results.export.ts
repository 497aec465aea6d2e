import { PassThrough, type Readable } from 'node:stream';
import { QUESTION_TYPE_LABELS_ZH, type AnswerValue, type GradeStatus, type QuestionContent, type SubmitReason } from '@kpl/shared';
import ExcelJS from 'exceljs';
import { actorFields } from '../../platform/audit-actor.js';
import { safeFileName } from '../../platform/http/content-disposition.js';
import { formatShanghai, neutraliseFormula, shanghaiDay, styleHeader } from '../../platform/spreadsheet.js';
import type { DepartmentLookup } from '../courses/index.js';
import type { Actor } from '../identity/index.js';
import { htmlToText } from '../questions/index.js';
import type { GradesDeps } from './grades.service.js';
import { fromCents, toCents } from './grading/cents.js';
import type { MonitoringRepository } from './monitoring.repository.js';
import type { MonitoringService } from './monitoring.service.js';
import { parseAnswer, parseJson } from './scoring.js';
import type { VersionCache } from './version-cache.js';

const PAGE = 500;
/** Attempts whose questions are read per query for the per-question sheet. */
const QUESTION_BATCH = 100;
const STEM_MAX = 300;

const SUBMIT_REASONS: Record<SubmitReason, string> = { manual: '主动交卷', timeout: '超时自动交卷', closed: '考试关闭时交卷' };
const GRADERS: Record<'auto' | 'ai' | 'user', string> = { auto: '自动', ai: 'AI', user: '人工' };

export const RESULT_SHEETS = { attempts: '成绩', questions: '各题得分', knowledgePoints: '知识点' } as const;
const ATTEMPT_COLUMNS = ['工号', '姓名', '部门', '第几次', '开始时间', '交卷时间', '交卷方式', '得分', '满分', '得分率%', '是否通过', '待评分题数'];
const QUESTION_COLUMNS = ['工号', '姓名', '第几次', '题号', '题型', '题干', '知识点', '作答', '得分', '满分', '结果', '评分方式'];
const KP_COLUMNS = ['知识点', '作答人次', '题次', '平均得分', '平均满分', '得分率%', '正确率%', '待评分题次'];
const WIDTHS: Record<string, number> = { 工号: 14, 姓名: 14, 部门: 28, 开始时间: 20, 交卷时间: 20, 交卷方式: 14, 题干: 50, 知识点: 20, 作答: 30, 结果: 10, 评分方式: 10 };

/** score / max × 100 rounded down to 2 decimals, as everywhere else (59.996 % never shows as 60 %). */
const percentOf = (scoreCents: number, maxCents: number): number | string => (maxCents === 0 ? '' : fromCents(Math.floor((scoreCents * 10_000) / maxCents)));

/** Every text cell is formula-neutralised; numbers stay numbers. */
const cells = (values: (string | number | null)[]) => values.map((v) => (typeof v === 'string' ? neutraliseFormula(v) : (v ?? '')));

function addSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: string[]): ExcelJS.Worksheet {
  const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  // 工号 is text, so Excel keeps leading zeros.
  ws.columns = columns.map((c) => ({ header: c, key: c, width: WIDTHS[c] ?? 10, style: c === '工号' ? { numFmt: '@' } : {} }));
  styleHeader(ws.getRow(1));
  ws.getRow(1).commit();
  return ws;
}

function answerText(content: QuestionContent, answer: AnswerValue): string {
  if (answer === null) return '';
  if (content.type === 'true_false') return answer === true ? '对' : answer === false ? '错' : '';
  if (Array.isArray(answer)) return content.type === 'multiple' ? answer.join('') : answer.join(' | ');
  return String(answer);
}

function outcome(status: GradeStatus | null, correct: number | null, score: number, answered: boolean): string {
  if (status === null || status === 'pending') return '待评分';
  if (status === 'manual') return '待人工评分';
  if (!answered) return '未作答';
  if (Number(correct) === 1) return '正确';
  return score > 0 ? '部分得分' : '错误';
}

interface Tally {
  attempts: Set<string>;
  items: number;
  score: number;
  max: number;
  graded: number;
  correct: number;
  pending: number;
}

export interface ResultsExportDeps {
  monitoring: MonitoringService;
  repo: MonitoringRepository;
  versions: VersionCache;
  departments: DepartmentLookup;
  audit: GradesDeps['audit'];
}

/**
 * An exam's results as .xlsx, for the people who may see its attempts (managers: their department
 * subtree). Sheet 成绩: one row per attempt. Sheet 各题得分: one row per question of every submitted
 * attempt, against the version it was graded with. Sheet 知识点: per knowledge point, averages over
 * the graded questions of submitted attempts (questions still waiting for a grade are counted apart).
 */
export class ResultsExporter {
  constructor(private readonly deps: ResultsExportDeps) {}

  async open(actor: Actor, examId: string, at = Date.now()): Promise<{ stream: Readable; ascii: string; name: string }> {
    const { exam, scope } = await this.deps.monitoring.scoped(actor, examId);
    const page = (after: string) => this.deps.repo.exportAttempts(examId, scope.pathPrefix, after, PAGE);
    // Read before anything is sent, so a failure is still an ordinary error answer.
    const [first, names] = await Promise.all([page(''), this.deps.departments.names()]);
    await this.deps.audit.record({ ...actorFields(actor), action: 'exam.results_exported', targetType: 'exam', targetId: examId, details: { scope: scope.pathPrefix ?? 'all' } });

    const out = new PassThrough();
    const write = async () => {
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
      wb.creator = '考培练';

      // Sheet 1: every attempt; remember the submitted ones for the other sheets.
      const submitted: { id: string; employeeNo: string; name: string; attemptNo: number }[] = [];
      const attemptsSheet = addSheet(wb, RESULT_SHEETS.attempts, ATTEMPT_COLUMNS);
      for (let rows = first; ; ) {
        for (const a of rows) {
          const done = a.status === 'submitted';
          const score = a.score === null ? null : Number(a.score);
          const max = Number(a.max_score);
          const employeeNo = a.employee_no ?? a.username;
          if (done) submitted.push({ id: a.id, employeeNo, name: a.display_name, attemptNo: Number(a.attempt_no) });
          attemptsSheet
            .addRow(
              cells([
                employeeNo,
                a.display_name,
                a.department_id ? (names.get(a.department_id) ?? '') : '',
                Number(a.attempt_no),
                formatShanghai(Number(a.started_at)),
                a.submitted_at === null ? '' : formatShanghai(Number(a.submitted_at)),
                a.submit_reason ? SUBMIT_REASONS[a.submit_reason] : '作答中',
                done ? score : null,
                max,
                done && score !== null ? percentOf(toCents(score), toCents(max)) : null,
                !done ? '' : a.passed === null ? '待定' : Number(a.passed) === 1 ? '通过' : '未通过',
                done ? Number(a.pending_count) : null,
              ]),
            )
            .commit();
        }
        if (rows.length < PAGE) break;
        rows = await page(rows.at(-1)!.id);
      }
      attemptsSheet.commit();

      // Sheet 2: every question of the submitted attempts; knowledge-point tallies on the way.
      const tallies = new Map<string, Tally>();
      const questionsSheet = addSheet(wb, RESULT_SHEETS.questions, QUESTION_COLUMNS);
      for (let i = 0; i < submitted.length; i += QUESTION_BATCH) {
        const batch = submitted.slice(i, i + QUESTION_BATCH);
        const byId = new Map(batch.map((b) => [b.id, b]));
        const rows = await this.deps.repo.questionResults(batch.map((b) => b.id));
        const versions = await this.deps.versions.require(rows.map((r) => r.graded_version_id ?? r.version_id));
        for (const r of rows) {
          const who = byId.get(r.attempt_id)!;
          const content = versions.get(r.graded_version_id ?? r.version_id)!.content;
          const score = r.score === null ? 0 : Number(r.score);
          const max = r.max_score === null ? Number(r.points) : Number(r.max_score);
          const answered = parseJson<{ answered?: boolean }>(r.detail)?.answered ?? false;
          const status = r.status as GradeStatus | null;
          questionsSheet
            .addRow(
              cells([
                who.employeeNo,
                who.name,
                who.attemptNo,
                Number(r.position) + 1,
                QUESTION_TYPE_LABELS_ZH[content.type],
                htmlToText(content.stem).slice(0, STEM_MAX),
                content.knowledgePoints.join('、'),
                answerText(content, parseAnswer(r.answer)),
                score,
                max,
                outcome(status, r.correct, score, answered),
                r.grader ? GRADERS[r.grader] : '',
              ]),
            )
            .commit();
          for (const kp of new Set(content.knowledgePoints)) {
            const t = tallies.get(kp) ?? { attempts: new Set(), items: 0, score: 0, max: 0, graded: 0, correct: 0, pending: 0 };
            tallies.set(kp, t);
            t.attempts.add(r.attempt_id);
            t.items++;
            if (status !== 'graded') {
              t.pending++;
              continue;
            }
            t.graded++;
            t.score += toCents(score);
            t.max += toCents(max);
            if (Number(r.correct) === 1) t.correct++;
          }
        }
      }
      questionsSheet.commit();

      // Sheet 3: per knowledge point, over graded questions.
      const kpSheet = addSheet(wb, RESULT_SHEETS.knowledgePoints, KP_COLUMNS);
      for (const [kp, t] of [...tallies].sort((a, b) => a[0].localeCompare(b[0], 'zh-CN'))) {
        const n = t.attempts.size;
        kpSheet
          .addRow(
            cells([
              kp,
              n,
              t.items,
              fromCents(Math.round(t.score / n)),
              fromCents(Math.round(t.max / n)),
              percentOf(t.score, t.max),
              t.graded === 0 ? '' : fromCents(Math.floor((t.correct * 10_000) / t.graded)),
              t.pending,
            ]),
          )
          .commit();
      }
      kpSheet.commit();
      await wb.commit();
    };
    write().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
    const day = shanghaiDay(at);
    return { stream: out, ascii: `exam-results-${day}.xlsx`, name: `成绩-${safeFileName(exam.title)}-${day}.xlsx` };
  }
}
