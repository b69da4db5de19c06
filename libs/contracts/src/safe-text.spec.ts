import { UnsafeInput, safeText, safeTextTruncated, safeValue } from './safe-text';

describe('safeText', () => {
  it('removes NUL and other control characters but keeps tab, line feed and carriage return', () => {
    expect(safeText('hello\u0000 delivery')).toBe('hello delivery');
    expect(safeText('a\u0001b\u001bc\u007fd\u0085e\u009f')).toBe('abcde');
    expect(safeText('line one\r\n\tline two\n')).toBe('line one\r\n\tline two\n');
  });

  it('replaces a lone surrogate with U+FFFD and keeps a real pair (an emoji) intact', () => {
    expect(safeText('a\ud800b')).toBe('a\ufffdb');
    expect(safeText('end\udc00')).toBe('end\ufffd');
    expect(safeText('thanks 😀')).toBe('thanks 😀');
    expect(safeText('\udc00\ud800')).toBe('\ufffd\ufffd');
  });

  it('cuts to a length without splitting a surrogate pair', () => {
    expect(safeTextTruncated('ab😀', 3)).toBe('ab');
    expect(safeTextTruncated('a\u0000bc', 2)).toBe('ab');
  });
});

describe('safeValue', () => {
  it('cleans every string and key of a nested body and leaves other values alone', () => {
    const out = safeValue({ text: 'hi\u0000', contact: { externalId: 'x\ud800', tags: ['a\u0007', 3, null, true] }, 'k\u0000': 1 });
    expect(out).toEqual({ text: 'hi', contact: { externalId: 'x\ufffd', tags: ['a', 3, null, true] }, k: 1 });
  });

  it('names the field of a string over the limit', () => {
    expect(() => safeValue({ contact: { name: 'x'.repeat(11) } }, { maxLength: 10 })).toThrow(new UnsafeInput('contact.name', 'longer than 10 characters'));
  });

  it('refuses nesting past the limit without using the stack, even 10,000 levels deep', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(() => safeValue(deep)).toThrow(/nested deeper than 32 levels/);
    expect(safeValue({ a: { b: ['c'] } }, { maxDepth: 3 })).toEqual({ a: { b: ['c'] } });
    expect(() => safeValue({ a: { b: ['c'] } }, { maxDepth: 2 })).toThrow(new UnsafeInput('a.b', 'nested deeper than 2 levels'));
  });

  it('keeps a __proto__ key as data instead of changing the copy’s prototype', () => {
    const out = safeValue(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
  });
});
