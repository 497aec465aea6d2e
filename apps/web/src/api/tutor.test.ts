import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, connectSession } from './client';
import { askTutor, createSseParser, toTutorEvent, type SseFrame, type TutorEvent } from './tutor';

function parse(pieces: string[]): SseFrame[] {
  const frames: SseFrame[] = [];
  const parser = createSseParser((frame) => frames.push(frame));
  for (const piece of pieces) parser.feed(piece);
  parser.end();
  return frames;
}

const encoder = new TextEncoder();

/** What the server writes: a comment at once, heartbeats between events, a blank line after each. */
const STREAM =
  ': stream open\n\n' +
  'event: delta\ndata: {"text":"处理敏感个人信息应当取得"}\n\n' +
  ': heartbeat\n\n' +
  'event: delta\ndata: {"text":"个人的单独同意[1]"}\n\n' +
  'event: citation\ndata: {"chunkId":"c1","materialId":"m1","citation":"pipl › 第二十九条","quote":"处理敏感个人信息应当取得个人的单独同意"}\n\n' +
  'event: done\ndata: {"usage":{"promptTokens":300,"completionTokens":20}}\n\n';

const EXPECTED_FRAMES: SseFrame[] = [
  { event: 'delta', data: '{"text":"处理敏感个人信息应当取得"}' },
  { event: 'delta', data: '{"text":"个人的单独同意[1]"}' },
  { event: 'citation', data: '{"chunkId":"c1","materialId":"m1","citation":"pipl › 第二十九条","quote":"处理敏感个人信息应当取得个人的单独同意"}' },
  { event: 'done', data: '{"usage":{"promptTokens":300,"completionTokens":20}}' },
];

describe('createSseParser', () => {
  it('reads several events from one chunk and skips comments', () => {
    expect(parse([STREAM])).toEqual(EXPECTED_FRAMES);
  });

  it('reads events split across chunks at any position', () => {
    for (let cut = 1; cut < STREAM.length; cut++) {
      expect(parse([STREAM.slice(0, cut), STREAM.slice(cut)]), `cut at ${cut}`).toEqual(EXPECTED_FRAMES);
    }
    // One character at a time, with \r\n line endings whose halves arrive apart.
    expect(parse([...STREAM.replaceAll('\n', '\r\n')])).toEqual(EXPECTED_FRAMES);
  });

  it('joins data lines, defaults the event name, accepts data without a space and bare CR line ends', () => {
    expect(parse(['data: a\ndata:b\nid: 7\nretry: 10\n\n', 'event: x\rdata: 1\r\r'])).toEqual([
      { event: 'message', data: 'a\nb' },
      { event: 'x', data: '1' },
    ]);
  });

  it('drops a frame that never got its blank line, and frames without data', () => {
    expect(parse(['event: ping\n\n', 'event: delta\ndata: {"text":"cut"}\n'])).toEqual([]);
  });
});

describe('toTutorEvent', () => {
  it('types the known events and skips unknown ones', () => {
    expect(toTutorEvent({ event: 'delta', data: '{"text":"好"}' })).toEqual({ type: 'delta', text: '好' });
    expect(toTutorEvent({ event: 'error', data: '{"code":"ERR-AI-0003","message":"late"}' })).toEqual({ type: 'error', code: 'ERR-AI-0003', message: 'late' });
    expect(toTutorEvent({ event: 'done', data: '{}' })).toEqual({ type: 'done' });
    expect(toTutorEvent({ event: 'toString', data: '{}' })).toBeNull();
    expect(toTutorEvent({ event: 'message', data: '{}' })).toBeNull();
  });

  it('rejects malformed payloads as BAD_RESPONSE', () => {
    for (const frame of [
      { event: 'delta', data: '{"text":' },
      { event: 'citation', data: '{"chunkId":"c1"}' },
    ]) {
      expect(() => toTutorEvent(frame)).toThrow(expect.objectContaining({ code: 'BAD_RESPONSE' }));
    }
  });
});

/** A streamed response whose body yields `pieces` (bytes may split a character), then ends unless told to hang. */
function streamResponse(pieces: Uint8Array[], { hang = false } = {}) {
  const cancelled = vi.fn();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      if (!hang) controller.close();
    },
    cancel: cancelled,
  });
  return { response: new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }), cancelled };
}

/** The stream's bytes cut every 7 bytes: Chinese characters (3 bytes) land across reads. */
const bytePieces = (text: string) => {
  const bytes = encoder.encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 7) out.push(bytes.slice(i, i + 7));
  return out;
};

