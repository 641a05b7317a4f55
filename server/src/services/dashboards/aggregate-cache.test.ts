import { describe, expect, it } from 'vitest';
import type { AggregateRow } from '@trellis/core';
import { AggregateCache } from './aggregate-cache.js';
import { LocalChangeBus } from './change-bus.js';

const rows = (n: number): AggregateRow[] => [{ group: {}, values: { m0: n } }];

function setup(maxEntries = 500, maxAgeMs = 60_000) {
  const bus = new LocalChangeBus();
  let now = 0;
  const cache = new AggregateCache(bus, maxEntries, maxAgeMs, () => now);
  let computed = 0;
  const compute = (n: number) => () => {
    computed++;
    return Promise.resolve(rows(n));
  };
  return { bus, cache, compute, computed: () => computed, tick: (ms: number) => (now += ms) };
}

describe('AggregateCache', () => {
  it('answers the same store query from one computation, and joins one still running', async () => {
    const { cache, compute, computed } = setup();
    let release: (r: AggregateRow[]) => void = () => {};
    const slow = () => new Promise<AggregateRow[]>((resolve) => (release = resolve));
    const a = cache.rows('f1', 'q', slow);
    const b = cache.rows('f1', 'q', compute(2));
    release(rows(1));
    expect(await a).toEqual(rows(1));
    expect(await b).toEqual(rows(1));
    expect(computed()).toBe(0);
    // another query, or the same query of another form, is computed on its own
    expect(await cache.rows('f1', 'other', compute(3))).toEqual(rows(3));
    expect(await cache.rows('f2', 'q', compute(4))).toEqual(rows(4));
    expect(computed()).toBe(2);
  });

  it('computes again once a record of the form changed, and only for that form', async () => {
    const { bus, cache, compute, computed } = setup();
    await cache.rows('f1', 'q', compute(1));
    await cache.rows('f2', 'q', compute(1));
    bus.publish('f1');
    expect(await cache.rows('f1', 'q', compute(2))).toEqual(rows(2));
    expect(await cache.rows('f2', 'q', compute(9))).toEqual(rows(1));
    expect(computed()).toBe(3);
  });

  it('a change during a computation makes its rows stale for the next viewer', async () => {
    const { bus, cache, compute } = setup();
    let release: (r: AggregateRow[]) => void = () => {};
    const running = cache.rows('f1', 'q', () => new Promise<AggregateRow[]>((resolve) => (release = resolve)));
    bus.publish('f1');
    release(rows(1));
    await running;
    expect(await cache.rows('f1', 'q', compute(2))).toEqual(rows(2));
  });

  it('does not keep a failure, drops entries after their time, and keeps at most maxEntries', async () => {
    const { cache, compute, computed, tick } = setup(3, 1000);
    await expect(cache.rows('f1', 'q', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await cache.rows('f1', 'q', compute(1))).toEqual(rows(1));
    tick(1000);
    expect(await cache.rows('f1', 'q', compute(2))).toEqual(rows(2));
    for (const k of ['a', 'b', 'c', 'd']) await cache.rows('f1', k, compute(0));
    expect(cache.size).toBe(3);
    const before = computed();
    await cache.rows('f1', 'q', compute(5)); // the oldest went first
    expect(computed()).toBe(before + 1);
  });
});
