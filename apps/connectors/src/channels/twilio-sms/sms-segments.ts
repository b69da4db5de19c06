/**
 * SMS segments as carriers count them (3GPP TS 23.038 / 23.040). A text that fits the GSM 7-bit
 * alphabet costs 7 bits a character (the extension table's characters cost two: an escape plus the
 * character); anything else is sent as UCS-2, 16 bits per UTF-16 code unit. A long text is split
 * into segments that each lose room to the concatenation header: 160 → 153 septets, 70 → 67 units.
 * Twilio bills, and carriers cap, by these segments, so the answer is cut by them.
 */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(Array.from(GSM_BASIC));
const EXTENDED = new Set(Array.from(GSM_EXTENSION));

export const SEGMENT_LIMITS: Record<SmsEncoding, { single: number; multi: number }> = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
};

export function encodingOf(text: string): SmsEncoding {
  for (const ch of text) if (!BASIC.has(ch) && !EXTENDED.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** What one character costs in its encoding: septets for GSM-7, UTF-16 code units for UCS-2. */
function costOf(ch: string, encoding: SmsEncoding): number {
  if (encoding === 'UCS-2') return ch.length;
  return EXTENDED.has(ch) ? 2 : 1;
}

/** The text split as a carrier splits it; an escape pair or a surrogate pair never straddles two segments. */
export function splitSegments(text: string): { encoding: SmsEncoding; segments: string[] } {
  const encoding = encodingOf(text);
  const { single, multi } = SEGMENT_LIMITS[encoding];
  const chars = Array.from(text);
  const total = chars.reduce((sum, ch) => sum + costOf(ch, encoding), 0);
  if (total <= single) return { encoding, segments: text ? [text] : [] };
  const segments: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of chars) {
    const cost = costOf(ch, encoding);
    if (used + cost > multi) {
      segments.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += cost;
  }
  if (current) segments.push(current);
  return { encoding, segments };
}

export function countSegments(text: string): number {
  return splitSegments(text).segments.length;
}

/**
 * Typographic characters that push a text into UCS-2 (and so more than double its cost) for no
 * visible gain on a phone: what Twilio's "smart encoding" replaces too.
 */
const SMART_REPLACEMENTS: [RegExp, string][] = [
  [/[\u2018\u2019\u201A\u2032]/g, "'"],
  [/[\u201C\u201D\u201E\u2033]/g, '"'],
  [/[\u2013\u2014\u2212]/g, '-'],
  [/\u2026/g, '...'],
  [/[\u00A0\u2002\u2003\u2009\u200A\u202F]/g, ' '],
  [/[\u200B\u200C\u200D\uFEFF]/g, ''],
  [/\u2022/g, '-'],
];

export function smartEncode(text: string): string {
  return SMART_REPLACEMENTS.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}
