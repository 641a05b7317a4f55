// Server-Sent Events read with fetch: the events endpoint takes a Bearer token, which
// EventSource cannot send. The parser and the backoff are pure (sse.test.ts).

/** splits what has arrived into whole events' data and the unfinished rest; comments (heartbeats) are dropped */
export function parseSse(buffer: string): { events: string[]; rest: string } {
  const text = buffer.replace(/\r\n?/g, '\n');
  const blocks = text.split('\n\n');
  const rest = blocks.pop() ?? '';
  const events: string[] = [];
  for (const block of blocks) {
    const data = block
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).replace(/^ /, ''));
    if (data.length) events.push(data.join('\n'));
  }
  return { events, rest };
}

/** wait before reconnect attempt n (0-based): 1 s, 2 s, 4 s … capped at 30 s */
export function backoffDelay(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
}

export interface StreamHandlers {
  /** a `changed` event: records of these forms were added, changed or deleted */
  onChanged(forms: string[]): void;
  /** the stream is open, lost and waiting to reconnect, or refused (no reconnect: signed out, or the dashboard is gone) */
  onLive?(state: 'live' | 'lost' | 'refused'): void;
}

/**
 * Follows `/api/dashboards/:id/events` until the returned function is called: reconnects
 * with backoff when the stream ends or fails, and tells `onChanged` of each change.
 */
export function followEvents(url: string, token: () => string | null, handlers: StreamHandlers): () => void {
  const ctl = new AbortController();
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const connect = async () => {
    try {
      const t = token();
      const res = await fetch(url, {
        headers: { accept: 'text/event-stream', ...(t ? { authorization: `Bearer ${t}` } : {}) },
        signal: ctl.signal,
        cache: 'no-store',
      });
      // a dashboard gone or no longer open to the viewer: nothing to follow
      if (res.status === 401 || res.status === 403 || res.status === 404) return handlers.onLive?.('refused');
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      attempt = 0;
      handlers.onLive?.('live');
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buffer = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        const { events, rest } = parseSse(buffer);
        buffer = rest;
        for (const e of events) {
          try {
            const msg = JSON.parse(e) as { type?: string; forms?: string[] };
            if (msg.type === 'changed') handlers.onChanged(Array.isArray(msg.forms) ? msg.forms : []);
          } catch {
            /* not ours: ignore */
          }
        }
      }
    } catch {
      if (ctl.signal.aborted) return;
    }
    if (ctl.signal.aborted) return;
    handlers.onLive?.('lost');
    timer = setTimeout(() => void connect(), backoffDelay(attempt++));
  };
  void connect();
  return () => {
    ctl.abort();
    if (timer) clearTimeout(timer);
  };
}
