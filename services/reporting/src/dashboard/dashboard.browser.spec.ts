import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { freePort, repoRoot, spawnService, stopProcess, tokenFor, waitReady } from '@tashghil/testing';
import type { CommitteeReport } from '../report/report.types';
import { asDataValue, expectedFigures, figureValue } from './report-figures';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(repoRoot, 'artifacts/screenshots');
const NNBSP = '\u202f';
const auditor = tokenFor({ sub: 'browser-test-auditor', roles: ['auditor'] });

type Lang = 'fr' | 'ar';

/** The embedded platform on a fresh data directory, with the demo data, as `npm start` runs it. */
const startPlatform = async (
  env: Record<string, string>,
): Promise<{ process: ChildProcess; base: string; dataDir: string }> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tashghil-dashboard-'));
  const port = await freePort();
  const child = spawnService('platform', port, '', {
    TASHGHIL_MODE: 'embedded',
    TASHGHIL_DATA_DIR: dataDir,
    KAFKA_BROKERS: '',
    LOG_LEVEL: 'warn',
    ...env,
  });
  return { process: child, base: `http://127.0.0.1:${port}`, dataDir };
};

const api = async (base: string, path: string, token = auditor): Promise<Response> =>
  fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });

const report = async (base: string, query: string): Promise<CommitteeReport> => {
  const res = await api(base, `/reports/committee${query}`);
  if (res.status !== 200) throw new Error(`GET /reports/committee${query} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as CommitteeReport;
};

/** The read model is fed through the in-process bus after start-up: wait until two reads agree. */
const settled = async (base: string): Promise<void> => {
  const deadline = Date.now() + 90_000;
  let last = -1;
  for (;;) {
    const { basis } = await report(base, '');
    if (basis.events > 0 && basis.events === last) return;
    if (Date.now() > deadline) throw new Error(`the read model did not settle (last ${basis.events} events)`);
    last = basis.events;
    await new Promise((r) => setTimeout(r, 1_500));
  }
};

/** The page's status-change count (body[data-generation]), read before an action. */
const generation = async (page: Page): Promise<number> => Number(await page.getAttribute('body', 'data-generation'));

/**
 * Waits for `query`/`lang` drawn, ready or refused, by a status change after the `after`-th: the view
 * and status the page showed before the action may be the very ones expected after it.
 */
const waitForView = async (page: Page, query: string, lang: Lang, after: number): Promise<void> => {
  // A function, not a string: the page's Content-Security-Policy forbids evaluating strings.
  await page.waitForFunction(
    ({ view, seen }) => {
      const { dataset } = (
        globalThis as unknown as { document: { body: { dataset: Record<string, string | undefined> } } }
      ).document.body;
      return (
        dataset.view === view &&
        (dataset.status === 'ready' || dataset.status === 'error') &&
        Number(dataset.generation) > seen
      );
    },
    { view: `${query}|${lang}`, seen: after },
    { timeout: 120_000 },
  );
};

/** Does `action` on the page and waits for the view it leads to. */
const actThenWait = async (page: Page, action: () => Promise<unknown>, query: string, lang: Lang): Promise<void> => {
  const before = await generation(page);
  await action();
  await waitForView(page, query, lang, before);
};

const pageFigures = (page: Page): Promise<{ figure: string; value: string }[]> =>
  page.$$eval('[data-figure]', (els) =>
    els.map((e) => ({ figure: e.getAttribute('data-figure') ?? '', value: e.getAttribute('data-value') ?? '' })),
  );

/** Every figure on the page equals the API's at the place it names, and every figure of the API is on the page. */
const expectPageToShow = async (page: Page, expected: CommitteeReport): Promise<number> => {
  const figures = await pageFigures(page);
  const wrong = figures
    .map(({ figure, value }) => ({ figure, page: value, api: asDataValue(figureValue(expected, figure)) }))
    .filter((f) => f.page !== f.api);
  expect(wrong).toEqual([]);
  const shown = new Set(figures.map((f) => f.figure));
  expect(expectedFigures(expected).filter((f) => !shown.has(f))).toEqual([]);
  return figures.length;
};

const screenshot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe('the committee dashboard in Chromium, against the embedded platform', () => {
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    platform = await startPlatform({});
    [browser] = await Promise.all([
      chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] }),
      waitReady(platform.base, 300_000),
    ]);
    await settled(platform.base);
    context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
      locale: 'fr-FR',
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    if (platform) {
      await stopProcess(platform.process);
      rmSync(platform.dataDir, { recursive: true, force: true });
    }
  });

  const view = async (query: string, lang: Lang): Promise<CommitteeReport> => {
    await page.goto(`${platform.base}/dashboard${query}${lang === 'ar' ? `${query ? '&' : '?'}lang=ar` : ''}`);
    await waitForView(page, query, lang, 0);
    return report(platform.base, query);
  };

  it('signs a newcomer in by itself and shows Guelmim-Oued Noun exactly as the API reports it, in French', async () => {
    const expected = await view('?region=MA-10', 'fr');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    expect(await page.textContent('[data-testid="who"]')).toContain('auditeur');
    expect(await expectPageToShow(page, expected)).toBeGreaterThan(50);
    const target = (component: string): Promise<string | null> =>
      page.textContent(`[data-figure="targets.MA-10.programme.awrach/2022.${component}.targetJobs"].fig`);
    expect(await target('temporary_works')).toBe(`3${NNBSP}800`);
    expect(await target('lasting_integration')).toBe(`1${NNBSP}000`);
    // The demo's figures and decisions are made up: the page says so, and marks each decision.
    expect(await page.isVisible('[data-testid="demo-notice"]')).toBe(true);
    expect(await page.textContent('[data-testid="demo-notice"]')).toContain('illustratifs');
    expect(expected.decisions.recorded.length).toBeGreaterThan(0);
    expect(
      await page.$$eval('#section-decisions [data-testid="illustrative"]', (els) => els.map((e) => e.textContent)),
    ).toEqual(expected.decisions.recorded.map(() => 'illustratif'));
    await screenshot(page, 'dashboard-MA-10-fr');
  });

  it('switches to Arabic, right to left, with the same figures', async () => {
    await actThenWait(page, () => page.click('[data-testid="lang-toggle"]'), '?region=MA-10', 'ar');
    expect(page.url()).toContain('lang=ar');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    const text = await page.textContent('body');
    for (const words of ['الأهداف والإنجازات', 'كلميم واد نون', 'مناصب الشغل المؤقتة (الأوراش)', 'الإدماج المستدام'])
      expect(text).toContain(words);
    await expectPageToShow(page, await report(platform.base, '?region=MA-10'));
    expect(
      await page.textContent('[data-figure="targets.MA-10.programme.awrach/2022.temporary_works.targetJobs"].fig'),
    ).toBe('3.800');
    expect(await page.textContent('[data-testid="demo-notice"]')).toContain('توضيحية');
    expect(
      new Set(
        await page.$$eval('#section-decisions [data-testid="illustrative"]', (els) => els.map((e) => e.textContent)),
      ),
    ).toEqual(new Set(['توضيحي']));
    await screenshot(page, 'dashboard-MA-10-ar');
  });

  it.each([['fr'], ['ar']] as [Lang][])('shows Souss-Massa with its convention budget lines (%s)', async (lang) => {
    const expected = await view('?region=MA-09', lang);
    const lines = expected.budget.filter((b) => b.source === 'convention' && b.ref === 'souss-massa-2020-2022');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    await expectPageToShow(page, expected);
    if (lang === 'ar') expect(await page.textContent('[data-testid="section-budget"]')).toContain('عقود التكوين');
    await screenshot(page, `dashboard-MA-09-${lang}`);
  });

  it.each([['fr'], ['ar']] as [Lang][])('shows the national report (%s)', async (lang) => {
    const expected = await view('', lang);
    expect(expected.scope.region).toBeNull();
    await expectPageToShow(page, expected);
    await screenshot(page, `dashboard-national-${lang}`);
  });

  it('redraws with the figures as they stood on a chosen day', async () => {
    const live = await view('?region=MA-10', 'fr');
    await actThenWait(
      page,
      () => page.fill('[data-testid="as-of"]', '2022-06-30'),
      '?region=MA-10&asOf=2022-06-30',
      'fr',
    );
    expect(page.url()).toContain('asOf=2022-06-30');
    const asOf = await report(platform.base, '?region=MA-10&asOf=2022-06-30');
    expect(asOf.asOf).toBe('2022-06-30');
    await expectPageToShow(page, asOf);
    const before = new Map((await pageFigures(page)).map((f) => [f.figure, f.value]));
    const changed = expectedFigures(live).filter(
      (f) => f !== 'asOf' && f !== 'basis.kind' && before.has(f) && before.get(f) !== asDataValue(figureValue(live, f)),
    );
    expect(changed.length).toBeGreaterThan(0);
    await screenshot(page, 'dashboard-MA-10-as-of-2022-06-30-fr');
    await actThenWait(page, () => page.click('[data-testid="live"]'), '?region=MA-10', 'fr');
  });

  it.each([
    ['csv', /^text\/csv/],
    ['pdf', /^application\/pdf/],
  ] as [string, RegExp][])('downloads the %s of the current view', async (format, type) => {
    await view('?region=MA-10&asOf=2022-06-30', 'fr');
    const [download, response] = await Promise.all([
      page.waitForEvent('download'),
      page.waitForResponse((r) => new URL(r.url()).pathname === `/reports/committee.${format}`),
      page.click(`[data-testid="export-${format}"]`),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toMatch(type);
    expect(new URL(response.url()).search).toBe('?region=MA-10&asOf=2022-06-30');
    expect(download.suggestedFilename()).toMatch(new RegExp(`\\.${format}$`));
  });

  it('says in words why a committee member of another region cannot read the report, and why a bad token is refused', async () => {
    await view('?region=MA-10', 'fr');
    await page.click('[data-testid="sign-out"]');
    await page.fill('[data-testid="token-input"]', tokenFor({ sub: 'c-ma09', roles: ['committee'], region: 'MA-09' }));
    await actThenWait(page, () => page.click('[data-testid="use-token"]'), '?region=MA-10', 'fr');
    expect(await page.textContent('[data-testid="error-message"]')).toBe(
      'Votre jeton couvre Souss-Massa ; il ne permet pas de lire le rapport Guelmim-Oued Noun.',
    );
    expect(await page.$$('[data-figure]')).toHaveLength(0);
    await actThenWait(page, () => page.click('[data-testid="lang-toggle"]'), '?region=MA-10', 'ar');
    expect(await page.textContent('[data-testid="error-message"]')).toBe(
      'رمزك يغطي سوس ماسة، ولا يسمح بقراءة تقرير كلميم واد نون.',
    );
    await screenshot(page, 'dashboard-MA-10-forbidden-ar');
    await actThenWait(page, () => page.click('[data-testid="lang-toggle"]'), '?region=MA-10', 'fr');
    await page.fill('[data-testid="token-input"]', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
    await actThenWait(page, () => page.click('[data-testid="use-token"]'), '?region=MA-10', 'fr');
    expect(await page.textContent('[data-testid="error-message"]')).toContain('expiré');
    await actThenWait(page, () => page.click('[data-testid="dev-auditor"]'), '?region=MA-10', 'fr');
    expect(await page.getAttribute('body', 'data-status')).toBe('ready');
  });

  it('ran without a script error or a refused resource other than the refusals asked for', () => {
    expect(consoleErrors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
  });
});

describe('the development session in production', () => {
  let service: ChildProcess;
  let base = '';
  let dataDir = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tashghil-dashboard-prod-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawnService('reporting', port, '', {
      TASHGHIL_MODE: 'embedded',
      TASHGHIL_DATA_DIR: dataDir,
      TASHGHIL_DEMO: 'false',
      KAFKA_BROKERS: '',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      TASHGHIL_JWT_SECRET: 'a-production-signing-secret-for-this-test',
      TASHGHIL_MASTER_KEY: 'a-production-master-key-for-this-test',
    });
    await waitReady(base, 120_000);
  }, 180_000);

  afterAll(async () => {
    if (service) await stopProcess(service);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('does not exist, and the page does not offer it', async () => {
    const res = await fetch(`${base}/dashboard/dev-session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"role":"auditor"}',
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    const page = await (await fetch(`${base}/dashboard`)).text();
    expect(page).toContain('data-dev-session="false"');
    expect(page).toContain('data-demo="false"');
  });
});
