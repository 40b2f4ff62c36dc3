import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { regionCode, REGIONS } from '@tashghil/contracts';
import { NotFoundError } from '@tashghil/event-store';
import {
  mintToken,
  parseInput,
  Public,
  RUNTIME,
  type Identity,
  type Runtime,
  type TokenSettings,
} from '@tashghil/service-kit';
import type { Request, Response } from 'express';
import { z } from 'zod';

const TYPES = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
} as const;

/** The page's scripts, in the order index.html loads them; nothing else in assets/ is served. */
const SCRIPTS = [
  'format.js',
  'i18n.js',
  'labels.js',
  'charts.js',
  'view.js',
  'report-sections.js',
  'report-activity.js',
  'render.js',
  'state.js',
  'app.js',
];

// Scripts and styles come from this origin only: the page runs no inline code and loads nothing
// from elsewhere, so a label or a decision's subject can never become markup that runs.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const DEV_SESSION_SECONDS = 2 * 3600;

const devSessionBody = z.discriminatedUnion('role', [
  z.object({ role: z.literal('auditor') }),
  z.object({ role: z.literal('committee'), region: regionCode }),
]);

interface Asset {
  readonly type: string;
  readonly body: string;
}

/**
 * Read once when the module starts, relative to this file, so the page is the same whether the
 * service runs from the repository root or elsewhere. The region names come from libs/contracts,
 * the one table of them, and ride in the page as JSON.
 */
const loadAssets = (devSession: boolean, demo: boolean): ReadonlyMap<string, Asset> => {
  const dir = join(__dirname, 'assets');
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  // `<` escaped so no region name could close the script element that carries the JSON.
  const regions = JSON.stringify(REGIONS).replace(/</g, '\\u003c');
  const page = read('index.html')
    .replace('{{REGIONS}}', () => regions)
    .replace('{{DEV_SESSION}}', String(devSession))
    .replace('{{DEMO}}', String(demo));
  return new Map<string, Asset>([
    ['', { type: TYPES.html, body: page }],
    ['app.css', { type: TYPES.css, body: read('app.css') }],
    ...SCRIPTS.map((name): [string, Asset] => [name, { type: TYPES.js, body: read(name) }]),
  ]);
};

/** The committee dashboard: one page and its files, public, reading the report API with the reader's token. */
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  private readonly assets: ReadonlyMap<string, Asset>;
  private readonly settings: TokenSettings;
  /** Only a development process that signs with the published development secret hands out tokens. */
  private readonly devSessions: boolean;

  constructor(@Inject(RUNTIME) runtime: Runtime) {
    const { config } = runtime;
    this.settings = { secret: config.jwtSecret, issuer: config.jwtIssuer, audience: config.jwtAudience };
    this.devSessions = !config.production && config.jwtDevSecret;
    this.assets = loadAssets(this.devSessions, config.seedDemo);
  }

  @Get()
  page(@Res() res: Response): void {
    this.send(res, '');
  }

  @Get(':file')
  file(@Param('file') file: string, @Req() req: Request, @Res() res: Response): void {
    if (file === '' || !this.assets.has(file))
      throw new NotFoundError('ROUTE_NOT_FOUND', `Cannot GET ${req.originalUrl}`);
    this.send(res, file);
  }

  /**
   * A read-only demo token, so `npm start` and a browser are all a newcomer needs. It signs with the
   * development secret, which anyone can read in the sources; in production, or with a real
   * secret, the route does not exist.
   */
  @Post('dev-session')
  @HttpCode(200)
  devSession(@Body() raw: unknown, @Req() req: Request) {
    if (!this.devSessions) throw new NotFoundError('ROUTE_NOT_FOUND', `Cannot POST ${req.originalUrl}`);
    const body = parseInput(devSessionBody, raw);
    const identity: Identity =
      body.role === 'auditor'
        ? { sub: 'dashboard-demo-auditor', roles: ['auditor'] }
        : { sub: `dashboard-demo-committee-${body.region}`, roles: ['committee'], region: body.region };
    return {
      token: mintToken(this.settings, identity, DEV_SESSION_SECONDS),
      role: body.role,
      ...(identity.region ? { region: identity.region } : {}),
      expiresInSeconds: DEV_SESSION_SECONDS,
    };
  }

  private send(res: Response, name: string): void {
    const asset = this.assets.get(name);
    if (!asset) throw new NotFoundError('ROUTE_NOT_FOUND', `no dashboard file ${name}`);
    res
      .status(200)
      .setHeader('content-type', asset.type)
      .setHeader('cache-control', 'no-cache')
      .setHeader('x-content-type-options', 'nosniff')
      .setHeader('content-security-policy', CSP)
      .send(asset.body);
  }
}
