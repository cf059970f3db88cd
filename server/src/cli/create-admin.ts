// npm run create-admin -- --username NAME [--role sysadmin|secadmin|auditor] [--name "Display name"]
// Creates one of the three administrator accounts in the configured database
// (DATABASE_URL, else the embedded one): outside demo mode the only way the
// first administrator comes to exist. The password is read from ADMIN_PASSWORD
// or typed (not echoed); it must meet the password policy.
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { ConfigError, loadConfig } from '../config.ts';
import { migrate } from '../db/migrate.ts';
import { startEmbeddedPostgres, type RunningPostgres } from '../db/embedded.ts';
import { createRepositories } from '../db/repositories/index.ts';
import { createAdministrator, CreateAdminError } from '../services/create-admin.ts';
import type { Role } from '../../../shared/schemas/auth.ts';

function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    // Echo nothing of what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.includes(prompt)) process.stdout.write(prompt);
    };
    rl.question(prompt, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { username: { type: 'string' }, role: { type: 'string', default: 'sysadmin' }, name: { type: 'string' } },
  });
  if (!values.username) throw new CreateAdminError('usage: npm run create-admin -- --username NAME [--role sysadmin|secadmin|auditor] [--name "Display name"]');
  let password = process.env.ADMIN_PASSWORD ?? '';
  if (!password) {
    if (!process.stdin.isTTY) throw new CreateAdminError('set ADMIN_PASSWORD or run in a terminal to type the password');
    password = await readHidden('Password: ');
    if ((await readHidden('Again:    ')) !== password) throw new CreateAdminError('the two passwords differ');
  }

  const config = loadConfig();
  let postgres: RunningPostgres | undefined;
  const databaseUrl = config.databaseUrl ?? (postgres = await startEmbeddedPostgres({ dataDir: config.pgDataDir, port: config.pgPort })).url;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    await migrate(databaseUrl);
    const user = await createAdministrator(createRepositories(pool), {
      username: values.username, role: values.role as Role, displayName: values.name, password,
    });
    console.log(`Created ${user.role} "${user.username}". At first sign-in they must enrol a TOTP authenticator.`);
  } finally {
    await pool.end();
    await postgres?.stop();
  }
}

main().catch((err: unknown) => {
  if (err instanceof CreateAdminError || err instanceof ConfigError) console.error(err.message);
  else console.error('create-admin failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
