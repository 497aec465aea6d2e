import { loginResponseSchema, type LoginResponse, type Permission, type Role, type SessionUser } from '@kpl/shared';
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import * as authApi from '@/api/auth';
import type { RefreshedSession } from '@/api/client';

/** Roles that work in the admin console; learners only see the portal. */
export const STAFF_ROLES = ['admin', 'manager', 'instructor'] as const satisfies readonly Role[];

/** Course management (console) is for those who write, assign or follow courses: any one of these. */
export const COURSE_CONSOLE_PERMISSIONS = ['courses.write', 'courses.assign', 'progress.read'] as const satisfies readonly Permission[];

const STORAGE_KEY = 'kpl.session.v1';
const storedSessionSchema = loginResponseSchema.pick({ accessToken: true, refreshToken: true, user: true });
type StoredSession = ReturnType<typeof storedSessionSchema.parse>;

function readStoredSession(): StoredSession | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    // Validated, so a stale format from an older release signs the user out instead of crashing.
    const parsed = storedSessionSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function writeStoredSession(session: StoredSession | null): void {
  try {
    if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage unavailable: the session lasts for this tab only.
  }
}

export const useSessionStore = defineStore('session', () => {
  const stored = readStoredSession();
  const accessToken = ref<string | null>(stored?.accessToken ?? null);
  const refreshToken = ref<string | null>(stored?.refreshToken ?? null);
  const user = ref<SessionUser | null>(stored?.user ?? null);

  const isAuthenticated = computed(() => accessToken.value !== null && user.value !== null);
  const isStaff = computed(() => hasRole(...STAFF_ROLES));

  function hasRole(...roles: readonly Role[]): boolean {
    return user.value !== null && roles.includes(user.value.role);
  }

  /** What the server granted this session ('*' grants everything). The server enforces it anyway. */
  function can(permission: Permission): boolean {
    const granted = user.value?.permissions ?? [];
    return granted.includes(permission) || granted.includes('*');
  }

  function signIn(response: LoginResponse): void {
    accessToken.value = response.accessToken;
    refreshToken.value = response.refreshToken;
    user.value = response.user;
  }

  function applyRefresh(session: RefreshedSession): void {
    accessToken.value = session.accessToken;
    refreshToken.value = session.refreshToken;
    if (session.user) user.value = session.user;
  }

  function clear(): void {
    accessToken.value = null;
    refreshToken.value = null;
    user.value = null;
  }

  /** Picks up server-side changes (role, name) to a session restored from storage. */
  async function reloadUser(): Promise<void> {
    if (!isAuthenticated.value) return;
    const fresh = await authApi.me();
    if (isAuthenticated.value) user.value = fresh; // unless signed out meanwhile
  }

  async function logout(): Promise<void> {
    const token = refreshToken.value;
    try {
      if (token) await authApi.logout(token);
    } catch {
      // Best effort: the local session is dropped either way and the token expires on its own.
    } finally {
      clear();
    }
  }

  watch([accessToken, refreshToken, user], () => {
    writeStoredSession(
      accessToken.value && refreshToken.value && user.value
        ? { accessToken: accessToken.value, refreshToken: refreshToken.value, user: user.value }
        : null,
    );
  });

  // Signing in or out in another tab applies here too.
  window.addEventListener('storage', (event) => {
    if (event.key !== STORAGE_KEY) return;
    const latest = readStoredSession();
    accessToken.value = latest?.accessToken ?? null;
    refreshToken.value = latest?.refreshToken ?? null;
    user.value = latest?.user ?? null;
  });

  return {
    accessToken,
    refreshToken,
    user,
    isAuthenticated,
    isStaff,
    hasRole,
    can,
    signIn,
    applyRefresh,
    clear,
    reloadUser,
    logout,
  };
});
