import { DEV_JWT_SECRET } from './config';
import { mintToken, ROLES, type Role } from './identity';

const usage = 'usage: npm run token -- --role <officer|committee|auditor|employer|association|admin> [--region MA-09] [--org ID] [--sub NAME] [--ttl SECONDS]';

/** Mints a development token signed with TASHGHIL_JWT_SECRET (or the development secret). */
const main = (argv: readonly string[]): void => {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!key?.startsWith('--') || value === undefined) throw new Error(usage);
    args.set(key.slice(2), value);
  }
  const roles = (args.get('role') ?? '').split(',').filter(Boolean);
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || bad.length > 0) throw new Error(bad.length ? `unknown role ${bad.join(', ')}; ${usage}` : usage);
  const region = args.get('region');
  if (region !== undefined && !/^MA-(0[1-9]|1[0-2])$/.test(region)) throw new Error(`--region must be MA-01 … MA-12, not ${region}`);
  const ttl = Number(args.get('ttl') ?? 8 * 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('--ttl must be a positive whole number of seconds');
  const sub = args.get('sub') ?? `${roles[0]}${region ? `-${region.toLowerCase()}` : ''}`;
  const org = args.get('org');
  const token = mintToken(
    {
      secret: process.env.TASHGHIL_JWT_SECRET ?? DEV_JWT_SECRET,
      issuer: process.env.TASHGHIL_JWT_ISSUER ?? 'tashghil',
      audience: process.env.TASHGHIL_JWT_AUDIENCE ?? 'tashghil',
    },
    { sub, roles: roles as Role[], ...(region ? { region } : {}), ...(org ? { org } : {}) },
    ttl,
  );
  process.stdout.write(`${token}\n`);
};

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`token: ${(error as Error).message}\n`);
  process.exit(2);
}
