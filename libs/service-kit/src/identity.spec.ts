import jwt from 'jsonwebtoken';
import { assertRegionAccess, mayRead, mintToken, verifyToken, type Identity } from './identity';

const settings = { secret: 'unit-secret', issuer: 'tashghil', audience: 'tashghil' };
const officer: Identity = { sub: 'o1', roles: ['officer'], region: 'MA-09' };

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('tokens', () => {
  it('round-trips an identity through a signed token', () => {
    expect(verifyToken(settings, mintToken(settings, officer))).toEqual(officer);
  });

  it.each([
    ['expired', () => jwt.sign({ roles: ['admin'] }, settings.secret, { subject: 's', issuer: 'tashghil', audience: 'tashghil', expiresIn: -10 })],
    ['forged', () => mintToken({ ...settings, secret: 'another-secret' }, officer)],
    ['for another audience', () => mintToken({ ...settings, audience: 'elsewhere' }, officer)],
    ['unsigned', () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","roles":["admin"]}').toString('base64url')}.`],
    ['without a known role', () => jwt.sign({ roles: ['king'] }, settings.secret, { subject: 's', issuer: 'tashghil', audience: 'tashghil' })],
  ])('refuses a token that is %s', (_case, make) => {
    expect(codeOf(() => verifyToken(settings, make()))).toBe('INVALID_TOKEN');
  });
});

describe('region scope', () => {
  it('lets an officer write in their own region only', () => {
    expect(codeOf(() => assertRegionAccess(officer, 'MA-09', 'write'))).toBeUndefined();
    expect(codeOf(() => assertRegionAccess(officer, 'MA-10', 'write'))).toBe('REGION_OUT_OF_SCOPE');
    expect(codeOf(() => assertRegionAccess(officer, 'MA-10', 'read'))).toBe('REGION_OUT_OF_SCOPE');
  });

  it('lets an auditor read everywhere and write nowhere', () => {
    const auditor: Identity = { sub: 'a', roles: ['auditor'] };
    expect(codeOf(() => assertRegionAccess(auditor, 'MA-01', 'read'))).toBeUndefined();
    expect(codeOf(() => assertRegionAccess(auditor, 'MA-01', 'write'))).toBe('ROLE_NOT_ALLOWED');
  });

  it('keeps a committee member to reading in their region unless the action allows them', () => {
    const member: Identity = { sub: 'c', roles: ['committee'], region: 'MA-10' };
    expect(codeOf(() => assertRegionAccess(member, 'MA-10', 'read'))).toBeUndefined();
    expect(codeOf(() => assertRegionAccess(member, 'MA-10', 'write'))).toBe('ROLE_NOT_ALLOWED');
    expect(codeOf(() => assertRegionAccess(member, 'MA-10', 'write', ['committee']))).toBeUndefined();
  });

  it('refuses an employer reading a region report', () => {
    expect(codeOf(() => assertRegionAccess({ sub: 'e', roles: ['employer'], org: 'renault' }, 'MA-01', 'read'))).toBe('REGION_OUT_OF_SCOPE');
  });

  it('lets an organisation read its own files, and write them only where the action names its role', () => {
    const employer: Identity = { sub: 'e', roles: ['employer'], org: 'conserverie-guelmim' };
    expect(codeOf(() => assertRegionAccess(employer, 'MA-10', 'read', undefined, 'conserverie-guelmim'))).toBeUndefined();
    expect(codeOf(() => assertRegionAccess(employer, 'MA-10', 'read', undefined, 'another-firm'))).toBe('REGION_OUT_OF_SCOPE');
    expect(codeOf(() => assertRegionAccess(employer, 'MA-10', 'write', ['officer', 'employer'], 'conserverie-guelmim'))).toBeUndefined();
    expect(codeOf(() => assertRegionAccess(employer, 'MA-10', 'write', ['committee'], 'conserverie-guelmim'))).toBe('ROLE_NOT_ALLOWED');
    expect(mayRead(employer, 'MA-10', 'conserverie-guelmim')).toBe(true);
    expect(mayRead({ sub: 'o', roles: ['officer'], region: 'MA-10', org: 'conserverie-guelmim' }, 'MA-09', 'conserverie-guelmim')).toBe(false);
  });
});
