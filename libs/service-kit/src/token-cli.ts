import { readFileSync } from 'node:fs';
import { DEV_JWT_SECRET, secretSetting } from './config';
import { mintToken, ROLES, signingKeyFromJwk, type Role, type SigningSettings, type TokenSettings } from './identity';

const usage =
  'usage: npm run token -- --role <officer|committee|auditor|employer|association|admin> [--region MA-09] [--org ID] [--sub NAME] [--ttl SECONDS]' +
  ' [--key-file PRIVATE_JWK_OR_JWKS --kid KID]';

/** The private JWK in `path`: the file is one JWK, or a JWKS in which `kid` names the key. */
const signingKeyFrom = (path: string, kid: string | undefined): SigningSettings['signingKey'] => {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--key-file ${path}: ${(error as Error).message}`);
  }
  const kidOf = (jwk: unknown): unknown => (jwk as { kid?: unknown } | null)?.kid;
  const keys = (doc as { keys?: unknown } | null)?.keys;
  const jwk: unknown = !Array.isArray(keys)
    ? doc
    : kid === undefined && keys.length === 1
      ? keys[0]
      : keys.find((k) => kidOf(k) === kid);
  if (jwk === undefined) throw new Error(`--key-file ${path} is a JWKS: --kid must name one of its keys`);
  if (kid !== undefined && kidOf(jwk) !== undefined && kidOf(jwk) !== kid)
    throw new Error(`--key-file ${path} holds key ${String(kidOf(jwk))}, not ${kid}`);
  return signingKeyFromJwk(jwk, kid);
};

/**
 * Mints a token: signed with a private JWK and its kid when --key-file is given, else with
 * TASHGHIL_JWT_SECRET (or TASHGHIL_JWT_SECRET_FILE, or the development secret).
 */
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
  if (roles.length === 0 || bad.length > 0)
    throw new Error(bad.length ? `unknown role ${bad.join(', ')}; ${usage}` : usage);
  const region = args.get('region');
  if (region !== undefined && !/^MA-(0[1-9]|1[0-2])$/.test(region))
    throw new Error(`--region must be MA-01 … MA-12, not ${region}`);
  const ttl = Number(args.get('ttl') ?? 8 * 3600);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new Error('--ttl must be a positive whole number of seconds');
  const sub = args.get('sub') ?? `${roles[0]}${region ? `-${region.toLowerCase()}` : ''}`;
  const org = args.get('org');
  const keyFile = args.get('key-file');
  const kid = args.get('kid');
  if (kid !== undefined && keyFile === undefined) throw new Error('--kid goes with --key-file');
  const claims = {
    issuer: process.env.TASHGHIL_JWT_ISSUER ?? 'tashghil',
    audience: process.env.TASHGHIL_JWT_AUDIENCE ?? 'tashghil',
  };
  const settings: TokenSettings | SigningSettings =
    keyFile !== undefined
      ? { signingKey: signingKeyFrom(keyFile, kid), ...claims }
      : { secret: secretSetting(process.env, 'TASHGHIL_JWT_SECRET') ?? DEV_JWT_SECRET, ...claims };
  const token = mintToken(
    settings,
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
