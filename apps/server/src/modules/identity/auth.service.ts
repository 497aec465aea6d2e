import { authSettingsSchema, ROLE_PERMISSIONS, type AuthSettings, type LoginResponse, type SessionUser } from '@kpl/shared';
import type { Cache } from '../../platform/cache/cache.js';
import { AppError } from '../../platform/errors.js';
import { now } from '../../platform/ids.js';
import type { SettingsRepository } from '../system/index.js';
import { actorFields, type Actor, type AuditRecorder } from './actor.js';
import { hashPassword, verifyPassword } from './password.js';
import { DEFAULT_PASSWORD_POLICY, passwordProblems } from './password-policy.js';
import type { SessionsRepository } from './sessions.repository.js';
import { ACCESS_TTL_SECONDS, newRefreshToken, parseRefreshToken, refreshSecretMatches, REFRESH_TTL_MS, type TokenService } from './tokens.js';
import type { UsersRepository, UserWithPath } from './users.repository.js';
import type { UsersService } from './users.service.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MS = 15 * 60 * 1000;
const SETTINGS_KEY = 'auth';
export const DEFAULT_AUTH_SETTINGS: AuthSettings = { registrationEnabled: false, passwordPolicy: DEFAULT_PASSWORD_POLICY };

export const loadAuthSettings = (settings: SettingsRepository): Promise<AuthSettings> =>
  settings.get(SETTINGS_KEY, authSettingsSchema, DEFAULT_AUTH_SETTINGS);

