import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSse, type SseMessage } from './sse.js';

const enc = new TextEncoder();
async function* bytes(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? enc.encode(p) : p;
}
async function all(src: AsyncIterable<Uint8Array>): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const m of readSse(src)) out.push(m);
  return out;
}

describe('readSse (ai-wire-formats §0)', () => {
  it('reads several events from one network read and one event over several reads', async () => {
    const two = 'data: {"a":1}\n\ndata: {"a":2}\n\n';
    expect(await all(bytes(two))).toEqual([{ data: '{"a":1}' }, { data: '{"a":2}' }].map((e) => ({ ...e, event: undefined, id: undefined })));
    expect((await all(bytes('da', 'ta: {"a"', ':3}\n', '\n'))).map((m) => m.data)).toEqual(['{"a":3}']);
  });

  it('keeps a Chinese character that straddles two reads', async () => {
    const b = enc.encode('data: {"t":"培训"}\n\n');
    const cut = b.indexOf(0xe5) + 1; // inside 培
    expect((await all(bytes(b.subarray(0, cut), b.subarray(cut)))).map((m) => m.data)).toEqual(['{"t":"培训"}']);
  });

  it('accepts \\n, \\r\\n and \\r line endings, data: with or without a space, and joins data lines', async () => {
    const got = await all(bytes('event:conversation.message.delta\r\ndata:{"x":1}\r\n\r\n', 'data: a\rdata: b\r\r', 'id: 7\nevent: Message\ndata: {}\n\n'));
    expect(got).toEqual([
      { event: 'conversation.message.delta', data: '{"x":1}', id: undefined },
      { event: undefined, data: 'a\nb', id: undefined },
      { event: 'Message', data: '{}', id: '7' },
    ]);
  });

  it('skips comments (DeepSeek keep-alive) and data-less events (Dify ping) without JSON-parsing them', async () => {
    const got = await all(bytes(': keep-alive\n\n', 'event: ping\n\n', 'data: {"ok":true}\n\n'));
    expect(got.map((m) => m.data)).toEqual(['{"ok":true}']);
  });

  it('dispatches what is left at EOF, and hands a bare JSON error line (Coze) over as raw', async () => {
    expect((await all(bytes('data: [DONE]'))).map((m) => m.data)).toEqual(['[DONE]']);
    const got = await all(bytes('event:conversation.chat.in_progress\ndata:{}\n\n', '{"code":4013,"msg":"busy"}'));
    expect(got.at(-1)).toEqual({ event: 'raw', data: '{"code":4013,"msg":"busy"}' });
  });

  it('yields the same events however the bytes are cut', async () => {
    const stream = 'event: a\ndata: {"t":"第一条 个人信息"}\n\n: c\n\ndata: 二\ndata: 三\n\nevent: ping\n\ndata: 完\n\n';
    const whole = await all(bytes(stream));
    const b = enc.encode(stream);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: b.length - 1 }), { maxLength: 12 }), async (cuts) => {
        const points = [0, ...cuts.sort((x, y) => x - y), b.length];
        const parts = points.slice(1).map((end, i) => b.subarray(points[i], end));
        expect(await all(bytes(...parts))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });
});
