/**
 * The one normalisation of text that comes from outside (a customer's message, a contact's name,
 * any string a console user writes). PostgreSQL refuses NUL (`invalid byte sequence for encoding
 * "UTF8": 0x00`) and lone UTF-16 surrogates (in jsonb), and control characters confuse every
 * reader downstream, so they are dealt with at the edge, before anything is stored or published:
 * - NUL and the other C0/C1 control characters are removed, except tab, line feed and carriage return;
 * - a lone surrogate (half of a pair, e.g. `\ud800`) becomes U+FFFD, the replacement character.
 * Length limits are checked after the clean-up: a limit counts what is kept.
 */

/** C0 controls but \t \n \r, DEL, and the C1 controls. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Half of a surrogate pair without its other half (matched per UTF-16 code unit: no `u` flag). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Strings longer than this are refused at the edge whatever the field (its own schema usually says less; an article body may hold 200,000). */
export const SAFE_TEXT_MAX_LENGTH = 1_000_000;
/** Objects and arrays nested deeper than this are refused at the edge: no form of ours needs more. */
export const SAFE_TEXT_MAX_DEPTH = 32;

/** The text with NUL and control characters removed and lone surrogates replaced by U+FFFD. */
export function safeText(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL_CHARACTERS, '');
}

/** Like safeText, and cut to `maxLength` characters (never in the middle of a surrogate pair). */
export function safeTextTruncated(value: string, maxLength: number): string {
  const clean = safeText(value);
  if (clean.length <= maxLength) return clean;
  // Cutting between the halves of a pair would leave a lone surrogate: drop that half.
  const cut = clean.slice(0, maxLength);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** Why a value could not be made safe, with the path of the field (`contact.name`, `items.2.text`). */
export class UnsafeInput extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'UnsafeInput';
  }
}

export interface SafeValueLimits {
  /** Longest string kept (after clean-up); default SAFE_TEXT_MAX_LENGTH. */
  maxLength?: number;
  /** Deepest nesting of objects and arrays; default SAFE_TEXT_MAX_DEPTH. */
  maxDepth?: number;
}

/**
 * A copy of a parsed body (JSON, form fields, a socket frame) with every string, and every key,
 * made safe. Throws UnsafeInput naming the field when a string is too long or the value is
 * nested too deep. Walks without recursion, so a 10,000-deep body costs no stack.
 */
export function safeValue(value: unknown, limits: SafeValueLimits = {}, rootPath = '(body)'): unknown {
  const maxLength = limits.maxLength ?? SAFE_TEXT_MAX_LENGTH;
  const maxDepth = limits.maxDepth ?? SAFE_TEXT_MAX_DEPTH;
  const cleanString = (text: string, path: string): string => {
    const clean = safeText(text);
    if (clean.length > maxLength) throw new UnsafeInput(path, `longer than ${maxLength} characters`);
    return clean;
  };
  if (typeof value === 'string') return cleanString(value, rootPath);
  if (!isContainer(value)) return value;

  const root: unknown[] | Record<string, unknown> = Array.isArray(value) ? [] : {};
  const stack: { source: unknown[] | Record<string, unknown>; target: unknown[] | Record<string, unknown>; path: string; depth: number }[] = [
    { source: value, target: root, path: '', depth: 1 },
  ];
  while (stack.length) {
    const { source, target, path, depth } = stack.pop() as (typeof stack)[number];
    if (depth > maxDepth) throw new UnsafeInput(path || rootPath, `nested deeper than ${maxDepth} levels`);
    const entries: [string, unknown][] = Array.isArray(source) ? source.map((v, i) => [String(i), v]) : Object.entries(source);
    for (const [rawKey, child] of entries) {
      const key = Array.isArray(source) ? rawKey : cleanString(rawKey, join(path, '(key)'));
      const childPath = join(path, key);
      let copy: unknown = child;
      if (typeof child === 'string') copy = cleanString(child, childPath);
      else if (isContainer(child)) {
        copy = Array.isArray(child) ? [] : {};
        stack.push({ source: child, target: copy as unknown[] | Record<string, unknown>, path: childPath, depth: depth + 1 });
      }
      if (Array.isArray(target)) target.push(copy);
      // defineProperty, not assignment: a `__proto__` key stays data and never becomes a prototype.
      else Object.defineProperty(target, key, { value: copy, enumerable: true, writable: true, configurable: true });
    }
  }
  return root;
}

function isContainer(value: unknown): value is unknown[] | Record<string, unknown> {
  if (Array.isArray(value)) return true;
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  // Plain objects only (JSON, querystring's null-prototype objects): Buffers, Dates and the like stay as they are.
  return proto === Object.prototype || proto === null;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/**
 * A copy with every string made safe, however long or deep: for what must be kept rather than
 * refused, a normalized inbound message (text parts, sender id and name, thread ids, channel data)
 * or the articles of an imported file. Never refuses and never cuts; each parser bounds its lengths.
 */
export function safeStrings<T>(message: T): T {
  return safeValue(message, { maxLength: Number.POSITIVE_INFINITY, maxDepth: Number.POSITIVE_INFINITY }) as T;
}
