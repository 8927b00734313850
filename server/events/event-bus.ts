import { EventEmitter, on } from "node:events";
import { Redis } from "ioredis";
import type { Logger } from "../lib/logger.js";

/**
 * Publish/subscribe of JSON events by topic (see topics.ts). Delivery is at most once, to the
 * subscribers present when the event is published; nothing is stored. Publish AFTER the
 * transaction that the event reports has committed.
 */
export interface EventBus {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Events published on `topic` from now on; the iterator ends on return() (or when the bus closes). */
  subscribe(topic: string): AsyncIterableIterator<unknown>;
  close(): Promise<void>;
}

/**
 * Delivers to the subscribers of this process. Listeners register at subscribe() time (not on the
 * first next()), so an event published right after subscribe() is not lost; each subscriber
 * buffers what it has not read yet.
 */
class LocalFanOut {
  private readonly emitter = new EventEmitter({ captureRejections: false });
  private readonly open = new Set<AsyncIterableIterator<unknown>>();

  constructor() {
    // One listener per subscriber: many clients may watch the same topic.
    this.emitter.setMaxListeners(0);
  }

  deliver(topic: string, payload: unknown): void {
    this.emitter.emit(topic, payload);
  }

  listenerCount(topic: string): number {
    return this.emitter.listenerCount(topic);
  }

  /** `onEnd` runs once, when the subscriber returns or the fan-out closes. */
  subscribe(topic: string, onEnd: () => void = () => {}): AsyncIterableIterator<unknown> {
    // node:events `on` yields the emit arguments as an array; return() removes the listener and
    // settles a pending next(), which an async generator wrapper would not do.
    const source = on(this.emitter, topic) as AsyncIterableIterator<unknown[]>;
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.open.delete(iterator);
      onEnd();
    };
    const iterator: AsyncIterableIterator<unknown> = {
      next: async () => {
        const result = await source.next();
        if (result.done) {
          end();
          return { done: true, value: undefined };
        }
        return { done: false, value: result.value[0] };
      },
      return: async () => {
        end();
        await source.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    this.open.add(iterator);
    return iterator;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.open].map((iterator) => iterator.return?.()));
  }
}

/** JSON in, JSON out: subscribers see exactly what they would see over Redis (Dates as ISO strings). */
function toJson(payload: unknown): string {
  return JSON.stringify(payload ?? null);
}

/** Embedded mode: one process, events stay in memory. */
export class InProcessEventBus implements EventBus {
  private readonly fanOut = new LocalFanOut();
  private closed = false;

  async publish(topic: string, payload: unknown): Promise<void> {
    if (this.closed) return;
    this.fanOut.deliver(topic, JSON.parse(toJson(payload)));
  }

  subscribe(topic: string): AsyncIterableIterator<unknown> {
    return this.fanOut.subscribe(topic);
  }

  /** Subscribers in this process that an event published now on `topic` reaches. */
  async subscriberCount(topic: string): Promise<number> {
    return this.fanOut.listenerCount(topic);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.fanOut.close();
  }
}

/**
 * Redis pub/sub: events published by any API or worker process reach the subscribers of every
 * process. One connection publishes; a second one (a subscribed Redis connection can do nothing
 * else) holds one Redis channel per topic that has local subscribers, reference-counted, and fans
 * each message out to them.
 */
export class RedisEventBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly fanOut = new LocalFanOut();
  /** Local subscribers per topic; the Redis channel is held while the count is above zero. */
  private readonly counts = new Map<string, number>();
  /** Settles once Redis has confirmed the channel subscription. */
  private readonly subscribed = new Map<string, Promise<void>>();
  private closed = false;
  private lastConnectionError = 0;

  constructor(
    url: string,
    private readonly logger: Logger,
  ) {
    // The publisher fails fast when Redis is away (the write it reports has committed anyway);
    // the subscriber queues its SUBSCRIBEs and re-subscribes after a reconnect (ioredis default).
    this.publisher = new Redis(url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectionName: "pedigree-events-pub",
    });
    this.subscriber = new Redis(url, { maxRetriesPerRequest: null, connectionName: "pedigree-events-sub" });
    for (const connection of [this.publisher, this.subscriber]) connection.on("error", (error) => this.connectionError(error));
    this.subscriber.on("message", (channel: string, message: string) => this.receive(channel, message));
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    if (this.closed) throw new Error("The event bus is closed.");
    await this.publisher.publish(topic, toJson(payload));
  }

  subscribe(topic: string): AsyncIterableIterator<unknown> {
    const count = this.counts.get(topic) ?? 0;
    this.counts.set(topic, count + 1);
    if (count === 0) {
      const confirmed = this.subscriber.subscribe(topic).then(
        () => undefined,
        (error: unknown) => {
          this.logger.warn({ err: error, topic }, "event bus could not subscribe to a Redis channel");
        },
      );
      this.subscribed.set(topic, confirmed);
    }
    return this.fanOut.subscribe(topic, () => this.release(topic));
  }

  /** Resolves once Redis delivers `topic` to this process (after subscribe()). */
  async whenSubscribed(topic: string): Promise<void> {
    await this.subscribed.get(topic);
  }

  /** Subscribers in this process that an event published now on `topic` reaches (once Redis confirmed). */
  async subscriberCount(topic: string): Promise<number> {
    await this.whenSubscribed(topic);
    return this.fanOut.listenerCount(topic);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fanOut.close();
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }

  private release(topic: string): void {
    const count = (this.counts.get(topic) ?? 1) - 1;
    if (count > 0) {
      this.counts.set(topic, count);
      return;
    }
    this.counts.delete(topic);
    this.subscribed.delete(topic);
    if (this.closed) return;
    this.subscriber.unsubscribe(topic).catch((error: unknown) => {
      this.logger.warn({ err: error, topic }, "event bus could not unsubscribe from a Redis channel");
    });
  }

  private receive(topic: string, message: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch (error) {
      this.logger.warn({ err: error, topic }, "event bus dropped a message that is not JSON");
      return;
    }
    this.fanOut.deliver(topic, payload);
  }

  private connectionError(error: Error): void {
    // ioredis reports every failed reconnect; one line a minute is enough to say Redis is away.
    const now = Date.now();
    if (now - this.lastConnectionError < 60_000) return;
    this.lastConnectionError = now;
    this.logger.warn({ err: error }, "event bus cannot reach Redis; live events are not delivered until it is back");
  }
}

/** Redis pub/sub when REDIS_URL is set, else in-process (embedded mode). */
export function createEventBus(settings: { redisUrl: string | undefined }, logger: Logger): EventBus {
  return settings.redisUrl ? new RedisEventBus(settings.redisUrl, logger) : new InProcessEventBus();
}

/**
 * Subscribes and waits until events on `topic` will be delivered (Redis confirmed the channel),
 * so that a caller that then reads the current state misses nothing published after that read.
 */
export async function subscribeConfirmed(bus: EventBus, topic: string): Promise<AsyncIterableIterator<unknown>> {
  const events = bus.subscribe(topic);
  if (bus instanceof RedisEventBus) await bus.whenSubscribed(topic);
  return events;
}

/**
 * Publishes and logs a failure instead of throwing: events report writes that have already
 * committed, and a lost live event must not fail the work that caused it.
 */
export async function publishSafely(bus: EventBus, logger: Logger, topic: string, payload: unknown): Promise<void> {
  try {
    await bus.publish(topic, payload);
  } catch (error) {
    logger.warn({ err: error, topic }, "event could not be published");
  }
}
