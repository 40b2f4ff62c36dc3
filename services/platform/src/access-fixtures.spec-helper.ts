import { REGION_CODES } from '@tashghil/contracts';
import { loadAggregate, loadCategory, type EventStore } from '@tashghil/event-store';
import { offerDecider, placementDecider, SYNC_ROWS, seekerDecider } from '@tashghil/matching';
import { DEV_JWT_SECRET, mintToken, type Identity, type Role } from '@tashghil/service-kit';
import { grantDecider, grantStreamId, PARAMETER_NAMES } from '@tashghil/subsidies';

/** The demo files the access matrix aims its requests at, found in the seeded store rather than guessed. */
export interface Fixtures {
  /** The region most of the demo lives in: Awrach in Guelmim-Oued Noun. */
  readonly home: string;
  readonly seekerId: string;
  /** A second registered seeker of the home region whose occupation the offer below asks for, where one exists. */
  readonly candidateId: string;
  /** A seeker of the home region already hired: a proposal for them is refused by the seeker's state. */
  readonly placedSeekerId: string;
  readonly offerId: string;
  readonly offerEmployer: string;
  readonly placement: { readonly id: string; readonly origin: string; readonly destination: string };
  readonly grantId: string;
  /** The employer that owns the grant file: its token's `org`. */
  readonly grantOwner: string;
  readonly parameter: string;
  /** The import of IMPORTED_ROWS seekers of the home region run before the suite: one with a resource. */
  readonly importId: string;
  /** A read model rebuild job run before the suite. */
  readonly rebuildId: string;
}

/** The jobs the suite runs before it starts, for the operations that follow one. */
export type Jobs = Pick<Fixtures, 'importId' | 'rebuildId'>;

export const OTHER_EMPLOYER = 'acm-employeur-etranger';
const HOME = 'MA-10';
/** The ids of the imported seekers start so. */
const IMPORTED = 'acm-lot-';
/** One more than the rows an import writes before it answers, so the import answers 202 with a resource. */
const IMPORTED_ROWS = SYNC_ROWS + 1;

const importCsv = (): string =>
  [
    'seekerId,registeredOn,region,province,gender,birthDate,education,diploma,occupations,skills,languages,disability,pandemicJobLoss,area,mobility,fullName,cin,phone,email',
    ...Array.from(
      { length: IMPORTED_ROWS },
      (_, i) =>
        `${IMPORTED}${i},2022-02-01,${HOME},Guelmim,female,1996-04-04,vocational,,8160,conditionnement,ar|fr,non,non,urban,own_region,Personne fictive ${i},ZZ${500_000 + i},,`,
    ),
  ].join('\n');

