// Demo mode: one account per role and scope, all with the demo password, and
// made-up phone numbers for the grid staff (stored encrypted like real ones).
// Idempotent: existing accounts and numbers are left as they are.
import { createHash } from 'node:crypto';
import type { NewUser } from '../db/repositories/security-repositories.ts';
import type { Repositories } from '../db/repositories/index.ts';
import type { FieldCipher } from '../domain/field-crypto.ts';
import { DEMO_COST, hashPassword } from '../domain/password-hash.ts';
import { HANDLING_UNITS } from './handling-units.ts';

type DemoAccount = Omit<NewUser, 'passwordHash' | 'mustChangePassword'>;

/** Every demo account: sysadmin, secadmin, auditor, duty.district, duty.<town>, liaison.<community>, leader, unit.<unit>, worker.<grid>, kiosk.district. */
export async function demoAccounts(repos: Repositories): Promise<DemoAccount[]> {
  const { towns, communities, grids } = await repos.areas.codes();
  const district = { level: 'district' } as const;
  return [
    { username: 'sysadmin', displayName: '系统管理员 (演示)', role: 'sysadmin', scope: district },
    { username: 'secadmin', displayName: '安全管理员 (演示)', role: 'secadmin', scope: district },
    { username: 'auditor', displayName: '审计管理员 (演示)', role: 'auditor', scope: district },
    { username: 'duty.district', displayName: '新区值班员 (演示)', role: 'district_duty', scope: district },
    ...towns.map((t): DemoAccount => ({ username: `duty.${t.code}`, displayName: `${t.name}值班员 (演示)`, role: 'town_duty', scope: { level: 'town', townCode: t.code } })),
    ...communities.map((c): DemoAccount => ({
      username: `liaison.${c.code}`, displayName: `${c.name}联络员 (演示)`, role: 'liaison',
      scope: { level: 'community', townCode: c.townCode, communityCode: c.code },
    })),
    { username: 'leader', displayName: '新区领导 (演示)', role: 'leader', scope: district },
    ...HANDLING_UNITS.map((u): DemoAccount => ({ username: `unit.${u.code}`, displayName: `${u.name} (演示)`, role: 'unit_member', scope: district, unitCode: u.code })),
    ...grids.map((g): DemoAccount => ({
      username: `worker.${g.code}`, displayName: `${g.name}信息员 (演示)`, role: 'field_worker',
      scope: { level: 'community', townCode: g.townCode, communityCode: g.communityCode }, gridCode: g.code,
    })),
    { username: 'kiosk.district', displayName: '新区大屏 (演示)', role: 'kiosk', scope: district },
  ];
}

/** A made-up but well-formed mobile number, the same for a code on every run. */
export function demoPhone(code: string): string {
  const digest = createHash('sha256').update(`demo-phone:${code}`).digest();
  const prefix = ['139', '138', '137', '136', '135', '158', '159', '187', '188', '152'][digest[0] % 10];
  const rest = [...digest.subarray(1, 9)].map((b) => b % 10).join('');
  return prefix + rest;
}

export interface DemoSeedResult {
  accountsCreated: number;
  phonesSet: number;
}

export async function seedDemo(repos: Repositories, cipher: FieldCipher, password: string, now = new Date()): Promise<DemoSeedResult> {
  const existing = new Set(await repos.users.usernames());
  const missing = (await demoAccounts(repos)).filter((a) => !existing.has(a.username));
  // Each account its own salt; the cheap demo cost keeps ~450 hashes to about a second (see DEMO_COST).
  const users = await Promise.all(missing.map(async (a): Promise<NewUser> => ({
    ...a, passwordHash: await hashPassword(password, DEMO_COST), mustChangePassword: false, demo: true,
  })));
  const accountsCreated = await repos.users.insertMany(users, now);

  const codes = await repos.staff.withoutPhone();
  await repos.staff.setPhones(codes.map((code) => {
    const phone = demoPhone(code);
    return { code, phoneEnc: cipher.encrypt(phone), phoneHash: cipher.lookupHash(phone) };
  }));
  return { accountsCreated, phonesSet: codes.length };
}
