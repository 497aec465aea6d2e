import { describe, expect, it } from 'vitest';
import { createBuiltinCapabilities, EMBEDDING_DIMENSIONS } from './index.js';

const cosine = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('builtin embed', () => {
  it('returns fixed-size, L2-normalised, deterministic vectors where similar texts are close', async () => {
    const ai = createBuiltinCapabilities();
    const [a, b, c, empty] = await ai.embed(['处理敏感个人信息应当取得个人的单独同意', '敏感个人信息的处理需要个人单独同意', '今天天气很好，适合去公园散步', '']);
    for (const v of [a!, b!, c!]) {
      expect(v).toHaveLength(EMBEDDING_DIMENSIONS);
      expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    }
    expect(cosine(a!, b!)).toBeGreaterThan(0.5);
    expect(Math.abs(cosine(a!, c!))).toBeLessThan(0.2);
    expect(empty!.every((x) => x === 0)).toBe(true);
    expect((await ai.embed(['处理敏感个人信息应当取得个人的单独同意']))[0]).toEqual(a);
  });

  it('honours an aborted signal', async () => {
    const ai = createBuiltinCapabilities();
    await expect(ai.embed(['x'], { signal: AbortSignal.abort() })).rejects.toThrow();
  });
});
