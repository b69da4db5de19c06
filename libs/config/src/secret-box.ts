import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts channel secrets at rest (AES-256-GCM). Give it the 32-byte key CoreModule provides under
 * SECRET_KEY (already sha256(SECRET_KEY)), or the SECRET_KEY string itself: both derive the same key.
 * Sealed form: `v1.<base64url(iv | tag | ciphertext)>` — self-describing so the scheme can change.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(secretKey: Buffer | string) {
    if (typeof secretKey === 'string') {
      if (secretKey.length < 32) throw new Error('SecretBox needs a SECRET_KEY of at least 32 characters');
      this.key = createHash('sha256').update(secretKey).digest();
    } else {
      if (secretKey.length !== 32) throw new Error('SecretBox needs a 32-byte key');
      this.key = secretKey;
    }
  }

  /** A fresh random key, for the embedded mode to store in DATA_DIR on first start. */
  static generateKey(): string {
    return randomBytes(32).toString('base64url');
  }

  seal(value: Record<string, unknown>): string {
    return this.encrypt(JSON.stringify(value));
  }

  open(sealed: string): Record<string, unknown> {
    const parsed: unknown = JSON.parse(this.decrypt(sealed));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('sealed secrets are not an object');
    return parsed as Record<string, unknown>;
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** Throws when the value was sealed with another key or tampered with (GCM authentication). */
  decrypt(sealed: string): string {
    const [version, payload] = sealed.split('.', 2);
    if (version !== VERSION || !payload) throw new Error('unknown sealed secret format');
    const raw = Buffer.from(payload, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('sealed secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
