import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { backend, REDIS_TEST_URL } from '../../test/harness.js';
import { createRedis } from '../redis.js';
import { MemoryEventBus, RedisEventBus, type EventBus, type EventEnvelope } from './event-bus.js';

const silent = pino({ level: 'silent' });

function collect(bus: EventBus): EventEnvelope<'system.job-finished'>[] {
  const got: EventEnvelope<'system.job-finished'>[] = [];
  bus.subscribe('system.job-finished', (e) => void got.push(e));
  return got;
}

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('memory event bus', () => {
  it('delivers typed events to every subscriber and survives a failing handler', async () => {
    const bus = new MemoryEventBus(silent);
    bus.subscribe('system.job-finished', () => {
      throw new Error('handler bug');
    });
    const got = collect(bus);
    await bus.publish('system.job-finished', { jobId: 'j1', name: 'x', outcome: 'completed' });
    await until(() => got.length === 1);
    expect(got[0]).toMatchObject({ type: 'system.job-finished', payload: { jobId: 'j1' } });
    expect(got[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stops delivering after unsubscribe', async () => {
    const bus = new MemoryEventBus(silent);
    const got: unknown[] = [];
    const off = bus.subscribe('system.job-finished', (e) => void got.push(e));
    off();
    await bus.publish('system.job-finished', { jobId: 'j2', name: 'x', outcome: 'failed' });
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([]);
  });
});

describe.runIf(backend === 'mysql')('redis event bus', () => {
  const prefix = `kpltest-${randomBytes(4).toString('hex')}`;
  const clients = Array.from({ length: 4 }, (_, i) => createRedis(REDIS_TEST_URL, `t${i}`));
  afterAll(() => clients.forEach((c) => c.disconnect()));

  it('broadcasts an event to subscribers in every process', async () => {
    await Promise.all(clients.map((c) => c.connect()));
    // Two buses with their own connections stand for two processes.
    const a = new RedisEventBus(clients[0]!, clients[1]!, prefix, silent);
    const b = new RedisEventBus(clients[2]!, clients[3]!, prefix, silent);
    await Promise.all([a.connect(), b.connect()]);
    const gotA = collect(a);
    const gotB = collect(b);
    await a.publish('system.job-finished', { jobId: 'j3', name: 'x', outcome: 'completed' });
    await until(() => gotA.length === 1 && gotB.length === 1);
    expect(gotB[0]!.payload).toEqual({ jobId: 'j3', name: 'x', outcome: 'completed' });
    expect(gotB[0]!.origin).toBe(gotA[0]!.origin);
    await Promise.all([a.close(), b.close()]);
  });
});
