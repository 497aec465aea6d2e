import type { AiBackendKind, AiBackendOptions } from '@kpl/shared';
import type { ChatTurn, Usage } from '../capabilities.js';
import type { CallScope } from './http.js';

/** A backend as the clients need it: the API key already decrypted (kept in memory only). */
export interface BackendConfig {
  id: string;
  name: string;
  kind: AiBackendKind;
  baseUrl: string | null;
  model: string | null;
  appId: string | null;
  apiKey: string | null;
  options: AiBackendOptions;
}

/** One prompt for a text backend, vendor-neutral. */
export interface GenerateRequest {
  /** Chinese instructions for chat models (OpenAI-compatible: the system message). */
  system: string;
  /** The user's turn: the question or task with its material. Dify/Coze: the query. */
  prompt: string;
  history?: ChatTurn[];
  /** Named values for apps that carry their own prompts (Dify inputs, Coze custom variables/parameters). */
  inputs?: Record<string, string>;
  /** The answer must be one JSON object. */
  json?: boolean;
  maxTokens?: number;
  /** End-user id for vendors that scope conversations by user (Dify `user`, Coze `user_id`). */
  user?: string;
}

/**
 * What a streamed answer yields: text deltas, a replacement of everything so far (Dify's output
 * moderation), and usage when the vendor reports it.
 */
export type GenEvent = { type: 'text'; text: string } | { type: 'replace'; text: string } | { type: 'usage'; usage: Usage };

export interface Completion {
  text: string;
  usage?: Usage;
}

/** Reads a streamed answer to the end (applying Dify's replacements). */
export async function accumulate(events: AsyncIterable<GenEvent>): Promise<Completion> {
  let text = '';
  let usage: Usage | undefined;
  for await (const e of events) {
    if (e.type === 'text') text += e.text;
    else if (e.type === 'replace') text = e.text;
    else usage = e.usage;
  }
  return { text, usage };
}

/** The text a workflow produced: a plain string, its usual output variable, else all outputs as JSON. */
export function outputText(outputs: unknown): string {
  if (typeof outputs === 'string') return outputs;
  if (outputs === null || outputs === undefined) return '';
  if (typeof outputs === 'object') {
    const o = outputs as Record<string, unknown>;
    for (const k of ['answer', 'output', 'text', 'result']) if (typeof o[k] === 'string') return o[k];
    if (Object.keys(o).length === 0) return '';
  }
  return JSON.stringify(outputs);
}

export interface TextBackend {
  readonly config: BackendConfig;
  /**
   * Starts one streamed answer. Resolves once the first byte arrived and the response is known to
   * be a stream (the retry boundary); the iterable then yields the answer and throws AiCallError on
   * any failure, including a stream that ends without its terminator.
   */
  open(req: GenerateRequest, scope: CallScope): Promise<AsyncIterable<GenEvent>>;
  /** The whole answer at once (structured capabilities): a blocking call where the vendor has one. */
  complete(req: GenerateRequest, scope: CallScope): Promise<Completion>;
  /** Embeddings, where the vendor has them. */
  embed?(texts: string[], scope: CallScope): Promise<{ vectors: number[][]; usage?: Usage }>;
}
