import type { LocationQueryValue, RouteLocationRaw, Router } from 'vue-router';
import { useSessionStore } from '@/stores/session';

/** Where a signed-in user belongs by default: staff work in the console, learners in the portal. */
export function homeRouteFor(isStaff: boolean): RouteLocationRaw {
  return isStaff ? { name: 'admin-dashboard' } : { name: 'home' };
}

/** Only same-app paths: `//evil.example` or absolute URLs must not become an open redirect. */
export function safeRedirect(value: LocationQueryValue | LocationQueryValue[] | undefined): string | null {
  const path = Array.isArray(value) ? value[0] : value;
  return typeof path === 'string' && path.startsWith('/') && !path.startsWith('//') ? path : null;
}

export function installGuards(router: Router): void {
  router.beforeEach((to) => {
    const session = useSessionStore();

    if (to.name === 'login' && session.isAuthenticated) {
      return safeRedirect(to.query.redirect) ?? homeRouteFor(session.isStaff);
    }
    if (to.meta.public) return true;
    if (!session.isAuthenticated) {
      return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    }
    const roles = to.meta.roles;
    const permission = to.meta.permission;
    const anyPermission = to.meta.anyPermission;
    if (
      (roles && !session.hasRole(...roles)) ||
      (permission && !session.can(permission)) ||
      (anyPermission && !anyPermission.some((p) => session.can(p)))
    ) {
      return { name: 'forbidden', replace: true };
    }
    return true;
  });
}
