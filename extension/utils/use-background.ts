/** A Preact hook that asks the background once (and again on `reload()`), with loading and error states. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { type BackgroundApi, type Result, askBackground } from './messages';

export type Loadable<T> = { state: 'loading' } | { state: 'done'; result: Result<T> };

/** Requests that take no payload, which are the ones a view can simply load. */
type LoadableRequest = { [K in keyof BackgroundApi]: BackgroundApi[K]['payload'] extends undefined ? K : never }[keyof BackgroundApi];

export function useBackground<K extends LoadableRequest>(type: K) {
  const [value, setValue] = useState<Loadable<BackgroundApi[K]['answer']>>({ state: 'loading' });
  const reload = useCallback(async () => {
    setValue({ state: 'loading' });
    const result = await (askBackground as (type: K) => Promise<Result<BackgroundApi[K]['answer']>>)(type);
    setValue({ state: 'done', result });
  }, [type]);
  useEffect(() => void reload(), [reload]);
  return [value, reload] as const;
}
