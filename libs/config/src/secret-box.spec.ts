import { createHash } from 'crypto';
import { SecretBox } from './secret-box';

const KEY = 'k'.repeat(40);

describe('SecretBox', () => {
  it('gives back the secrets it sealed', () => {
    const box = new SecretBox(KEY);
    const sealed = box.seal({ authToken: 'tok_123', nested: { a: 1 } });
    expect(sealed).not.toContain('tok_123');
    expect(box.open(sealed)).toEqual({ authToken: 'tok_123', nested: { a: 1 } });
  });

  it('seals the same value differently each time', () => {
    const box = new SecretBox(KEY);
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('opens with the derived key CoreModule provides as well as with the SECRET_KEY string', () => {
    const sealed = new SecretBox(KEY).seal({ password: 'p' });
    expect(new SecretBox(createHash('sha256').update(KEY).digest()).open(sealed)).toEqual({ password: 'p' });
  });

  it('refuses another key and tampered ciphertext', () => {
    const sealed = new SecretBox(KEY).encrypt('secret');
    expect(() => new SecretBox('x'.repeat(40)).decrypt(sealed)).toThrow();
    // Flip a byte of the ciphertext itself: changing the last base64 characters may only touch
    // padding bits, which decode to the same bytes.
    const [version, payload] = sealed.split('.');
    const raw = Buffer.from(payload, 'base64url');
    raw[raw.length - 1] ^= 0x01;
    const tampered = `${version}.${raw.toString('base64url')}`;
    expect(() => new SecretBox(KEY).decrypt(tampered)).toThrow();
  });

  it('refuses a short SECRET_KEY', () => {
    expect(() => new SecretBox('short')).toThrow(/32 characters/);
  });
});
