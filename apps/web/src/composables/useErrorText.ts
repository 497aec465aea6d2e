import { useI18n } from 'vue-i18n';
import { isApiError } from '@/api/client';

/** Per-screen wording for a code, e.g. ERR-AUTH-0001 on the sign-in form means wrong credentials. */
export type ErrorTextOverrides = Partial<Record<string, string>>;

/**
 * Turns any thrown error into text for the user: the translation of its code when we have one,
 * otherwise the server's own message (already user-facing English).
 */
export function useErrorText() {
  const { t, te } = useI18n();

  return function errorText(error: unknown, overrides: ErrorTextOverrides = {}): string {
    if (!isApiError(error)) return t('errors.ERR-COMMON-0007');
    const key = overrides[error.code] ?? `errors.${error.code}`;
    return te(key) ? t(key) : error.message;
  };
}
