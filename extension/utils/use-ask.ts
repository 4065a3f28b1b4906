/** Asks the background for something that takes a payload, with loading/error state, again when `reload` is called. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Loadable } from './use-background';
import type { Result } from './messages';

export function useAsk<T>(ask: () => Promise<Result<T>>, deps: unknown[]): [Loadable<T>, () => Promise<void>] {
  const [value, setValue] = useState<Loadable<T>>({ state: 'loading' });
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const reload = useCallback(async () => setValue({ state: 'done', result: await ask() }), deps);
  useEffect(() => {
    setValue({ state: 'loading' });
    void reload();
  }, [reload]);
  return [value, reload];
}
