/**
 * Entities a support message carries: order numbers, emails, phone numbers, amounts with a
 * currency, and dates. Pure regular expressions, no model: these shapes are regular, and a wrong
 * guess here would leak into an action (a lookup of someone else's order), so precision wins.
 */

export type EntityType = 'order_number' | 'email' | 'phone' | 'amount' | 'date';

export interface Entity {
  type: EntityType;
  /** Normalized value: `12345` / `A-12345`, a lowercase email, `+4915112345678`, `12.50 EUR`, `2026-03-05`. */
  value: string;
  /** The text as written. */
  raw: string;
  start: number;
  end: number;
  /** For amounts. */
  amount?: number;
  currency?: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

const CURRENCY_SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR', 'CHF': 'CHF' };
const CURRENCY_WORDS: Record<string, string> = {
  usd: 'USD', dollar: 'USD', dollars: 'USD', eur: 'EUR', euro: 'EUR', euros: 'EUR', gbp: 'GBP', pound: 'GBP', pounds: 'GBP',
  chf: 'CHF', jpy: 'JPY', yen: 'JPY', inr: 'INR', rupees: 'INR', cad: 'CAD', aud: 'AUD', sek: 'SEK', nok: 'NOK', dkk: 'DKK', pln: 'PLN',
};
// Thousands groups only when there is at least one ("1,234.50"); otherwise plain digits ("1234.50").
const NUMBER = String.raw`\d{1,3}(?:[,. ]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?(?!\d)`;
const AMOUNT_BEFORE = new RegExp(String.raw`(?:(US|CA|AU)?([$€£¥₹])|\b(USD|EUR|GBP|CHF|JPY|INR|CAD|AUD|SEK|NOK|DKK|PLN)\s?)\s?(${NUMBER})`, 'gi');
const AMOUNT_AFTER = new RegExp(String.raw`(${NUMBER})\s?(?:([$€£¥₹])|(usd|eur|gbp|chf|jpy|inr|cad|aud|sek|nok|dkk|pln|dollars?|euros?|pounds?|yen|rupees)\b)`, 'gi');

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const DATE_ISO = /\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g;
const DATE_NUMERIC = /\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b/g;
const DATE_DAY_MONTH = new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?${MONTH}\.?(?:,?\s+(\d{4}))?\b`, 'gi');
const DATE_MONTH_DAY = new RegExp(String.raw`\b${MONTH}\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b`, 'gi');
const DATE_RELATIVE = /\b(today|tomorrow|yesterday)\b/gi;

const ORDER_PREFIXED = /(?:#\s?([A-Z]{0,3}-?\d{4,12})\b)|\b([A-Z]{1,3}-\d{4,12})\b/g;
const ORDER_WORDED = /\border\s*(?:number|no\.?|num|id|#)?\s*:?\s*#?\s*(\d{4,12})\b/gi;

const PHONE = /(?:\+|00)?\(?\d[\d\s().-]{6,18}\d/g;

export interface ExtractOptions {
  /** For relative dates ("tomorrow") and years left out; defaults to now. */
  now?: Date;
  /** Day-first (05/03 = 5 March, the default) or month-first (US) numeric dates. */
  dayFirst?: boolean;
}

export function extractEntities(text: string, options: ExtractOptions = {}): Entity[] {
  const found: Entity[] = [];
  const taken: [number, number][] = [];
  const free = (s: number, e: number) => taken.every(([a, b]) => e <= a || s >= b);
  const add = (entity: Entity) => {
    if (!free(entity.start, entity.end)) return;
    taken.push([entity.start, entity.end]);
    found.push(entity);
  };
  const now = options.now ?? new Date();

  for (const m of text.matchAll(EMAIL)) add(span('email', m[0].toLowerCase(), m));

  for (const m of text.matchAll(AMOUNT_BEFORE)) {
    const prefix = m[1]?.toUpperCase();
    const currency = m[2] ? (prefix && m[2] === '$' ? `${prefix === 'US' ? 'USD' : prefix + 'D'}` : CURRENCY_SYMBOLS[m[2]]) : m[3].toUpperCase();
    addAmount(add, m, m[4], currency);
  }
  for (const m of text.matchAll(AMOUNT_AFTER)) {
    const currency = m[2] ? CURRENCY_SYMBOLS[m[2]] : CURRENCY_WORDS[m[3].toLowerCase()];
    addAmount(add, m, m[1], currency);
  }

  for (const m of text.matchAll(DATE_ISO)) addDate(add, m, +m[1], +m[2], +m[3]);
  for (const m of text.matchAll(DATE_NUMERIC)) {
    const [a, b] = [+m[1], +m[2]];
    const [day, month] = options.dayFirst === false ? [b, a] : [a, b];
    addDate(add, m, fullYear(+m[3]), month, day);
  }
  for (const m of text.matchAll(DATE_DAY_MONTH)) addDate(add, m, m[3] ? +m[3] : now.getFullYear(), monthIndex(m[2]) + 1, +m[1]);
  for (const m of text.matchAll(DATE_MONTH_DAY)) addDate(add, m, m[3] ? +m[3] : now.getFullYear(), monthIndex(m[1]) + 1, +m[2]);
  for (const m of text.matchAll(DATE_RELATIVE)) {
    const shift = { today: 0, tomorrow: 1, yesterday: -1 }[m[1].toLowerCase() as 'today'] ?? 0;
    const d = new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate() + shift));
    add(span('date', d.toISOString().slice(0, 10), m));
  }

  for (const m of text.matchAll(ORDER_PREFIXED)) add(span('order_number', (m[1] ?? m[2]).toUpperCase(), m));
  for (const m of text.matchAll(ORDER_WORDED)) {
    const start = (m.index ?? 0) + m[0].lastIndexOf(m[1]);
    add({ type: 'order_number', value: m[1], raw: m[1], start, end: start + m[1].length });
  }

  for (const m of text.matchAll(PHONE)) {
    const raw = m[0].trim();
    const digits = raw.replace(/\D/g, '');
    // 7-15 digits (E.164), and not a bare number run like an order or amount without separators.
    if (digits.length < 7 || digits.length > 15) continue;
    if (!/[\s().+-]/.test(raw) && digits.length < 10) continue;
    const international = raw.startsWith('+') || raw.startsWith('00');
    const value = international ? `+${digits.replace(/^00/, '')}` : digits;
    add(span('phone', value, m));
  }

  return found.sort((a, b) => a.start - b.start);
}

function span(type: EntityType, value: string, m: RegExpMatchArray): Entity {
  const start = m.index ?? 0;
  return { type, value, raw: m[0], start, end: start + m[0].length };
}

function addAmount(add: (e: Entity) => void, m: RegExpMatchArray, numberText: string, currency: string | undefined): void {
  if (!currency) return;
  const amount = parseAmount(numberText);
  if (amount === null) return;
  add({ ...span('amount', `${amount.toFixed(2)} ${currency}`, m), amount, currency });
}

/** "1,234.50", "1.234,50", "1 234,50", "12,5" -> a number; the last separator followed by 1-2 digits is decimal. */
export function parseAmount(text: string): number | null {
  const compact = text.replace(/\s/g, '');
  const decimal = /[.,](\d{1,2})$/.exec(compact);
  const whole = (decimal ? compact.slice(0, decimal.index) : compact).replace(/[.,]/g, '');
  const value = Number(decimal ? `${whole}.${decimal[1]}` : whole);
  return Number.isFinite(value) ? value : null;
}

function addDate(add: (e: Entity) => void, m: RegExpMatchArray, year: number, month: number, day: number): void {
  if (month < 1 || month > 12 || day < 1 || day > 31) return;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCDate() !== day) return; // 31 February and friends
  add(span('date', d.toISOString().slice(0, 10), m));
}

function fullYear(y: number): number {
  return y < 100 ? 2000 + y : y;
}

function monthIndex(name: string): number {
  const n = name.toLowerCase().slice(0, 3);
  return MONTHS.findIndex((m) => m.startsWith(n));
}
