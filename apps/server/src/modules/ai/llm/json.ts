import { AiCallError } from '../errors.js';

/**
 * The JSON value in a model's answer. Models asked for "only JSON" still wrap it in ```json fences
 * or add a sentence around it, so the outermost object (or array) is cut out before parsing.
 */
export function extractJson(text: string): unknown {
  const unfenced = text.replace(/```(?:json)?/gi, '').trim();
  const candidates = [unfenced];
  for (const [open, close] of [['{', '}'], ['[', ']']] as const) {
    const from = unfenced.indexOf(open);
    const to = unfenced.lastIndexOf(close);
    if (from >= 0 && to > from) candidates.push(unfenced.slice(from, to + 1));
  }
  for (const c of candidates) {
    try {
      return JSON.parse(c) as unknown;
    } catch {
      // try the next cut
    }
  }
  throw new AiCallError('protocol', `the model did not answer with JSON: ${text.slice(0, 120)}`, { afterFirstByte: true });
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
