// Loading data for a page: one hook that calls the API through the session's client, keeps
// the last answer while it reloads, polls while a job is moving, and hands errors (typed
// ChimeraErrors) to the page, which shows them with <Problem>.
import type { Chimera } from '@chimera/client';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { useSession } from './session.tsx';

export interface Query<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): Promise<void>;
}

/** `load` runs on mount, when `deps` change, on reload(), and every `pollMs(data)` ms
 * while that returns a number (polling stops while the tab is hidden). */
export function useQuery<T>(
  load: (c: Chimera) => Promise<T>,
  deps: unknown[],
  options: { pollMs?: (data: T) => number | undefined } = {},
): Query<T> {
  const { chimera } = useSession();
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const pollRef = useRef(options.pollMs);
  pollRef.current = options.pollMs;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const run = useCallback(async () => {
    const mine = ++generation.current;
    clearTimeout(timer.current);
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await loadRef.current(chimera);
      if (mine !== generation.current) return;
      setState({ data, loading: false });
      const next = pollRef.current?.(data);
      if (next !== undefined) timer.current = setTimeout(() => void run(), document.hidden ? Math.max(next, 5_000) : next);
    } catch (error) {
      if (mine !== generation.current) return;
      setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, [chimera]);

  // the caller names what the query depends on
  useEffect(() => {
    void run();
    return () => {
      generation.current++;
      clearTimeout(timer.current);
    };
  }, deps);

  return { ...state, reload: run } as Query<T>;
}

/** An action a button starts: its pending state and last error, for the button and <Problem>. */
export function useAction<A extends unknown[], R>(act: (...args: A) => Promise<R>) {
  const [state, setState] = useState<{ pending: boolean; error?: unknown }>({ pending: false });
  const run = async (...args: A): Promise<R | undefined> => {
    setState({ pending: true });
    try {
      const r = await act(...args);
      setState({ pending: false });
      return r;
    } catch (error) {
      setState({ pending: false, error });
      return undefined;
    }
  };
  return { ...state, run, clear: () => setState({ pending: false }) };
}
