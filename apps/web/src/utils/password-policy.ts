import type { PasswordPolicy } from '@kpl/shared';

/** One rule a password breaks; the UI turns it into words in the current language. */
export type PasswordProblem =
  | { rule: 'minLength'; min: number }
  | { rule: 'letter' }
  | { rule: 'digit' }
  | { rule: 'symbol' }
  | { rule: 'username' };

/** The server's rules (identity/password-policy.ts), checked before submitting so mistakes show at once. */
export function checkPassword(policy: PasswordPolicy, password: string, username?: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (password.length < policy.minLength) problems.push({ rule: 'minLength', min: policy.minLength });
  if (policy.requireLetter && !/\p{L}/u.test(password)) problems.push({ rule: 'letter' });
  if (policy.requireDigit && !/\d/.test(password)) problems.push({ rule: 'digit' });
  if (policy.requireSymbol && !/[^\p{L}\d\s]/u.test(password)) problems.push({ rule: 'symbol' });
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push({ rule: 'username' });
  return problems;
}

/** Reads one of the server's English sentences (ERR-AUTH-0008 details.problems); null for one we do not know. */
export function parseServerProblem(text: string): PasswordProblem | null {
  const min = /at least (\d+) characters/.exec(text);
  if (min) return { rule: 'minLength', min: Number(min[1]) };
  if (/contain a letter/.test(text)) return { rule: 'letter' };
  if (/contain a digit/.test(text)) return { rule: 'digit' };
  if (/contain a symbol/.test(text)) return { rule: 'symbol' };
  if (/not contain the username/.test(text)) return { rule: 'username' };
  return null;
}

/** details.problems of an ERR-AUTH-0008 answer, when present. */
export function serverProblems(details: unknown): string[] {
  if (typeof details !== 'object' || details === null || !('problems' in details)) return [];
  const { problems } = details;
  return Array.isArray(problems) ? problems.filter((p): p is string => typeof p === 'string') : [];
}
