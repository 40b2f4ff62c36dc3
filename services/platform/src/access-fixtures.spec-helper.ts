import { REGION_CODES } from '@tashghil/contracts';
import { loadAggregate, loadCategory, type EventStore } from '@tashghil/event-store';
import { offerDecider, placementDecider, seekerDecider } from '@tashghil/matching';
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
}

export const OTHER_EMPLOYER = 'acm-employeur-etranger';

export const discoverFixtures = async (store: EventStore): Promise<Fixtures> => {
  const home = 'MA-10';
  const all = (await loadCategory(store, seekerDecider, 'matching.seeker')).flatMap(({ state: s }) =>
    s.status !== 'none' && s.region === home ? [s] : [],
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
