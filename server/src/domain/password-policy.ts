// The password policy (MLPS 2.0 identity requirements): a minimum length,
// at least three of four character classes, not the username, not one of the
// last five, and a maximum age after which the holder must change it.
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_CLASSES = 3;
export const PASSWORD_HISTORY_SIZE = 5;
export const PASSWORD_MAX_AGE_DAYS = 90;

const CLASSES: [string, RegExp][] = [
  ['lower-case letters', /[a-z]/],
  ['upper-case letters', /[A-Z]/],
  ['digits', /[0-9]/],
  ['symbols', /[^A-Za-z0-9]/],
];

/** Problems with a new password, as sentences a user can act on; empty when it is acceptable. */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters long`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters long`);
  const classes = CLASSES.filter(([, re]) => re.test(password)).length;
  if (classes < PASSWORD_MIN_CLASSES) {
    problems.push(`must mix at least ${PASSWORD_MIN_CLASSES} of: ${CLASSES.map(([name]) => name).join(', ')}`);
  }
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  // Containing the username, or the username reversed, is as good as being it.
  if (name.length >= 3 && (lower.includes(name) || lower.includes([...name].reverse().join('')))) {
    problems.push('must not contain the username');
  }
  return problems;
}

/** Has the password outlived its maximum age? */
export function passwordExpired(changedAt: Date, now: Date, maxAgeDays = PASSWORD_MAX_AGE_DAYS): boolean {
  return now.getTime() - changedAt.getTime() >= maxAgeDays * 86_400_000;
}
