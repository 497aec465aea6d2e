import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backend, REDIS_TEST_URL } from '../../test/harness.js';
import { createRedis } from '../redis.js';
import { MemoryCache, RedisCache, type Cache } from './cache.js';

function contract(name: string, make: () => Promise<Cache>, enabled = true) {
  describe.runIf(enabled)(`${name} cache`, () => {
    let cache: Cache;
    beforeAll(async () => {
      cache = await make();
    });
    afterAll(() => cache.close());

    it('stores and returns values by key until they expire', async () => {
      await cache.set('a', { n: 1, s: '中文' }, 60_000);
      expect(await cache.get('a')).toEqual({ n: 1, s: '中文' });
      await cache.set('short', 1, 30);
      await new Promise((r) => setTimeout(r, 60));
      expect(await cache.get('short')).toBeUndefined();
      await cache.del('a');
      expect(await cache.get('a')).toBeUndefined();
    });

    it('increments atomically with a TTL set on first use', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, () => cache.incr('counter', 60_000)));
      expect(results.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await cache.incr('brief', 30);
      await new Promise((r) => setTimeout(r, 60));
      expect(await cache.incr('brief', 30)).toBe(1);
    });
  });
}

contract('memory', async () => new MemoryCache());

const redis = createRedis(REDIS_TEST_URL, 'cache-test');
contract(
  'redis',
  async () => {
    await redis.connect();
    return new RedisCache(redis, `kpltest-${randomBytes(4).toString('hex')}`);
  },
  backend === 'mysql',
);
afterAll(() => redis.disconnect());
