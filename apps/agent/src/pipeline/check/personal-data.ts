import { extractEntities } from '@cs/ai';

const PERSONAL = new Set(['email', 'phone', 'order_number']);

/**
 * Emails, phone numbers and order numbers in an answer must come from the customer's own message or
 * from the knowledge base (the shop's own support address is in its articles); anything else may be
 * someone else's data, or invented.
 */
export function foreignPersonalData(answer: string, allowedSources: string[]): string[] {
  const allowed = new Set(allowedSources.flatMap((s) => extractEntities(s).filter((e) => PERSONAL.has(e.type)).map((e) => `${e.type}:${e.value}`)));
  const raw = allowedSources.join('\n').toLowerCase();
  return extractEntities(answer)
    .filter((e) => PERSONAL.has(e.type))
    .filter((e) => !allowed.has(`${e.type}:${e.value}`) && !raw.includes(e.raw.toLowerCase()))
    .map((e) => `${e.type}:${e.raw}`);
}

const PLACEHOLDER: Record<string, string> = { email: '[email]', phone: '[phone]', order_number: '[order number]' };

/**
 * The same personal data the check above finds (emails, phone numbers, order numbers), plus the
 * given names (the customer's, the person's who replied), replaced by placeholders: for text that
 * leaves a conversation, a suggested article or a gap's label. `removed` lists the kinds, never the values.
 */
export function redactPersonalData(text: string, names: string[] = []): { text: string; removed: string[] } {
  const removed = new Set<string>();
  const found = extractEntities(text).filter((e) => PERSONAL.has(e.type)).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of found) {
    out = out.slice(0, e.start) + PLACEHOLDER[e.type] + out.slice(e.end);
    removed.add(e.type);
  }
  // Whole names first ("Grace Hopper" is one [name]), then each part of them alone.
  const parts = [...names.map((n) => n.trim()), ...names.flatMap((n) => n.trim().split(/\s+/))].filter((n) => n.length >= 2).sort((a, b) => b.length - a.length);
  for (const name of new Set(parts)) {
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'gu');
    if (pattern.test(out)) {
      out = out.replace(pattern, '[name]');
      removed.add('name');
    }
  }
  return { text: out, removed: [...removed].sort() };
}
