// Creates one of the three administrator accounts: the only way they come to
// exist outside demo mode (the CLI calls this; tests do too). The holder typed
// the password, so no forced change; TOTP enrolment is forced at first sign-in.
import { ADMIN_ROLES, type Role } from '../../../shared/schemas/auth.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { UserRecord } from '../db/repositories/security-repositories.ts';
import { hashPassword } from '../domain/password-hash.ts';
import { passwordProblems } from '../domain/password-policy.ts';

export type AdminRole = (typeof ADMIN_ROLES)[number];

export class CreateAdminError extends Error {
  override name = 'CreateAdminError';
}

export async function createAdministrator(
  repos: Repositories,
  input: { username: string; displayName?: string; role: Role; password: string },
  now = new Date(),
): Promise<UserRecord> {
  if (!(ADMIN_ROLES as readonly Role[]).includes(input.role)) {
    throw new CreateAdminError(`role must be one of ${ADMIN_ROLES.join(', ')}; other accounts are created by the system administrator`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/.test(input.username)) {
    throw new CreateAdminError('username: 3-64 letters, digits, dots, dashes or underscores, starting with a letter or digit');
  }
  const problems = passwordProblems(input.password, input.username);
  if (problems.length) throw new CreateAdminError(`password ${problems.join('; ')}`);
  const user = await repos.users.create({
    username: input.username,
    displayName: input.displayName ?? input.username,
    role: input.role,
    scope: { level: 'district' },
    passwordHash: await hashPassword(input.password),
    mustChangePassword: false,
  }, now);
  if (!user) throw new CreateAdminError(`username ${input.username} is taken`);
  await repos.audit.append({
    actor: 'create-admin (command line)', action: 'account.create', targetType: 'account', targetId: String(user.id),
    after: { username: user.username, role: user.role, scope: user.scope }, result: 'success',
  });
  return user;
}