/** Compared against when the user does not exist, so both failures take the same time. */
let dummyHash: Promise<string> | undefined;

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly sessions: SessionsRepository,
    private readonly tokens: TokenService,
    private readonly cache: Cache,
    private readonly settingsRepo: SettingsRepository,
    private readonly audit: AuditRecorder,
  ) {}

  settings(): Promise<AuthSettings> {
    return loadAuthSettings(this.settingsRepo);
  }

  async updateSettings(actor: Actor, next: AuthSettings): Promise<AuthSettings> {
    await this.settingsRepo.set(SETTINGS_KEY, next);
    await this.audit.record({ ...actorFields(actor), action: 'settings.updated', targetType: 'settings', targetId: SETTINGS_KEY, details: { ...next } });
    return next;
  }

  sessionUser(u: Pick<Actor, 'id' | 'username' | 'displayName' | 'role' | 'departmentId'>): SessionUser {
    return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, departmentId: u.departmentId, permissions: [...ROLE_PERMISSIONS[u.role]] };
  }

  async login(identifier: string, password: string, client: ClientInfo): Promise<LoginResponse> {
    const user = await this.users.findByLogin(identifier);
    // One counter per account (or per unknown name), so unknown and known names behave the same.
    const lockKey = `login-failures:${user?.id ?? identifier.trim().toLowerCase()}`;
    const failures = (await this.cache.get<number>(lockKey)) ?? 0;
    const audit = { ip: client.ip, requestId: client.requestId, targetType: 'user', targetId: user?.id ?? null };
    if (failures >= MAX_FAILED_LOGINS) {
      await this.audit.record({ ...audit, action: 'auth.login_failed', outcome: 'failure', details: { identifier, reason: 'locked' } });
      throw new AppError('ERR-AUTH-0004', `Too many failed sign-in attempts. Please try again in ${LOCKOUT_MS / 60000} minutes.`);
    }
    dummyHash ??= hashPassword('not-a-real-password');
    const ok = await verifyPassword(user?.password_hash ?? (await dummyHash), password);
    if (!user || !ok) {
      await this.cache.incr(lockKey, LOCKOUT_MS);
      await this.audit.record({ ...audit, action: 'auth.login_failed', outcome: 'failure', details: { identifier, reason: user ? 'wrong password' : 'unknown user' } });
      throw new AppError('ERR-AUTH-0003');
    }
    if (user.status !== 'active') {
      await this.audit.record({ ...audit, action: 'auth.login_failed', outcome: 'failure', details: { identifier, reason: 'disabled' } });
      throw new AppError('ERR-AUTH-0006');
    }
    await this.cache.del(lockKey);
    const response = await this.issue(user, newFamily(), client);
    await this.audit.record({ ...audit, actorId: user.id, actorName: user.display_name, action: 'auth.login' });
    return response;
  }

  private async issue(user: UserWithPath, familyId: string, client: ClientInfo): Promise<LoginResponse> {
    const access = await this.tokens.issueAccess(user.id, user.role);
    const refresh = newRefreshToken();
    const t = now();
    await this.sessions.insert({
      id: refresh.id,
      family_id: familyId,
      user_id: user.id,
      token_hash: refresh.hash,
      expires_at: t + REFRESH_TTL_MS,
      created_at: t,
      used_at: null,
      revoked_at: null,
      ip: client.ip,
      user_agent: client.userAgent?.slice(0, 255) ?? null,
    });
    return {
      accessToken: access.token,
      refreshToken: refresh.token,
      expiresIn: ACCESS_TTL_SECONDS,
      user: this.sessionUser({ id: user.id, username: user.username, displayName: user.display_name, role: user.role, departmentId: user.department_id }),
    };
  }

  /**
   * Rotates a refresh token. A token that was already rotated is proof of theft (or a replay):
   * the whole family is revoked, so both the thief and the victim must sign in again.
   */
  async refresh(token: string, client: ClientInfo): Promise<LoginResponse> {
    const parsed = parseRefreshToken(token);
    const row = parsed ? await this.sessions.find(parsed.id) : undefined;
    if (!parsed || !row || !refreshSecretMatches(parsed.secret, row.token_hash)) throw new AppError('ERR-AUTH-0005');
    const t = now();
    if (row.revoked_at !== null || Number(row.expires_at) <= t) throw new AppError('ERR-AUTH-0005');
    if (row.used_at !== null || !(await this.sessions.markUsed(row.id, t))) {
      const revoked = await this.sessions.revokeFamily(row.family_id, t);
      await this.audit.record({
        actorId: row.user_id,
        ip: client.ip,
        requestId: client.requestId,
        action: 'auth.refresh_reuse',
        outcome: 'failure',
        targetType: 'session',
        targetId: row.family_id,
        details: { revokedTokens: revoked },
      });
      throw new AppError('ERR-AUTH-0005');
    }
    const user = await this.users.findById(row.user_id);
    if (!user || user.status !== 'active') {
      await this.sessions.revokeFamily(row.family_id, t);
      throw new AppError('ERR-AUTH-0005');
    }
    return this.issue(user, row.family_id, client);
  }

  /** Ends this sign-in: the access token's jti is blacklisted until it expires and its refresh family revoked. */
  async logout(actor: Actor, access: { jti: string; exp: number }, refreshToken?: string): Promise<void> {
    const ttl = access.exp * 1000 - Date.now();
    if (ttl > 0) await this.cache.set(`revoked-jti:${access.jti}`, 1, ttl);
    let familyId: string | null = null;
    const parsed = refreshToken ? parseRefreshToken(refreshToken) : null;
    if (parsed) {
      const row = await this.sessions.find(parsed.id);
      if (row && row.user_id === actor.id && refreshSecretMatches(parsed.secret, row.token_hash)) {
        familyId = row.family_id;
        await this.sessions.revokeFamily(row.family_id, now());
      }
    }
    await this.audit.record({ ...actorFields(actor), action: 'auth.logout', targetType: 'session', targetId: familyId, details: { jti: access.jti } });
  }

  async isRevoked(jti: string): Promise<boolean> {
    return (await this.cache.get(`revoked-jti:${jti}`)) !== undefined;
  }

  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.users.findById(actor.id);
    if (!user) throw new AppError('ERR-AUTH-0005');
    if (!(await verifyPassword(user.password_hash, currentPassword))) throw new AppError('ERR-AUTH-0009');
    const problems = passwordProblems((await this.settings()).passwordPolicy, newPassword, user.username);
    if (problems.length) throw new AppError('ERR-AUTH-0008', `The password ${problems.join(', ')}.`, { problems });
    await this.users.update(actor.id, { password_hash: await hashPassword(newPassword), updated_at: now() });
    // Other devices must sign in again with the new password.
    const sessions = await this.sessions.revokeAllForUser(actor.id, now());
    await this.audit.record({ ...actorFields(actor), action: 'auth.password_changed', targetType: 'user', targetId: actor.id });
    await this.audit.record({ ...actorFields(actor), action: 'auth.token_revoked', targetType: 'user', targetId: actor.id, details: { reason: 'password changed', sessions } });
  }

  async register(input: { username: string; password: string; displayName: string; email?: string }, client: ClientInfo): Promise<LoginResponse> {
    if (!(await this.settings()).registrationEnabled) throw new AppError('ERR-AUTH-0007');
    const created = await this.usersService.create(null, { ...input, role: 'learner', departmentId: null });
    await this.audit.record({ actorId: created.id, actorName: created.displayName, ip: client.ip, requestId: client.requestId, action: 'auth.registered', targetType: 'user', targetId: created.id });
    return this.issue((await this.users.findById(created.id))!, newFamily(), client);
  }
}

const newFamily = (): string => newRefreshToken().id;
