import type { PasswordPolicy } from '@kpl/shared';

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 8,
  requireLetter: true,
  requireDigit: true,
  requireSymbol: false,
};

/** Every rule the password breaks, as sentences a person can act on; empty when it is acceptable. */
export function passwordProblems(policy: PasswordPolicy, password: string, username?: string): string[] {
  const problems: string[] = [];
  if (password.length < policy.minLength) problems.push(`must be at least ${policy.minLength} characters`);
  if (policy.requireLetter && !/\p{L}/u.test(password)) problems.push('must contain a letter');
  if (policy.requireDigit && !/\d/.test(password)) problems.push('must contain a digit');
  if (policy.requireSymbol && !/[^\p{L}\d\s]/u.test(password)) problems.push('must contain a symbol');
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('must not contain the username');
  return problems;
}
