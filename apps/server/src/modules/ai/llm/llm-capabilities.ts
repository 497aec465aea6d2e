import { ErrorCodes } from '@kpl/shared';
import { AppError } from '../../../platform/errors.js';
import type { AiCapabilities, CallOptions, SourceChunk, StreamEvent, Usage } from '../capabilities.js';
import type { GenerateRequest, TextBackend } from '../clients/types.js';
import type { BackendRuntime } from '../resilience.js';
import { parseCandidates, parseEvaluation, parseGrade } from './parse.js';
import { evaluatePracticePrompt, generateQuestionsPrompt, gradeAnswerPrompt, rolePlayPrompt, tutorPrompt } from './prompts.js';

const CITATION_MARK = /[[【](\d{1,2})[\]】]/g;
const QUOTE_CHARS = 200;

/**
 * The capabilities on a text backend (OpenAI-compatible, Dify, Coze), every call through the
 * backend's resilience runtime. Structured answers are parsed inside the call, so an answer that
 * is not the requested JSON counts as a failed call (and can fall back to the builtin engine).
 */
export class LlmCapabilities implements AiCapabilities {
  constructor(
    private readonly backend: TextBackend,
    private readonly runtime: BackendRuntime,
  ) {}

  private async structured<T>(capability: string, req: GenerateRequest, parse: (text: string) => T, options?: CallOptions): Promise<T> {
    const r = await this.runtime.call(
      capability,
      async (scope) => {
        const c = await this.backend.complete(req, scope);
        return { value: parse(c.text), usage: c.usage };
      },
      options?.signal,
    );
    return r.value;
  }

  generateQuestions(input: Parameters<AiCapabilities['generateQuestions']>[0], options?: CallOptions) {
    return this.structured('generateQuestions', generateQuestionsPrompt(input), (t) => parseCandidates(t, input), options);
  }

  gradeAnswer(input: Parameters<AiCapabilities['gradeAnswer']>[0], options?: CallOptions) {
    return this.structured('gradeAnswer', gradeAnswerPrompt(input), (t) => parseGrade(t, input), options);
  }

  evaluatePractice(input: Parameters<AiCapabilities['evaluatePractice']>[0], options?: CallOptions) {
    return this.structured('evaluatePractice', evaluatePracticePrompt(input), (t) => parseEvaluation(t), options);
  }

  tutorAnswer(input: Parameters<AiCapabilities['tutorAnswer']>[0], options?: CallOptions): AsyncIterable<StreamEvent> {
    return this.streamed('tutorAnswer', tutorPrompt(input), options, input.passages);
  }

  rolePlayTurn(input: Parameters<AiCapabilities['rolePlayTurn']>[0], options?: CallOptions): AsyncIterable<StreamEvent> {
    return this.streamed('rolePlayTurn', rolePlayPrompt(input), options, []);
  }

  async embed(texts: string[], options?: CallOptions): Promise<number[][]> {
    const embed = this.backend.embed?.bind(this.backend);
    if (!embed) throw new AppError(ErrorCodes.AI_NOT_CONFIGURED, `The ${this.backend.config.kind} backend has no embeddings.`);
    return (await this.runtime.call('embed', (scope) => embed(texts, scope), options?.signal)).vectors;
  }

  /** Deltas as they come; a citation event the first time the answer cites passage [n]; then done with usage. */
  private async *streamed(capability: string, req: GenerateRequest, options: CallOptions | undefined, passages: SourceChunk[]): AsyncGenerator<StreamEvent> {
    let text = '';
    let usage: Usage | undefined;
    const cited = new Set<number>();
    for await (const e of this.runtime.stream(capability, (scope) => this.backend.open(req, scope), options?.signal)) {
      if (e.type === 'usage') {
        usage = e.usage;
        continue;
      }
      let delta = e.text;
      if (e.type === 'replace') {
        // Moderation replaced the answer. What was shown cannot be taken back: continue it when the
        // replacement extends it, otherwise show the replacement after a break.
        delta = e.text.startsWith(text) ? e.text.slice(text.length) : `\n\n${e.text}`;
      }
      if (!delta) continue;
      text += delta;
      yield { type: 'delta', text: delta };
      for (const m of text.matchAll(CITATION_MARK)) {
        const n = Number(m[1]);
        const p = passages[n - 1];
        if (!p || cited.has(n)) continue;
        cited.add(n);
        yield { type: 'citation', chunkId: p.chunkId, materialId: p.materialId, ...(p.citation ? { citation: p.citation } : {}), quote: Array.from(p.text).slice(0, QUOTE_CHARS).join('') };
      }
    }
    yield { type: 'done', ...(usage ? { usage } : {}) };
  }
}
