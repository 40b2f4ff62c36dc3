/*
 * The dashboard page: the view's state in the URL, the token in sessionStorage, the report fetched
 * and drawn by render.js. Everything that can be a pure function lives in the other scripts.
 */
(function () {
  'use strict';

  const { TashghilFormat: format, TashghilI18n: i18n, TashghilState: st, TashghilRender: render } = window;
  const TOKEN = 'tashghil.dashboard.token';
  // 'dev' when /dashboard/dev-session minted the token, so an expired one is simply minted again.
  const SOURCE = 'tashghil.dashboard.tokenSource';
  // Set when the reader asks to change token: the page then stops signing in on its own.
  const MANUAL = 'tashghil.dashboard.manual';

  const $ = (id) => document.getElementById(id);
  const regions = JSON.parse($('regions').textContent);
  const devSessionOffered = document.body.dataset.devSession === 'true';
  // The store `npm start` seeds: its figures and decisions are made up, and the page must say so.
  const demoStore = document.body.dataset.demo === 'true';

  let state = st.parseState(location.search);
  let report = null;
  let failure = null;
  let loads = 0;

  const t = (key, params) => i18n.t(key, state.lang, params);
  const token = () => sessionStorage.getItem(TOKEN);
  const claims = () => st.tokenClaims(token() || '');

  // Counts the page's status changes: one who acts on the page waits for a count above the one seen
  // before acting, since the view and status alone may already match from an earlier draw.
  let generation = 0;

  const setStatus = (status, text) => {
    generation += 1;
    document.body.dataset.generation = String(generation);
    document.body.dataset.status = status;
    document.body.dataset.view = `${st.reportQuery(state)}|${state.lang}`;
    $('status').textContent = text || '';
    $('report').setAttribute('aria-busy', status === 'loading' ? 'true' : 'false');
  };

  const applyLanguage = () => {
    const root = document.documentElement;
    root.lang = state.lang;
    root.dir = state.lang === 'ar' ? 'rtl' : 'ltr';
    document.title = `Tashghil — ${t('title')}`;
    for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    const toggle = $('lang-toggle');
    toggle.textContent = t('otherLanguage');
    toggle.lang = state.lang === 'ar' ? 'fr' : 'ar';
    toggle.title = t('otherLanguageHint');
    const select = $('region');
    select.replaceChildren(
      new Option(t('national'), ''),
      ...Object.keys(regions).map((code) => new Option(`${regions[code][state.lang]} (${code})`, code)),
    );
    select.value = state.region || '';
    $('as-of').value = state.asOf || '';
    $('dev-committee').disabled = !state.region;
    $('demo-notice').hidden = !demoStore;
    showSession();
  };

  const showSession = () => {
    const c = claims();
    const demo = sessionStorage.getItem(SOURCE) === 'dev' ? ` — ${t('devSession')}` : '';
    $('who').textContent = c ? t('signedInAs', { who: st.describeIdentity(c, state.lang, regions) }) + demo : '';
    $('sign-out').hidden = !c;
    $('dev-options').hidden = !devSessionOffered;
  };

  const navigate = (next, reload) => {
    state = { ...state, ...next };
    history.pushState(null, '', location.pathname + st.stateQuery(state));
    applyLanguage();
    if (reload) void load();
    // A load in flight draws when it lands; drawing now would show the last view as ready.
    else if (document.body.dataset.status !== 'loading') draw();
    else $('status').textContent = t('loading');
  };

  const draw = () => {
    const error = $('error');
    if (failure) {
      const d = st.describeProblem(failure.status, failure.body, state.region, claims(), state.lang, regions);
      error.replaceChildren();
      const title = document.createElement('strong');
      title.textContent = t('errorTitle');
      const message = document.createElement('p');
      message.textContent = d.message;
      message.dataset.testid = 'error-message';
      error.append(title, message);
      if (d.technical) {
        const small = document.createElement('small');
        small.textContent = `${t('technical')}${state.lang === 'fr' ? ' :' : ':'} ${d.technical}`;
        small.dir = 'ltr';
        error.append(small);
      }
      error.hidden = false;
      $('report').replaceChildren();
      if (d.signIn) $('sign-in').hidden = false;
      setStatus('error');
      return;
    }
    error.hidden = true;
    if (report) {
      $('report').innerHTML = render.renderReport(report, state.lang, regions);
      if (demoStore) markIllustrative();
      setStatus('ready');
    }
  };

  /** Every committee decision the demo store shows was invented for it: each row says so, in the page's language. */
  const markIllustrative = () => {
    for (const cell of document.querySelectorAll('#section-decisions table.decisions tbody tr > :nth-last-child(2)')) {
      const mark = document.createElement('span');
      mark.className = 'illustrative';
      mark.dataset.testid = 'illustrative';
      mark.textContent = t('illustrative');
      cell.append(mark);
    }
  };

  const devSession = async (body) => {
    if (!devSessionOffered) return null;
    const res = await fetch('/dashboard/dev-session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) return null;
    const { token: minted } = await res.json();
    sessionStorage.setItem(TOKEN, minted);
    sessionStorage.setItem(SOURCE, 'dev');
    return minted;
  };

  const ensureToken = async () => token() || (sessionStorage.getItem(MANUAL) ? null : devSession({ role: 'auditor' }));

  /** Reads the report for the current view; a later load wins over an earlier one still in flight. */
  const load = async (retried) => {
    const mine = ++loads;
    setStatus('loading', t('loading'));
    try {
      const bearer = await ensureToken();
      if (!bearer) {
        failure = { status: 401, body: { code: 'MISSING_TOKEN' } };
      } else {
        const res = await fetch(`/reports/committee${st.reportQuery(state)}`, {
          headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' },
        });
        if (mine !== loads) return;
        if (res.status === 401 && !retried && sessionStorage.getItem(SOURCE) === 'dev') {
          sessionStorage.removeItem(TOKEN);
          return load(true);
        }
        if (res.ok) {
          report = await res.json();
          failure = null;
          // A committee member who asks for no region is answered with their own: the selector follows.
          if (state.region === null && report.scope.region) {
            state = { ...state, region: report.scope.region };
            history.replaceState(null, '', location.pathname + st.stateQuery(state));
            applyLanguage();
          }
        } else {
          failure = { status: res.status, body: await res.json().catch(() => null) };
        }
      }
    } catch {
      failure = { status: 0, body: null };
    }
    if (mine !== loads) return;
    showSession();
    draw();
  };

  /** CSV and PDF of the current view, fetched with the token and saved under the server's file name. */
  const download = async (extension) => {
    const bearer = await ensureToken();
    let res;
    try {
      res = await fetch(`/reports/committee.${extension}${st.reportQuery(state)}`, {
        headers: bearer ? { authorization: `Bearer ${bearer}` } : {},
      });
    } catch {
      res = null;
    }
    if (!res || !res.ok) {
      const body = res ? await res.json().catch(() => null) : null;
      const d = st.describeProblem(res ? res.status : 0, body, state.region, claims(), state.lang, regions);
      $('status').textContent = t('errExport', { message: d.message });
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = st.fileNameOf(res.headers.get('content-disposition')) || st.exportName(state, extension);
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  $('lang-toggle').addEventListener('click', () => navigate({ lang: state.lang === 'ar' ? 'fr' : 'ar' }, false));
  $('region').addEventListener('change', (e) => navigate({ region: e.target.value || null }, true));
  $('as-of').addEventListener('change', (e) => {
    const value = e.target.value;
    if (value && !format.isIsoDate(value)) {
      $('status').textContent = t('errBadDate', { value });
      return;
    }
    navigate({ asOf: value || null }, true);
  });
  $('live').addEventListener('click', () => navigate({ asOf: null }, true));
  $('export-csv').addEventListener('click', () => void download('csv'));
  $('export-pdf').addEventListener('click', () => void download('pdf'));
  $('controls').addEventListener('submit', (e) => e.preventDefault());
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(SOURCE);
    sessionStorage.setItem(MANUAL, '1');
    $('sign-in').hidden = false;
    $('token').focus();
    showSession();
  });
  $('sign-in').addEventListener('submit', (e) => {
    e.preventDefault();
    const pasted = $('token')
      .value.trim()
      .replace(/^Bearer\s+/i, '');
    const error = $('token-error');
    if (!st.looksLikeToken(pasted)) {
      error.textContent = t('errBadToken');
      error.hidden = false;
      return;
    }
    error.hidden = true;
    sessionStorage.setItem(TOKEN, pasted);
    sessionStorage.setItem(SOURCE, 'pasted');
    $('token').value = '';
    $('sign-in').hidden = true;
    void load();
  });
  const signInAs = async (body) => {
    sessionStorage.removeItem(TOKEN);
    if (await devSession(body)) {
      $('sign-in').hidden = true;
      void load();
    }
  };
  $('dev-auditor').addEventListener('click', () => void signInAs({ role: 'auditor' }));
  $('dev-committee').addEventListener('click', () => void signInAs({ role: 'committee', region: state.region }));
  window.addEventListener('popstate', () => {
    state = st.parseState(location.search);
    applyLanguage();
    void load();
  });

  applyLanguage();
  void load();
})();
