import { describe, expect, it } from 'vitest';
import { usageByBackend } from './usage';

const row = (backendId: string, capability: string, calls: number, errors: number, prompt = 0, completion = 0) => ({
  backendId,
  backendName: backendId.toUpperCase(),
  capability,
  calls,
  errors,
  promptTokens: prompt,
  completionTokens: completion,
  avgLatencyMs: 1,
  p50LatencyMs: 1,
  p95LatencyMs: 1,
  avgFirstByteMs: null,
});

describe('usage per backend', () => {
  it('sums capabilities per backend, busiest first, with the error rate', () => {
    expect(usageByBackend([row('a', 'gradeAnswer', 3, 1, 10, 5), row('b', 'tutorAnswer', 10, 0), row('a', 'generateQuestions', 1, 0, 100, 50)])).toEqual([
      { backendId: 'b', backendName: 'B', calls: 10, errors: 0, tokens: 0, errorRate: 0 },
      { backendId: 'a', backendName: 'A', calls: 4, errors: 1, tokens: 165, errorRate: 25 },
    ]);
    expect(usageByBackend([])).toEqual([]);
  });
});
