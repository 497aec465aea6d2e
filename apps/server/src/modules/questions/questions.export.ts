import type { QuestionExportQuery } from '@kpl/shared';
import type { Actor } from '../identity/index.js';
import { actorFields, type Audit, type BanksService } from './banks.service.js';
import { writeGift } from './format.gift.js';
import { writeQuestionsXlsx, XLSX_CONTENT_TYPE } from './format.xlsx.js';
import { parseContent } from './presenters.js';
import type { QuestionsRepository } from './questions.repository.js';

export interface ExportFile {
  body: Buffer;
  contentType: string;
  /** ASCII name for old clients, and the Chinese one. */
  asciiName: string;
  name: string;
}

/** `attachment` with an ASCII name and the UTF-8 one (RFC 5987). */
export function contentDisposition(asciiName: string, name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}

const day = (at: number) => new Date(at + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
/** Characters Windows refuses in file names (and control characters). */
const fileSafe = (s: string) =>
  Array.from(s, (ch) => (ch.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .slice(0, 60);

export class QuestionsExporter {
  constructor(
    private readonly repo: QuestionsRepository,
    private readonly banks: BanksService,
    private readonly audit: Audit,
  ) {}

  /** A bank's questions (current versions) as .xlsx or GIFT; anyone who may read the bank may export it. */
  async export(actor: Actor, query: QuestionExportQuery, at = Date.now()): Promise<ExportFile> {
    const bank = await this.banks.find(query.bankId);
    const rows = await this.repo.bankQuestions(bank.id, query.status === 'all' ? undefined : query.status);
    const questions = rows.map((r) => ({ content: parseContent(r.content), points: Number(r.default_points) }));
    await this.audit.record({
      ...actorFields(actor),
      action: 'questions.exported',
      targetType: 'question_bank',
      targetId: bank.id,
      details: { format: query.format, status: query.status, questions: questions.length },
    });
    const stamp = day(at);
    if (query.format === 'gift') {
      return {
        body: Buffer.from(writeGift(questions, `${bank.name}（${questions.length} 题）`), 'utf8'),
        contentType: 'text/plain; charset=utf-8',
        asciiName: `questions-${stamp}.gift.txt`,
        name: `题库-${fileSafe(bank.name)}-${stamp}.gift.txt`,
      };
    }
    return {
      body: await writeQuestionsXlsx(questions),
      contentType: XLSX_CONTENT_TYPE,
      asciiName: `questions-${stamp}.xlsx`,
      name: `题库-${fileSafe(bank.name)}-${stamp}.xlsx`,
    };
  }
}
