import { useCallback, useEffect, useState } from 'react';
import type { AsyncState } from '../ui/common';

/** runs `load` when `deps` change; `reload()` runs it again. Stale answers are dropped. */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): [AsyncState<T>, () => void] {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => (s.status === 'ok' ? s : { status: 'loading' }));
    load(ctl.signal).then(
      (value) => !ctl.signal.aborted && setState({ status: 'ok', value }),
      (error: unknown) => !ctl.signal.aborted && setState({ status: 'error', error }),
    );
    return () => ctl.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return [state, reload];
}
