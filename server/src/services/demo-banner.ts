// What `npm start` prints in demo mode: loud, with the accounts and the
// password, so nobody mistakes a demo for a production install.
export function demoBanner(password: string, kioskUrl?: string | null): string {
  const line = '!'.repeat(78);
  return [
    line,
    '  DEMO MODE (演示模式): demo accounts exist and all share one published password.',
    '  Never put real data into a demo install. Set DEMO=0 for production and create',
    '  the first administrator with `npm run create-admin`.',
    '',
    `  Password for every demo account:  ${password}`,
    '  Accounts: sysadmin, secadmin, auditor (these enrol TOTP at first sign-in),',
    '            duty.district, duty.<town code>, liaison.<community code>, leader,',
    '            unit.<unit code>, worker.<grid code>, kiosk.district',
    '  e.g.      duty.321171001 (丁卯街道), liaison.321171001001, unit.police',
    ...(kioskUrl ? ['', '  Big screen (大屏, read-only kiosk token, new at every start):', `  ${kioskUrl}`] : []),
    line,
    '',
  ].join('\n');
}
