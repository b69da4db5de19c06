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