async function collect(events: AsyncIterable<TutorEvent>): Promise<TutorEvent[]> {
  const out: TutorEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function session(accessToken: string) {
  const state = { accessToken, refreshToken: 'refresh-1' };
  connectSession({
    getAccessToken: () => state.accessToken,
    getRefreshToken: () => state.refreshToken,
    onRefreshed: (s) => Object.assign(state, s),
    onExpired: vi.fn(),
  });
  return state;
}

const authOf = (init: RequestInit) => (init.headers as Record<string, string>).Authorization;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('askTutor', () => {
  it('posts the question with the bearer token and yields typed events as they stream in', async () => {
    session('token-1');
    const fetchMock = vi.fn(async (_path: string, _init: RequestInit) => streamResponse(bytePieces(STREAM)).response);
    vi.stubGlobal('fetch', fetchMock);

    const history = [{ role: 'user' as const, content: '你好' }, { role: 'assistant' as const, content: '请提问。' }];
    const events = await collect(askTutor({ question: '敏感个人信息？', courseId: 'c-1', history }));

    expect(events).toEqual([
      { type: 'delta', text: '处理敏感个人信息应当取得' },
      { type: 'delta', text: '个人的单独同意[1]' },
      { type: 'citation', chunkId: 'c1', materialId: 'm1', citation: 'pipl › 第二十九条', quote: '处理敏感个人信息应当取得个人的单独同意' },
      { type: 'done', usage: { promptTokens: 300, completionTokens: 20 } },
    ]);
    const [path, init] = fetchMock.mock.calls[0]!;
    expect(path).toBe('/api/v1/ai/tutor');
    expect(init.method).toBe('POST');
    expect(authOf(init)).toBe('Bearer token-1');
    expect((init.headers as Record<string, string>).Accept).toBe('text/event-stream');
    expect(JSON.parse(init.body as string)).toEqual({ question: '敏感个人信息？', courseId: 'c-1', history });
  });

  it('refreshes once on a 401 before the stream starts, then retries', async () => {
    const state = session('old');
    const fetchMock = vi.fn(async (path: string, init: RequestInit) => {
      if (path === '/api/v1/auth/refresh') {
        return new Response(JSON.stringify({ accessToken: 'new', refreshToken: 'refresh-2', expiresIn: 900 }), { status: 200 });
      }
      if (authOf(init) !== 'Bearer new') return new Response(JSON.stringify({ error: { code: 'ERR-AUTH-0001', message: 'x', requestId: 'r' } }), { status: 401 });
      return streamResponse([encoder.encode('event: done\ndata: {}\n\n')]).response;
    });
    vi.stubGlobal('fetch', fetchMock);

    expect(await collect(askTutor({ question: '问题' }))).toEqual([{ type: 'done' }]);
    expect(fetchMock.mock.calls.map(([path]) => path)).toEqual(['/api/v1/ai/tutor', '/api/v1/auth/refresh', '/api/v1/ai/tutor']);
    expect(state.accessToken).toBe('new');
  });

  it('rejects with the server’s code when the question is refused before the stream', async () => {
    session('token-1');
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ error: { code: 'ERR-COURSE-0001', message: 'No such course.', requestId: 'r' } }), { status: 404 }));

    const error = await collect(askTutor({ question: '问题', courseId: 'gone' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'ERR-COURSE-0001', status: 404 });
  });

  it('ends with an error event from the server, and rejects a stream cut off before done', async () => {
    session('token-1');
    vi.stubGlobal('fetch', async () => streamResponse([encoder.encode('event: delta\ndata: {"text":"部分"}\n\nevent: error\ndata: {"code":"ERR-AI-0003","message":"late"}\n\n')]).response);
    expect(await collect(askTutor({ question: '问题' }))).toEqual([
      { type: 'delta', text: '部分' },
      { type: 'error', code: 'ERR-AI-0003', message: 'late' },
    ]);

    vi.stubGlobal('fetch', async () => streamResponse([encoder.encode('event: delta\ndata: {"text":"部分"}\n\nevent: del')]).response);
    const seen: TutorEvent[] = [];
    const error = await (async () => {
      for await (const event of askTutor({ question: '问题' })) seen.push(event);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([{ type: 'delta', text: '部分' }]);
    expect(error).toMatchObject({ code: 'NETWORK', status: 0 });
  });

  it('stops quietly and closes the connection when aborted mid-stream', async () => {
    session('token-1');
    const { response, cancelled } = streamResponse([encoder.encode('event: delta\ndata: {"text":"一"}\n\n')], { hang: true });
    vi.stubGlobal('fetch', async () => response);
    const stop = new AbortController();

    const seen: TutorEvent[] = [];
    for await (const event of askTutor({ question: '问题' }, stop.signal)) {
      seen.push(event);
      // The stream hangs after this: only the abort can end the loop.
      setTimeout(() => stop.abort(), 10);
    }
    expect(seen).toEqual([{ type: 'delta', text: '一' }]);
    expect(cancelled).toHaveBeenCalled();
  });
});
