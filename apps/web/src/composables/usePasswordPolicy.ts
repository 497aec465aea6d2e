import type { PasswordPolicy } from '@kpl/shared';
import { computed, onMounted, shallowRef } from 'vue';
import { useI18n } from 'vue-i18n';
import { getAuthSettings } from '@/api/settings';
import { checkPassword, parseServerProblem, type PasswordProblem } from '@/utils/password-policy';

// The policy rarely changes; one request per visit is enough (the server checks again on submit).
let cached: Promise<PasswordPolicy> | null = null;

function loadPolicy(): Promise<PasswordPolicy> {
  cached ??= getAuthSettings()
    .then((settings) => settings.passwordPolicy)
    .catch((error: unknown) => {
      cached = null; // try again next time
      throw error;
    });
  return cached;
}

/** Forget the cached policy, e.g. after an administrator changed it. */
export function invalidatePasswordPolicy(): void {
  cached = null;
}

/** The password policy with its wording: a hint for forms, and problems in the user's language. */
export function usePasswordPolicy() {
  const { t, locale } = useI18n();
  const policy = shallowRef<PasswordPolicy | null>(null);

  onMounted(() => {
    loadPolicy().then(
      (value) => (policy.value = value),
      () => undefined, // no hint then; the server still enforces the policy
    );
  });

  // e.g. 密码要求：至少 8 个字符，须包含字母和数字
  const hint = computed(() => {
    const value = policy.value;
    if (!value) return '';
    const kinds: string[] = [];
    if (value.requireLetter) kinds.push(t('password.rules.letter'));
    if (value.requireDigit) kinds.push(t('password.rules.digit'));
    if (value.requireSymbol) kinds.push(t('password.rules.symbol'));
    const rules = [t('password.rules.minLength', { min: value.minLength })];
    if (kinds.length) {
      const list = new Intl.ListFormat(locale.value, { type: 'conjunction' }).format(kinds);
      rules.push(t('password.rules.mustContain', { kinds: list }));
    }
    return t('password.hint', { rules: rules.join(t('common.listSeparator')) });
  });

  function describe(problem: PasswordProblem): string {
    return problem.rule === 'minLength' ? t('password.problems.minLength', { min: problem.min }) : t(`password.problems.${problem.rule}`);
  }

  /** Problems of a password under the loaded policy, as text; none while the policy is unknown. */
  function problemsOf(password: string, username?: string): string[] {
    return policy.value ? checkPassword(policy.value, password, username).map(describe) : [];
  }

  /** The server's ERR-AUTH-0008 problems in the user's language (unknown ones as sent). */
  function describeServerProblems(problems: readonly string[]): string[] {
    return problems.map((text) => {
      const parsed = parseServerProblem(text);
      return parsed ? describe(parsed) : text;
    });
  }

  /** An Element Plus form validator enforcing the policy. */
  function validator(username?: () => string | undefined) {
    return (_rule: unknown, value: string, callback: (error?: Error) => void) => {
      const problems = value ? problemsOf(value, username?.()) : [];
      callback(problems.length ? new Error(problems.join(t('common.listSeparator'))) : undefined);
    };
  }

  return { policy, hint, problemsOf, describeServerProblems, validator };
}
