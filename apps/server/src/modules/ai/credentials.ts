import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { maskKey } from '../../platform/masking.js';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * API keys at rest: AES-256-GCM with a random IV per value, stored as base64(iv ‖ tag ‖ ciphertext).
 * The tag makes tampering (or a wrong ENCRYPTION_KEY) fail loudly instead of yielding garbage.
 */
export class CredentialVault {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('the encryption key must be 32 bytes');
  }

  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  decrypt(stored: string): string {
    const raw = Buffer.from(stored, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('stored credential is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  /** What admins see instead of the key: 'sk-a…wxyz'. */
  static mask(plain: string): string {
    return maskKey(plain);
  }
}
