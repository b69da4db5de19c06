import { useEffect, useState } from 'preact/hooks';

/** The console lives under /console; the gateway answers every path below it with the app. */
export const BASE = '/console';

const listeners = new Set<() => void>();

export function navigate(path: string, replace = false): void {
  const url = `${BASE}${path}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  listeners.forEach((listener) => listener());
}

addEventListener('popstate', () => listeners.forEach((listener) => listener()));

function currentPath(): string {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return path === '' || path === '/' ? '/inbox' : path;
}

/** The path below /console and the query string, re-rendered on every navigation. */
export function useRoute(): { path: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((tick) => tick + 1);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return { path: currentPath(), search: new URLSearchParams(location.search) };
}

/** A link inside the console: plain <a href> (keyboard, middle click), handled without a reload. */
export function linkTo(path: string): { href: string; onClick: (event: MouseEvent) => void } {
  return {
    href: `${BASE}${path}`,
    onClick: (event: MouseEvent) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      navigate(path);
    },
  };
}
