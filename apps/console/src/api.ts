/**
 * The console speaks only the documented REST API (`/api/v1`), like any other client: a session
 * from `POST /auth/login`, kept in sessionStorage, its access token refreshed once on a 401.
 */
export interface User {
  id: string;
  email: string;
  name: string | null;
  role: 'operator' | 'owner' | 'admin' | 'agent';
  tenantId: string | null;
}

interface Session {
  accessToken: string;
  refreshToken: string;
  user: User;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

const KEY = 'cs-console-session';
let session: Session | null = load();
const listeners = new Set<() => void>();

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

function save(next: Session | null): void {
  session = next;
  if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
  else sessionStorage.removeItem(KEY);
  listeners.forEach((listener) => listener());
}

export function currentUser(): User | null {
  return session?.user ?? null;
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function isManager(user: User | null): boolean {
  return user?.role === 'owner' || user?.role === 'admin' || user?.role === 'operator';
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { message?: string; fields?: { path: string; message: string }[] } };
    return new ApiError(response.status, body.error?.message ?? response.statusText, body.error?.fields ?? []);
  } catch {
    return new ApiError(response.status, response.statusText);
  }
}

export async function login(email: string, password: string): Promise<void> {
  const response = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw await errorOf(response);
  save((await response.json()) as Session);
}

export async function logout(): Promise<void> {
  const refreshToken = session?.refreshToken;
  save(null);
  if (refreshToken) {
    await fetch('/api/v1/auth/logout', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    }).catch(() => undefined);
  }
}

let refreshing: Promise<boolean> | null = null;

/** One refresh at a time: concurrent 401s wait for the same new token. */
function refresh(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = session?.refreshToken;
    if (!refreshToken) return false;
    const response = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    if (!response.ok) {
      save(null);
      return false;
    }
    save((await response.json()) as Session);
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** A fetch with the session's bearer token; a 401 refreshes the token and tries once more. */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const send = () =>
    fetch(path, { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${session?.accessToken ?? ''}` } });
  let response = await send();
  if (response.status === 401 && (await refresh())) response = await send();
  if (response.status === 401) save(null);
  return response;
}

export async function api<T>(path: string, options: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const response = await authorizedFetch(`/api/v1${path}`, {
    method: options.method ?? 'GET',
    headers: options.body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });
  if (!response.ok) throw await errorOf(response);
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

/** `?a=1&b=2` from the defined values of `params`. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Runs a promise from an event handler: its failure is logged, never an unhandled rejection (the pages show their own errors). */
export function background(promise: Promise<unknown>): void {
  promise.catch((err: unknown) => console.error(err));
}
