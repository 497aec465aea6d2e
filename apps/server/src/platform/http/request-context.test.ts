import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent } from './request-context.js';

describe('W3C traceparent', () => {
  it('keeps a valid caller trace and starts a child span', () => {
    const t = parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(t).toMatchObject({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', parentSpanId: '00f067aa0ba902b7', flags: '01' });
    expect(t.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(formatTraceparent(t)).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${t.spanId}-01`);
  });

  it.each(['', 'garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'])(
    'starts a new trace for invalid header %j',
    (header) => {
      const t = parseTraceparent(header);
      expect(t.parentSpanId).toBeNull();
      expect(t.traceId).toMatch(/^[0-9a-f]{32}$/);
    },
  );
});
