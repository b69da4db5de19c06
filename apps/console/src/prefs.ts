import { api } from './api';

/** The signed-in person's availability and how they want to be told (GET/PATCH /preferences). */
export interface Preferences {
  availability: 'online' | 'away';
  browser: boolean;
  sound: boolean;
  email: boolean;
}

let current: Preferences = { availability: 'online', browser: true, sound: true, email: true };
const listeners = new Set<(prefs: Preferences) => void>();

/** The last known preferences (all on until loaded). */
export function preferences(): Preferences {
  return current;
}

export function onPreferences(listener: (prefs: Preferences) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function set(next: Preferences): Preferences {
  current = next;
  listeners.forEach((listener) => listener(next));
  return next;
}

export async function loadPreferences(): Promise<Preferences> {
  return set(await api<Preferences>('/preferences'));
}

export async function savePreferences(change: Partial<Preferences>): Promise<Preferences> {
  return set(await api<Preferences>('/preferences', { method: 'PATCH', body: change }));
}
