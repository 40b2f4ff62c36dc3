import { REGIONS } from '@tashghil/contracts';
import { DEV_JWT_SECRET, mintToken } from '@tashghil/service-kit';
import {
  describeIdentity,
  describeProblem,
  exportName,
  fileNameOf,
  looksLikeToken,
  parseState,
  reportQuery,
  stateQuery,
  tokenClaims,
} from './assets/state.js';

const settings = { secret: DEV_JWT_SECRET, issuer: 'tashghil', audience: 'tashghil' };

describe('the view in the URL', () => {
  it('reads region, date and language back from the link it wrote', () => {
    const state = parseState('?region=MA-10&asOf=2022-06-30&lang=ar');
    expect(state).toEqual({ region: 'MA-10', asOf: '2022-06-30', lang: 'ar' });
    expect(stateQuery(state)).toBe('?region=MA-10&asOf=2022-06-30&lang=ar');
    expect(reportQuery(state)).toBe('?region=MA-10&asOf=2022-06-30');
  });

  it('falls back to the national, live, French view on anything it does not know', () => {
    expect(parseState('?region=MA-16&asOf=2022-02-30&lang=en')).toEqual({ region: null, asOf: null, lang: 'fr' });
    expect(stateQuery({ region: null, asOf: null, lang: 'fr' })).toBe('');
  });

  it('names an export after its view when the server names none', () => {
    expect(exportName({ region: 'MA-09', asOf: null, lang: 'fr' }, 'csv')).toBe('rapport-comite-MA-09.csv');
    expect(exportName({ region: null, asOf: '2022-06-30', lang: 'ar' }, 'pdf')).toBe(
      'rapport-comite-national-2022-06-30.pdf',
    );
    expect(fileNameOf('attachment; filename="committee-MA-10.csv"')).toBe('committee-MA-10.csv');
    expect(fileNameOf(null)).toBeNull();
  });
});

describe('the signed-in reader', () => {
  it('shows who a token names, without trusting it for anything else', () => {
    const token = mintToken(settings, { sub: 'c1', roles: ['committee'], region: 'MA-09' });
    expect(looksLikeToken(token)).toBe(true);
    expect(tokenClaims(token)).toMatchObject({ sub: 'c1', roles: ['committee'], region: 'MA-09' });
    expect(describeIdentity(tokenClaims(token), 'ar', REGIONS)).toBe('عضو اللجنة، سوس ماسة');
    expect(looksLikeToken('not a token')).toBe(false);
    expect(tokenClaims('a.b.c')).toBeNull();
  });
});

describe('errors in the reader’s language', () => {
  const claims = { roles: ['committee'], region: 'MA-09' };

  it('names both regions when a committee member asks for another region', () => {
    const problem = {
      code: 'REGION_OUT_OF_SCOPE',
      detail: 'your token covers region MA-09, not MA-10',
      correlationId: 'c-1',
    };
    const fr = describeProblem(403, problem, 'MA-10', claims, 'fr', REGIONS);
    expect(fr.message).toBe('Votre jeton couvre Souss-Massa ; il ne permet pas de lire le rapport Guelmim-Oued Noun.');
    expect(fr.technical).toBe(
      'HTTP 403 · REGION_OUT_OF_SCOPE · your token covers region MA-09, not MA-10 · correlation c-1',
    );
    expect(describeProblem(403, problem, null, claims, 'ar', REGIONS).message).toBe(
      'رمزك يغطي سوس ماسة، ولا يسمح بقراءة تقرير مجموع التراب الوطني.',
    );
  });

  it('says plainly that a token bound to no region reaches no regional report, in either language', () => {
    const problem = {
      code: 'REGION_OUT_OF_SCOPE',
      detail: 'your token is bound to no region, so it does not reach region MA-10',
    };
    const unbound = { roles: ['committee'] };
    expect(describeProblem(403, problem, 'MA-10', unbound, 'fr', REGIONS).message).toBe(
      "Votre jeton n'est rattaché à aucune région ; il ne permet pas de lire le rapport de Guelmim-Oued Noun.",
    );
    expect(describeProblem(403, problem, 'MA-10', unbound, 'ar', REGIONS).message).toBe(
      'رمزك غير مرتبط بأي جهة، فلا يسمح بقراءة تقرير كلميم واد نون.',
    );
    expect(describeProblem(403, problem, null, unbound, 'fr', REGIONS).message).toContain(
      "le rapport de l'ensemble du territoire",
    );
  });

  it('asks for a token on 401 and lists the bad fields on 400', () => {
    expect(describeProblem(401, { code: 'INVALID_TOKEN' }, null, null, 'fr', REGIONS)).toMatchObject({
      signIn: true,
      message: expect.stringContaining('expiré'),
    });
    const invalid = describeProblem(
      400,
      { code: 'INVALID_INPUT', errors: [{ path: 'asOf', message: 'must be a date' }] },
      null,
      null,
      'fr',
      REGIONS,
    );
    expect(invalid).toMatchObject({ signIn: false, message: 'La demande a été refusée : asOf (must be a date)' });
    expect(describeProblem(0, null, null, null, 'ar', REGIONS).message).toBe('الخادم لا يستجيب.');
    expect(describeProblem(500, null, null, null, 'fr', REGIONS).message).toBe('Erreur inattendue (HTTP 500).');
  });
});
