// Preact hooks over Shopify's subscribable values and Encore's storefront API.

import {useEffect, useState} from 'preact/hooks';
import {loadStorefront} from './storefront-api.js';

function read(signal) {
  if (!signal) return undefined;
  return 'value' in signal ? signal.value : signal.current;
}

/** The current value of a `SubscribableSignalLike`, re-rendering when it changes. */
export function useSubscribable(signal) {
  const [value, setValue] = useState(() => read(signal));
  useEffect(() => {
    if (!signal || typeof signal.subscribe !== 'function') return undefined;
    setValue(read(signal));
    const unsubscribe = signal.subscribe((next) => setValue(next));
    return typeof unsubscribe === 'function' ? unsubscribe : undefined;
  }, [signal]);
  return value;
}

/**
 * `{status: 'idle' | 'loading' | 'ready' | 'error', data}` for one storefront URL.
 * No URL (the order is not known yet) stays idle.
 */
export function useStorefront(sessionToken, url) {
  const [state, setState] = useState(() => ({status: url ? 'loading' : 'idle', data: null}));
  useEffect(() => {
    if (!url) {
      setState({status: 'idle', data: null});
      return undefined;
    }
    let current = true;
    setState({status: 'loading', data: null});
    loadStorefront(sessionToken, url).then(
      (data) => current && setState({status: 'ready', data}),
      () => current && setState({status: 'error', data: null}),
    );
    return () => {
      current = false;
    };
  }, [url]);
  return state;
}