/** Polls `path` until its `state` (or `status`) is no longer `running`; the job's final body. */
const settledJob = async (base: string, path: string, bearer: string): Promise<Record<string, unknown>> => {
  for (let tries = 0; tries < 1_200; tries += 1) {
    const answer = await send(base, 'GET', { path }, bearer, `acm-setup-${tries}`);
    if (answer.status !== 200) throw new Error(`following ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    if ((answer.body.state ?? answer.body.status) !== 'running') return answer.body;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${path} was still running after five minutes`);
};

/**
 * Runs, to their end, a large import of seekers of the home region (its resource, GET /imports/{id})
 * and a read model rebuild (GET /reports/read-model/rebuilds/{id}), so those reads have real ids.
 */
export const runJobs = async (base: string): Promise<Jobs> => {
  const admin = tokenAs('admin');
  const started = await fetch(`${base}/imports/seekers`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv', 'idempotency-key': 'acm-setup-import' },
    body: importCsv(),
  });
  const imported = (await started.json()) as Record<string, unknown>;
  if (started.status !== 202)
    throw new Error(`the setup import answered ${started.status}: ${JSON.stringify(imported)}`);
  const importId = String(imported.importId);
  const done = await settledJob(base, `/imports/${importId}`, admin);
  if (done.status !== 'completed') throw new Error(`the setup import ended ${JSON.stringify(done)}`);
  // A build started with the service (its first generation) may hold the lease a little longer.
  for (let tries = 0; ; tries += 1) {
    const rebuild = await send(base, 'POST', { path: '/reports/read-model/rebuild' }, admin, `acm-setup-rb-${tries}`);
    if (rebuild.status === 202) {
      const rebuildId = String(rebuild.body.id);
      const job = await settledJob(base, `/reports/read-model/rebuilds/${rebuildId}`, admin);
      if (job.state !== 'done') throw new Error(`the setup rebuild ended ${JSON.stringify(job)}`);
      return { importId, rebuildId };
    }
    if (rebuild.status !== 409 || tries > 240)
      throw new Error(`the setup rebuild answered ${rebuild.status}: ${JSON.stringify(rebuild.body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

export const discoverFixtures = async (store: EventStore, jobs: Jobs): Promise<Fixtures> => {
  const home = HOME;
  // The imported seekers are the suite's own, not the demo's files the requests aim at.
  const all = (await loadCategory(store, seekerDecider, 'matching.seeker')).flatMap(({ state: s }) =>
    s.status !== 'none' && s.region === home && !s.seekerId.startsWith(IMPORTED) ? [s] : [],
  );
  const seekers = all.filter((s) => s.status === 'registered');
  const placed = all.find((s) => s.status === 'placed');
  const offers = (await loadCategory(store, offerDecider, 'matching.offer')).flatMap(({ state: o }) =>
    o.status === 'published' && o.region === home ? [o] : [],
  );
  const placements = (await loadCategory(store, placementDecider, 'matching.placement')).flatMap(({ state: p }) =>
    p.status === 'none' ? [] : [p],
  );
  const offer = offers.find((o) => seekers.some((s) => s.occupations.includes(o.occupation))) ?? offers[0];
  const candidate = offer && seekers.find((s) => s.occupations.includes(offer.occupation));
  const seeker = seekers.find((s) => s !== candidate);
  const placement = placements.find((p) => p.status === 'proposed') ?? placements[0];
  const grantId = 'demo-gon-2022-001';
  const grant = (await loadAggregate(store, grantDecider, grantStreamId(grantId))).state;
  if (!offer || !seeker || !placed || !placement || grant.status === 'none' || !PARAMETER_NAMES[0]) {
    throw new Error('the demo data lacks a file the access matrix needs: was it seeded?');
  }
  return {
    home,
    seekerId: seeker.seekerId,
    candidateId: (candidate ?? seeker).seekerId,
    placedSeekerId: placed.seekerId,
    offerId: offer.offerId,
    offerEmployer: offer.employer.id,
    placement: {
      id: placement.placementId,
      origin: placement.origin.region,
      destination: placement.destination.region,
    },
    grantId,
    grantOwner: grant.application.employer.id,
    parameter: PARAMETER_NAMES[0],
    ...jobs,
  };
};

/** A region none of `covered` is: where an officer of "another region" sits. */
export const regionOutside = (covered: readonly string[]): string => {
  const region = REGION_CODES.find((r) => !covered.includes(r));
  if (!region) throw new Error('every region is covered');
  return region;
};

/** Tokens as the platform's development settings sign them. */
export const token = (identity: Identity): string =>
  mintToken({ secret: DEV_JWT_SECRET, issuer: 'tashghil', audience: 'tashghil' }, identity, 600);

export const tokenAs = (role: Role, scope: { region?: string; org?: string } = {}): string =>
  token({ sub: `acm-${role}-${scope.region ?? scope.org ?? 'national'}`, roles: [role], ...scope });

/** Signed with a secret the platform does not know. */
export const forgedToken = (): string =>
  mintToken(
    { secret: 'not-the-platform-secret', issuer: 'tashghil', audience: 'tashghil' },
    { sub: 'forger', roles: ['admin'] },
    600,
  );

export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: Record<string, unknown>;
}

export interface Built {
  readonly path: string;
  readonly body?: unknown;
  /** A CSV body, sent as text/csv. */
  readonly csv?: string;
}

export const send = async (
  base: string,
  method: string,
  built: Built,
  bearer: string | undefined,
  correlationId: string,
): Promise<Answer> => {
  const headers: Record<string, string> = {
    'x-correlation-id': correlationId,
    ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
  };
  let body: string | undefined;
  if (built.csv !== undefined) {
    headers['content-type'] = 'text/csv';
    body = built.csv;
  } else if (built.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(built.body);
  }
  const res = await fetch(`${base}${built.path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const contentType = res.headers.get('content-type') ?? '';
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  if (/json/.test(contentType) && text) parsed = JSON.parse(text) as Record<string, unknown>;
  return { status: res.status, contentType, body: parsed };
};
