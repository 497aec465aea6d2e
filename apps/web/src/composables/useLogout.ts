import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { useSessionStore } from '@/stores/session';

export function useLogout() {
  const session = useSessionStore();
  const router = useRouter();
  const { t } = useI18n();

  return async function logout(): Promise<void> {
    await session.logout();
    await router.replace({ name: 'login' });
    ElMessage.success(t('user.loggedOut'));
  };
}
