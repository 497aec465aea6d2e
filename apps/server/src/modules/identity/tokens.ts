import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Role } from '@kpl/shared';
import { newId } from '../../platform/ids.js';

export const ACCESS_TTL_SECONDS = 15 * 60;
export const REFRESH_TTL_MS = 7 * 24 * 3600 * 1000;
const ISSUER = 'kaopeilian';
const AUDIENCE = 'kaopeilian-api';
const ALG = 'HS256';

export interface AccessClaims {
  sub: string;
  role: Role;
  jti: string;
  exp: number;
}

export type VerifyFailure = 'expired' | 'invalid';

/** Signs and verifies access JWTs: HS256 only (alg pinned), issuer, audience, expiry and jti required. */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async issueAccess(userId: string, role: Role): Promise<{ token: string; jti: string; exp: number }> {
    const jti = newId();
    const exp = Math.floor(Date.now() / 1000) + ACCESS_TTL_SECONDS;
    const token = await new SignJWT({ role })
      .setProtectedHeader({ alg: ALG, typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(this.key);
    return { token, jti, exp };
  }

  async verifyAccess(token: string): Promise<AccessClaims | VerifyFailure> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ALG],
        issuer: ISSUER,
        audience: AUDIENCE,
        requiredClaims: ['sub', 'jti', 'exp', 'iat'],
      });
      if (typeof payload.role !== 'string') return 'invalid';
      return { sub: payload.sub!, role: payload.role as Role, jti: payload.jti!, exp: payload.exp! };
    } catch (err) {
      return err instanceof joseErrors.JWTExpired ? 'expired' : 'invalid';
    }
  }
}

/** Refresh tokens are "<id>.<secret>": the id finds the row, the secret's SHA-256 is compared in constant time. */
export function newRefreshToken(): { id: string; token: string; hash: string } {
  const id = newId();
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `${id}.${secret}`, hash: sha256(secret) };
}

export function parseRefreshToken(token: string): { id: string; secret: string } | null {
  const m = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

export function refreshSecretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
