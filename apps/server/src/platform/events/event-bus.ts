import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { newId } from '../ids.js';

/**
 * Domain events and their payloads. Modules add theirs by declaration merging:
 *   declare module '../../platform/events/event-bus.js' { interface DomainEvents { 'user.created': { userId: string } } }
 */
export interface DomainEvents {
  'system.job-finished': { jobId: string; name: string; outcome: 'completed' | 'failed' };
  /** A material's chunks were (re)written: every process re-indexes them from the database. */
  'content.material-indexed': { materialId: string; courseId: string };
  'content.material-removed': { materialId: string; courseId: string };
}

export type EventType = keyof DomainEvents & string;

export interface EventEnvelope<K extends EventType = EventType> {
  id: string;
  type: K;
  payload: DomainEvents[K];
  occurredAt: number;
  /** The process that published it. */
  origin: string;
}

export type EventHandler<K extends EventType> = (event: EventEnvelope<K>) => void | Promise<void>;

/**
 * Typed pub/sub. Every subscriber in every process receives every event (broadcast), which is what
 * keeps per-process state such as caches and search indexes in step across replicas.
 */
export interface EventBus {
  readonly kind: 'memory' | 'redis';
  publish<K extends EventType>(type: K, payload: DomainEvents[K]): Promise<void>;
  subscribe<K extends EventType>(type: K, handler: EventHandler<K>): () => void;
  close(): Promise<void>;
}

const ORIGIN = `${process.pid}:${newId().slice(-8)}`;

/** Dispatch to local handlers; a failing handler is logged and never breaks the publisher. */
class LocalDispatcher {
  private readonly emitter = new EventEmitter({ captureRejections: false });
  constructor(private readonly logger: Logger) {
    this.emitter.setMaxListeners(0);
  }
  on<K extends EventType>(type: K, handler: EventHandler<K>): () => void {
    const wrapped = (event: EventEnvelope<K>) => {
      Promise.resolve()
        .then(() => handler(event))
        .catch((err: unknown) => this.logger.error({ err, event: event.type, eventId: event.id }, 'event handler failed'));
    };
    this.emitter.on(type, wrapped);
    return () => this.emitter.off(type, wrapped);
  }
  dispatch(event: EventEnvelope): void {
    this.emitter.emit(event.type, event);
  }
}

function envelope<K extends EventType>(type: K, payload: DomainEvents[K]): EventEnvelope<K> {
  return { id: newId(), type, payload, occurredAt: Date.now(), origin: ORIGIN };
}

export class MemoryEventBus implements EventBus {
  readonly kind = 'memory' as const;
  private readonly local: LocalDispatcher;
  constructor(logger: Logger) {
    this.local = new LocalDispatcher(logger);
  }
  async publish<K extends EventType>(type: K, payload: DomainEvents[K]): Promise<void> {
    const event = envelope(type, payload);
    setImmediate(() => this.local.dispatch(event));
  }
  subscribe<K extends EventType>(type: K, handler: EventHandler<K>): () => void {
    return this.local.on(type, handler);
  }
  async close(): Promise<void> {}
}

/** Carries events over a Redis channel; the publisher receives its own events like everyone else. */
export class RedisEventBus implements EventBus {
  readonly kind = 'redis' as const;
  private readonly local: LocalDispatcher;
  private readonly channel: string;
  private ready: Promise<unknown> | undefined;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    prefix: string,
    private readonly logger: Logger,
  ) {
    this.local = new LocalDispatcher(logger);
    this.channel = `${prefix}:events`;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        this.local.dispatch(JSON.parse(message) as EventEnvelope);
      } catch (err) {
        this.logger.error({ err }, 'malformed event on the bus');
      }
    });
  }

  /** Resolves once the subscription is live; publish and subscribe await it. */
  connect(): Promise<unknown> {
    this.ready ??= this.subscriber.subscribe(this.channel);
    return this.ready;
  }

  async publish<K extends EventType>(type: K, payload: DomainEvents[K]): Promise<void> {
    await this.connect();
    await this.publisher.publish(this.channel, JSON.stringify(envelope(type, payload)));
  }

  subscribe<K extends EventType>(type: K, handler: EventHandler<K>): () => void {
    void this.connect();
    return this.local.on(type, handler);
  }

  async close(): Promise<void> {
    if (this.ready) await this.subscriber.unsubscribe(this.channel).catch(() => undefined);
  }
}
