import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LocalChangeBus, type ChangeBus } from './change-bus.js';

/**
 * The change bus across server nodes: a change is told to this node's
 * listeners at once and PUBLISHed on one Redis channel; every other node,
 * SUBSCRIBEd to it, tells its own listeners. Messages carry the sending
 * node's id so a node never hears its own changes twice. Pub/sub is
 * fire-and-forget: a node that is disconnected misses changes meanwhile (a
 * dashboard refreshes on reconnect anyway).
 */
export class RedisChangeBus implements ChangeBus {
  private readonly local = new LocalChangeBus();
  private readonly node = randomUUID();
  private readonly channel: string;
  private readonly pub: Redis;
  private readonly sub: Redis;

  private constructor(url: string, prefix: string, onError: (err: unknown) => void) {
    this.channel = `${prefix}:dashboard-changes`;
    this.pub = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
    this.sub = new Redis(url, { lazyConnect: true });
    this.pub.on('error', onError);
    this.sub.on('error', onError);
    this.sub.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        const m = JSON.parse(message) as { node?: unknown; formId?: unknown };
        if (m.node !== this.node && typeof m.formId === 'string') this.local.publish(m.formId);
      } catch {
        // not one of ours: ignored
      }
    });
  }

  /** Connects both connections and subscribes before it resolves. */
  static async open(url: string, prefix: string, onError: (err: unknown) => void = () => undefined): Promise<RedisChangeBus> {
    const bus = new RedisChangeBus(url, prefix, onError);
    await Promise.all([bus.pub.connect(), bus.sub.connect()]);
    await bus.sub.subscribe(bus.channel);
    return bus;
  }

  publish(formId: string): void {
    this.local.publish(formId);
    this.pub.publish(this.channel, JSON.stringify({ node: this.node, formId })).catch(() => undefined);
  }

  subscribe(listener: (formId: string) => void): () => void {
    return this.local.subscribe(listener);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.sub.quit(), this.pub.quit()]);
  }
}
