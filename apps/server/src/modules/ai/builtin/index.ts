/**
 * The builtin AI backend: deterministic, offline, no network. Classical NLP on top of the
 * content module (jieba tokens, TF-IDF keywords, thesaurus, sentences): question generation,
 * rubric grading, extractive tutoring with citations, scripted role-play and its evaluation,
 * hashed embeddings. A pure library: no database, no HTTP.
 */
import type { AiCapabilities, CallOptions } from '../capabilities.js';
import { embedText } from './embed.js';
import { generateQuestions } from './generate.js';
import { gradeAnswer } from './grade.js';
import { evaluatePractice, rolePlayTurn } from './roleplay.js';
import { tutorAnswer } from './tutor.js';

export { EMBEDDING_DIMENSIONS } from './embed.js';
export { BLANK } from './generate.js';
export { NO_ANSWER } from './tutor.js';
export { PRACTICE_SCENARIOS, CRITERION_LABELS, type Criterion } from './scenarios.js';
export { charNgrams, containment, jaccard, matchForm, stripTags } from './text.js';
export { sampleChunks } from './fixtures.js';

const check = (options?: CallOptions) => options?.signal?.throwIfAborted();

export function createBuiltinCapabilities(): AiCapabilities {
  return {
    async generateQuestions(input, options) {
      check(options);
      return generateQuestions(input);
    },
    async gradeAnswer(input, options) {
      check(options);
      return gradeAnswer(input);
    },
    tutorAnswer: (input, options) => tutorAnswer(input, options),
    rolePlayTurn: (input, options) => rolePlayTurn(input, options),
    async evaluatePractice(input, options) {
      check(options);
      return evaluatePractice(input);
    },
    async embed(texts, options) {
      check(options);
      return texts.map((t) => embedText(t));
    },
  };
}
