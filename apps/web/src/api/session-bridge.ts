import type { Router } from 'vue-router';
import { i18n } from '@/i18n';
import { useSessionStore } from '@/stores/session';
import { connectSession } from './client';

/** Gives the API client access to the tokens, and sends the user to sign in when the session cannot be renewed. */
export function connectApiToSession(router: Router): void {
  const session = useSessionStore();
  connectSession({
    getAccessToken: () => session.accessToken,
    getRefreshToken: () => session.refreshToken,
    onRefreshed: (refreshed) => session.applyRefresh(refreshed),
    onExpired: () => {
      const wasSignedIn = session.isAuthenticated;
      session.clear();
      const current = router.currentRoute.value;
      if (current.name === 'login') return;
      if (wasSignedIn) ElMessage.warning(i18n.global.t('user.sessionExpired'));
      void router.replace({ name: 'login', query: current.fullPath === '/' ? {} : { redirect: current.fullPath } });
    },
  });
}
