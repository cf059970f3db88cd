// The password policy as the change-password form shows it, checked while
// typing so each rule can be ticked or explained. The server
// (server/src/domain/password-policy.ts) is the judge; these numbers mirror
// it, and "not one of the last 5" can only be checked there.
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MIN_CLASSES = 3;
export const PASSWORD_HISTORY_SIZE = 5;

const CLASSES = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

export type PasswordRule = 'length' | 'classes' | 'username' | 'confirm';

export interface RuleCheck {
  rule: PasswordRule;
  ok: boolean;
}

export function characterClasses(password: string): number {
  return CLASSES.filter((re) => re.test(password)).length;
}

export function containsUsername(password: string, username: string): boolean {
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  return name.length >= 3 && (lower.includes(name) || lower.includes([...name].reverse().join('')));
}

/** Each rule the form lists, and whether the new password (and its repetition) meets it. */
export function checkNewPassword(password: string, confirm: string, username: string): RuleCheck[] {
  return [
    { rule: 'length', ok: password.length >= PASSWORD_MIN_LENGTH },
    { rule: 'classes', ok: characterClasses(password) >= PASSWORD_MIN_CLASSES },
    { rule: 'username', ok: password.length > 0 && !containsUsername(password, username) },
    { rule: 'confirm', ok: password.length > 0 && password === confirm },
  ];
}

/** What a refused change means for the form, from the server's status and message. */
export function changeRefusal(status: number, message: string | null): 'wrong-current' | 'history' | 'policy' | 'other' {
  if (status === 401) return 'wrong-current';
  if (status === 400 && message?.includes('last')) return 'history';
  if (status === 400) return 'policy';
  return 'other';
}
