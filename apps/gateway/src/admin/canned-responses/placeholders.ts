/** What a canned response may name; filled from the conversation, its contact and the person replying. */
export const PLACEHOLDERS = ['contact.name', 'contact.email', 'contact.phone', 'agent.name', 'conversation.id', 'conversation.channel', 'conversation.subject'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** `{{ name }}` or `{{ name|fallback }}`. */
const PATTERN = /\{\{\s*([a-z]+\.[a-z]+)\s*(?:\|([^{}]*))?\}\}/g;

export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PATTERN)].map((m) => m[1]);
}

/** Fills every placeholder; one with no value takes its fallback, else nothing, and is named in `missing`. */
export function fillPlaceholders(text: string, values: Partial<Record<Placeholder, string | null>>): { text: string; missing: string[] } {
  const missing: string[] = [];
  const filled = text.replace(PATTERN, (_match, name: string, fallback: string | undefined) => {
    const value = values[name as Placeholder];
    if (value) return value;
    if (fallback === undefined) missing.push(name);
    return fallback?.trim() ?? '';
  });
  return { text: filled, missing };
}
