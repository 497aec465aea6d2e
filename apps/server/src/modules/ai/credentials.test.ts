import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialVault } from './credentials.js';

describe('CredentialVault (AES-256-GCM)', () => {
  const vault = new CredentialVault(randomBytes(32));
  const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';

  it('round-trips, with a fresh IV every time (same key, different ciphertexts)', () => {
    const a = vault.encrypt(key);
    const b = vault.encrypt(key);
    expect(a).not.toBe(b);
    expect(vault.decrypt(a)).toBe(key);
    expect(vault.decrypt(b)).toBe(key);
    // iv (12) + tag (16) + one byte per ASCII character.
    expect(Buffer.from(a, 'base64')).toHaveLength(12 + 16 + key.length);
    expect(Buffer.from(a, 'base64').toString('latin1')).not.toContain(key);
  });

  it('refuses a tampered value, a wrong key and a truncated value', () => {
    const stored = Buffer.from(vault.encrypt(key), 'base64');
    stored[stored.length - 1]! ^= 1;
    expect(() => vault.decrypt(stored.toString('base64'))).toThrow();
    expect(() => new CredentialVault(randomBytes(32)).decrypt(vault.encrypt(key))).toThrow();
    expect(() => vault.decrypt('AAAA')).toThrow(/truncated/);
    expect(() => new CredentialVault(randomBytes(16))).toThrow(/32 bytes/);
  });

  it('masks for display without revealing more than a few characters', () => {
    expect(CredentialVault.mask('sk-abcdefghijklmnopqrstuvwx')).toBe('sk-a…uvwx');
    expect(CredentialVault.mask('app-1234')).toBe('a…4');
    expect(CredentialVault.mask('short')).toBe('****');
  });
});
