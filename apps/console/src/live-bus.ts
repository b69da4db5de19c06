import { useEffect, useRef } from 'preact/hooks';
import type { LiveEvent } from './live';

const listeners = new Set<(event: LiveEvent) => void>();

export function publishLive(event: LiveEvent): void {
  listeners.forEach((listener) => listener(event));
}

/** Calls `handler` with every live event while the component is mounted. */
export function useLive(handler: (event: LiveEvent) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    const listener = (event: LiveEvent) => ref.current(event);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
}
