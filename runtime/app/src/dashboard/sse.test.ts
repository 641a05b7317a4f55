import { describe, expect, it } from 'vitest';
import { backoffDelay, parseSse } from './sse';

describe('parseSse', () => {
  it('returns whole events, drops comments and keeps the unfinished rest', () => {
    const r = parseSse('retry: 3000\n: ready\n\ndata: {"type":"changed","forms":["f1"]}\n\n: ping\n\ndata: {"ty');
    expect(r.events).toEqual(['{"type":"changed","forms":["f1"]}']);
    expect(r.rest).toBe('data: {"ty');
    const next = parseSse(`${r.rest}pe":"changed"}\r\n\r\n`);
    expect(next).toEqual({ events: ['{"type":"changed"}'], rest: '' });
  });

  it('joins the data lines of one event', () => {
    expect(parseSse('data: a\ndata: b\n\n').events).toEqual(['a\nb']);
  });
});

describe('backoffDelay', () => {
  it('doubles from one second up to thirty', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 20].map(backoffDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});
