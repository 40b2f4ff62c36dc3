/*
 * The view's state as a URL query, the token's claims as the page shows them, and API errors in
 * words (window.TashghilState in the page, a CommonJS module in the tests). No DOM, no fetch.
 */
(function (root, factory) {
  if (typeof module === 'object' && module.exports)
    module.exports = factory(require('./format.js'), require('./i18n.js'), require('./labels.js'));
  else root.TashghilState = factory(root.TashghilFormat, root.TashghilI18n, root.TashghilLabels);
})(typeof globalThis !== 'undefined' ? globalThis : this, function (format, i18n, labels) {
  'use strict';

  const REGION = /^MA-(0[1-9]|1[0-2])$/;

  /** `?region=MA-10&asOf=2022-06-30&lang=ar` → the view; anything unknown falls back to national, live, French. */
  const parseState = (search) => {
    const q = new URLSearchParams(search);
    const region = q.get('region') || '';
    const asOf = q.get('asOf') || '';
    return {
      region: REGION.test(region) ? region : null,
      asOf: format.isIsoDate(asOf) ? asOf : null,
      lang: i18n.normaliseLang(q.get('lang') || 'fr'),
    };
  };

  const query = (pairs) => {
    const q = new URLSearchParams();
    for (const [k, val] of pairs) if (val) q.set(k, val);
    const s = q.toString();
    return s ? `?${s}` : '';
  };

  /** The page's own URL query: French is the default and is left out. */
  const stateQuery = (state) =>
    query([
      ['region', state.region],
      ['asOf', state.asOf],
      ['lang', state.lang === 'fr' ? null : state.lang],
    ]);

  /** The API's query for the same view (report, CSV and PDF alike). */
  const reportQuery = (state) =>
    query([
      ['region', state.region],
      ['asOf', state.asOf],
    ]);

  const looksLikeToken = (text) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(String(text).trim());

  /** The claims a token carries, read without checking the signature: only for showing who is signed in. */
  const tokenClaims = (token) => {
    if (!looksLikeToken(token)) return null;
    try {
      const b64 = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      const bytes = Uint8Array.from(atob(b64.padEnd(b64.length + ((4 - (b64.length % 4)) % 4), '=')), (c) =>
        c.charCodeAt(0),
      );
      const claims = JSON.parse(new TextDecoder().decode(bytes));
      return typeof claims === 'object' && claims !== null ? claims : null;
    } catch {
      return null;
    }
  };

  /** "auditeur" or "membre du comité, Souss-Massa". */
  const describeIdentity = (claims, lang, regions) => {
    if (!claims) return '';
    const roles = (Array.isArray(claims.roles) ? claims.roles : [])
      .map((r) => labels.label('role', r, lang).text)
      .join(lang === 'ar' ? '، ' : ', ');
    const region = claims.region ? labels.region(claims.region, lang, regions).text : '';
    return region ? `${roles}${lang === 'ar' ? '، ' : ', '}${region}` : roles;
  };

  const scopeName = (region, lang, regions) =>
    region ? labels.region(region, lang, regions).text : i18n.t('nationalScope', lang);

  /**
   * An API answer that is not a report, in the reader's language: `problem` is the problem+json body
   * (or null), `asked` the region asked for, `claims` the token's. `detail` keeps the server's own
   * words and code for whoever has to look into it.
   */
  const describeProblem = (status, problem, asked, claims, lang, regions) => {
    const code = problem && typeof problem.code === 'string' ? problem.code : '';
    const technical = [
      status ? `HTTP ${status}` : '',
      code,
      problem && problem.detail ? String(problem.detail) : '',
      problem && problem.correlationId ? `correlation ${problem.correlationId}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    let message;
    if (status === 0) message = i18n.t('errNetwork', lang);
    else if (status === 401) message = i18n.t(code === 'MISSING_TOKEN' ? 'errNoToken' : 'errUnauthenticated', lang);
    else if (status === 403 && code === 'REGION_OUT_OF_SCOPE') {
      // A token bound to no region gets its own sentence: "covers no region" does not slot into the other one in either language.
      const asking = scopeName(asked, lang, regions);
      message =
        claims && claims.region
          ? i18n.t('errRegionOutOfScope', lang, {
              tokenRegion: labels.region(claims.region, lang, regions).text,
              asked: asking,
            })
          : i18n.t('errRegionNotBound', lang, { asked: asking });
    } else if (status === 403) message = i18n.t('errForbidden', lang);
    else if (status === 400) {
      const fields =
        problem && Array.isArray(problem.errors)
          ? problem.errors.map((e) => `${e.path} (${e.message})`).join(', ')
          : code;
      message = i18n.t('errInvalid', lang, { fields });
    } else if (status === 404) message = i18n.t('errNotFound', lang);
    else if (status === 503 || status === 502 || status === 504) message = i18n.t('errUnavailable', lang);
    else message = i18n.t('errUnexpected', lang, { status });
    return { message, technical, signIn: status === 401 || status === 403 };
  };

  /** The file name a download is saved under when the server names none. */
  const exportName = (state, extension) =>
    `rapport-comite-${state.region || 'national'}${state.asOf ? `-${state.asOf}` : ''}.${extension}`;

  /** `attachment; filename="x.csv"` → `x.csv`. */
  const fileNameOf = (disposition) => {
    const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition || '');
    return m ? decodeURIComponent(m[1]) : null;
  };

  return {
    parseState,
    stateQuery,
    reportQuery,
    looksLikeToken,
    tokenClaims,
    describeIdentity,
    describeProblem,
    exportName,
    fileNameOf,
  };
});
