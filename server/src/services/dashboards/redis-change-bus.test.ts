import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRedis, TEST_REDIS_URL, uniquePrefix } from '../../jobs/bullmq/redis-test-support.js';
import { LocalChangeBus } from './change-bus.js';
import { RedisChangeBus } from './redis-change-bus.js';

// Two "nodes" on one real Redis: a change on one reaches the listeners of both, once each.
describe('RedisChangeBus', () => {
  let a: RedisChangeBus;
  let b: RedisChangeBus;
  beforeAll(async () => {
    await requireRedis();
    const prefix = uniquePrefix('dash-bus');
    [a, b] = await Promise.all([RedisChangeBus.open(TEST_REDIS_URL, prefix), RedisChangeBus.open(TEST_REDIS_URL, prefix)]);
  });
  afterAll(async () => Promise.all([a?.close(), b?.close()]));

  it('tells the listeners of every node, each once', async () => {
    const onA: string[] = [];
    const onB: string[] = [];
    const stopA = a.subscribe((f) => onA.push(f));
    const stopB = b.subscribe((f) => onB.push(f));
    a.publish('form-1');
    b.publish('form-2');
    const deadline = Date.now() + 3000;
    while ((onA.length < 2 || onB.length < 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    expect(onA.sort()).toEqual(['form-1', 'form-2']);
    expect(onB.sort()).toEqual(['form-1', 'form-2']);
    stopA();
    stopB();
  });
});

describe('LocalChangeBus', () => {
  it('stops telling a listener that unsubscribed, and a failing listener does not stop the others', () => {
    const bus = new LocalChangeBus();
    const got: string[] = [];
    const stop = bus.subscribe((f) => got.push(`1:${f}`));
    bus.subscribe(() => {
      throw new Error('boom');
    });
    bus.subscribe((f) => got.push(`3:${f}`));
    bus.publish('x');
    stop();
    bus.publish('y');
    expect(got).toEqual(['1:x', '3:x', '3:y']);
    expect(bus.size).toBe(2);
  });
});
