/** Fake vendor servers for tests and benches (plain node:http, port 0). */
export { FakeServer, type Script, type RecordedRequest } from './fake-server.js';
export { OpenAiFake } from './openai-fake.js';
export { DifyFake, type DifyAppMode } from './dify-fake.js';
export { CozeFake } from './coze-fake.js';
