import { Redis } from 'ioredis';

/** A client that fails fast when Redis is down, so requests and health checks never hang on it. */
export function createRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: `kpl:${name}`,
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 2,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}
