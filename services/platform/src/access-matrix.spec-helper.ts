import type { Role } from '@tashghil/service-kit';
import type { Built, Fixtures } from './access-fixtures.spec-helper';

export type Kind = 'public' | 'read' | 'write';

/**
 * Whose the data is: a region's (its officers and committee members, the auditor to read, the
 * admin), the nation's (the admin, and the auditor to read), or anyone's with a valid token
 * (the programmes' published rules).
 */
export type Scope = 'region' | 'national' | 'any';

export interface Row {
  readonly region: string;
  readonly owner?: string;
}

export interface Entry {
  readonly kind: Kind;
  readonly scope?: Scope;
  /** Who may send this command; officers and admins unless it says otherwise. */
  readonly writers?: readonly Role[];
  /** The regions whose officers reach the file, its own first. */
  readonly regions?: (f: Fixtures) => readonly string[];
  /** The organisation that owns the file, and whether its owner may do this. */
  readonly owner?: { readonly of: (f: Fixtures) => string; readonly may: boolean };
  /** For a list: the rows it shows. A list filters instead of refusing. */
  readonly rows?: (body: Record<string, unknown>) => readonly Row[];
  /** A request the permitted caller could send as it is: real ids from the demo, a body that validates. */
  readonly request: (f: Fixtures) => Built;
  /** Besides 200 and 201, what the permitted caller may get: the file's state refusing the command. */
  readonly accepts?: readonly number[];
}

const home = (f: Fixtures): readonly string[] => [f.home];
const soussMassa = (): readonly string[] => ['MA-09'];
const placementRegions = (f: Fixtures): readonly string[] => [f.placement.destination, f.placement.origin];
const grantOwner = (f: Fixtures): string => f.grantOwner;
const DECIDERS: readonly Role[] = ['committee', 'admin'];
const COMMITTEE_WRITERS: readonly Role[] = ['officer', 'committee', 'admin'];
const ADMIN: readonly Role[] = ['admin'];
const CONFLICT = [409] as const;

const rowsOf =
  (key: string, row: (x: Record<string, unknown>) => Row) =>
  (body: Record<string, unknown>): readonly Row[] =>
    ((body[key] ?? []) as Array<Record<string, unknown>>).map(row);
const byRegion = (key: string) => rowsOf(key, (x) => ({ region: String(x.region) }));

/** A draft the suite sets up in MA-09 before it starts, for the commands only a draft takes. */
export const DRAFT = 'acm-brouillon';
const SOUSS_MASSA = 'souss-massa-2020-2022';
const REGIONAL = 'awrach-guelmim-oued-noun-regional';
const SITE = 'demo-gon-chantier-01';
/** The association promoting SITE in the demo: it reads its own site. */
const SITE_PROMOTER = 'promoteur-1';
/** Approved but not launched in the demo: a site the launch, the enrolment and the payroll can still act on. */
const UNLAUNCHED = 'demo-gon-chantier-09';
const seat = (role: string) => ({ name: `Titulaire ${role}`, role });

/** The facts the Awrach 1 rules read at the hire stage. */
const SCHEME_FACTS = {
  'employer.kind': 'company',
  'person.monthsRegistered': 12,
  'person.pandemicJobLoss': false,
  'person.hardToPlace': false,
  'person.disability': false,
  'contract.months': 24,
  'contract.monthlyWageCentimes': 300_000,
};

const seekerCsv = (region: string): string =>
  [
    'seekerId,registeredOn,region,province,gender,birthDate,education,diploma,occupations,skills,languages,disability,pandemicJobLoss,area,mobility,fullName,cin,phone,email',
    `acm-import-chercheur,2022-02-01,${region},Guelmim,female,1996-04-04,vocational,,8160,conditionnement,ar|fr,non,non,urban,own_region,Personne fictive,ZZ4242,,`,
  ].join('\n');
const offerCsv = (region: string): string =>
  [
    'offerId,employerKind,employerId,employerName,sector,region,province,abroadCountry,occupation,positions,requiredEducation,skills,contractType,mass,validUntil',
    `acm-import-offre,company,acm-employeur,Employeur de contrôle,agri-food,${region},Guelmim,,8160,2,primary,conditionnement,permanent,non,2030-12-31`,
  ].join('\n');

/**
 * Every operation of the platform's OpenAPI document, as `METHOD /path`: who may call it and a real
 * request to call it with. The suite fails on an operation missing here, and on an entry that no
 * longer names an operation.
 */
export const ACCESS_MATRIX: Readonly<Record<string, Entry>> = {
  'GET /health/live': { kind: 'public', request: () => ({ path: '/health/live' }) },
  'GET /health/ready': { kind: 'public', request: () => ({ path: '/health/ready' }) },
  'GET /metrics': { kind: 'public', request: () => ({ path: '/metrics' }) },

  'POST /conventions': {
    kind: 'write',
    scope: 'region',
    regions: soussMassa,
    request: () => ({
      path: '/conventions',
      body: {
        conventionId: 'acm-convention',
        region: 'MA-09',
        title: 'Convention de contrôle des accès',
        period: { start: '2024-01-01', end: '2026-12-31' },
      },
    }),
  },
  'GET /conventions': {
    kind: 'read',
    scope: 'region',
    regions: soussMassa,
    rows: byRegion('conventions'),
    request: () => ({ path: '/conventions' }),
  },
  'GET /conventions/{id}': {
    kind: 'read',
    scope: 'region',
    regions: soussMassa,
    request: () => ({ path: `/conventions/${SOUSS_MASSA}` }),
  },
  'GET /conventions/{id}/history': {
    kind: 'read',
    scope: 'region',
    regions: soussMassa,
    request: () => ({ path: `/conventions/${SOUSS_MASSA}/history` }),
  },
  'PATCH /conventions/{id}': {
    kind: 'write',
    scope: 'region',
    regions: soussMassa,
    request: () => ({ path: `/conventions/${DRAFT}`, body: { title: 'Brouillon de contrôle, titre revu' } }),
  },
  'POST /conventions/{id}/parties': {
    kind: 'write',
    scope: 'region',
    regions: soussMassa,
    request: () => ({
      path: `/conventions/${DRAFT}/parties`,
      body: { partyId: 'acm-partie-2', name: 'Président du Conseil régional', role: 'region_president' },
    }),
  },
  'DELETE /conventions/{id}/parties/{partyId}': {
    kind: 'write',
    scope: 'region',
    regions: soussMassa,
    request: () => ({ path: `/conventions/${DRAFT}/parties/acm-partie` }),
  },
  'POST /conventions/{id}/measures': {
    kind: 'write',
    scope: 'region',
    regions: soussMassa,
    request: () => ({
      path: `/conventions/${DRAFT}/measures`,
      body: { measureId: 'acm-mesure-2', programmeLine: 'taehil' },
    }),
  },
  'PATCH /conventions/{id}/measures/{measureId}': {
    kind: 'write',
    scope: 'region',
    regions: soussMassa,
    request: () => ({ path: `/conventions/${DRAFT}/measures/acm-mesure`, body: { target: { total: 120 } } }),
  },
  'DELETE /conventions/{id}/measures/{measureId}': {
    kind: 'write',
    scope: 'region',
    regions: soussMassa,
    request: () => ({ path: `/conventions/${DRAFT}/measures/acm-mesure` }),
  },
  'POST /conventions/{id}/signatures': {
    kind: 'write',
    scope: 'region',
    regions: soussMassa,
    accepts: CONFLICT,
    request: () => ({
      path: `/conventions/${DRAFT}/signatures`,
      body: {
        role: 'region_president',
        signatory: 'Président du Conseil régional',
        date: '2024-02-01',
        place: 'Agadir',
      },
    }),
  },
  'POST /conventions/{id}/amendments': {
    kind: 'write',
    scope: 'region',
    regions: soussMassa,
    request: () => ({
      path: `/conventions/${SOUSS_MASSA}/amendments`,
      body: {
        effectiveDate: '2022-01-01',
        reason: 'Revue à mi-parcours',
        measures: [{ measureId: 'tahfiz', budget: { stateCentimes: 6_000_000_000, regionCentimes: 0 } }],
      },
    }),
  },
  'POST /conventions/{id}/close': {
    kind: 'write',
    scope: 'region',
    regions: soussMassa,
    request: () => ({ path: `/conventions/${SOUSS_MASSA}/close`, body: { date: '2022-12-31' } }),
  },

  'POST /committees': {
    kind: 'write',
    scope: 'region',
    regions: home,
    writers: COMMITTEE_WRITERS,
    request: (f) => ({
      path: '/committees',
      body: {
        committeeId: 'acm-comite',
        region: f.home,
        programme: 'awrach',
        kind: 'regional',
        chair: seat('président'),
        secretary: seat('secrétaire'),
        members: [],
      },
    }),
  },
  'GET /committees': {
    kind: 'read',
    scope: 'region',
    regions: home,
    rows: byRegion('committees'),
    request: () => ({ path: '/committees' }),
  },
  'GET /committees/{id}': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: () => ({ path: `/committees/${REGIONAL}` }),
  },
  'GET /committees/{id}/meetings/{meetingId}': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: () => ({ path: `/committees/${REGIONAL}/meetings/premiere-reunion-2022-04-22` }),
  },
  'GET /committees/{id}/decisions/{decisionNumber}': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: () => ({ path: `/committees/${REGIONAL}/decisions/CR-GON-2022-01` }),
  },
  'PUT /committees/{id}/members': {
    kind: 'write',
    scope: 'region',
    regions: home,
    writers: COMMITTEE_WRITERS,
    request: () => ({
      path: `/committees/${REGIONAL}/members`,
      body: { members: [{ name: 'Province de Tan-Tan', role: 'membre' }] },
    }),
  },
  'POST /committees/{id}/meetings': {
    kind: 'write',
    scope: 'region',
    regions: home,
    writers: COMMITTEE_WRITERS,
    request: () => ({
      path: `/committees/${REGIONAL}/meetings`,
      body: {
        meetingId: 'acm-reunion',
        date: '2022-06-01',
        place: 'Guelmim',
        agenda: ['Suivi des chantiers'],
        attendance: [{ ...seat('président'), present: true }],
      },
    }),
  },
  'POST /committees/{id}/decisions': {
    kind: 'write',
    scope: 'region',
    regions: home,
    writers: COMMITTEE_WRITERS,
    request: () => ({
      path: `/committees/${REGIONAL}/decisions`,
      body: {
        decisionNumber: 'ACM-2022-01',
        date: '2022-06-01',
        subject: 'Suivi du programme',
        outcome: 'noted',
        references: [],
      },
    }),
  },

  'PUT /programme-targets/{region}/{programme}/{year}': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: (f) => ({
      path: `/programme-targets/${f.home}/awrach/2023`,
      body: {
        components: [{ component: 'temporary_works', targetJobs: 100 }],
        reference: 'Contrôle des accès',
        effectiveDate: '2023-01-15',
      },
    }),
  },
  'GET /programme-targets': {
    kind: 'read',
    scope: 'region',
    regions: home,
    rows: byRegion('targets'),
    request: () => ({ path: '/programme-targets' }),
  },
  'GET /programme-targets/{region}/{programme}/{year}': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/programme-targets/${f.home}/awrach/2022` }),
  },

  'POST /placements': {
    kind: 'write',
    scope: 'region',
    regions: home,
    accepts: CONFLICT,
    request: (f) => ({ path: '/placements', body: { seekerId: f.candidateId, offerId: f.offerId } }),
  },
  // Both ends named, so an officer of a third region has nothing to see and each row counts for the offer's region.
  'GET /placements': {
    kind: 'read',
    scope: 'region',
    regions: placementRegions,
    rows: rowsOf('placements', (p) => ({ region: String((p.destination as { region: string }).region) })),
    request: (f) => ({
      path: `/placements?originRegion=${f.placement.origin}&destinationRegion=${f.placement.destination}`,
    }),
  },
  'GET /placements/{id}': {
    kind: 'read',
    scope: 'region',
    regions: placementRegions,
    request: (f) => ({ path: `/placements/${f.placement.id}` }),
  },
  'POST /placements/{id}/answer': {
    kind: 'write',
    scope: 'region',
    regions: placementRegions,
    accepts: CONFLICT,
    request: (f) => ({ path: `/placements/${f.placement.id}/answer`, body: { accepted: true } }),
  },
  'POST /placements/{id}/interview': {
    kind: 'write',
    scope: 'region',
    regions: placementRegions,
    accepts: CONFLICT,
    request: (f) => ({ path: `/placements/${f.placement.id}/interview`, body: { date: '2030-06-01' } }),
  },
  'POST /placements/{id}/hire': {
    kind: 'write',
    scope: 'region',
    regions: placementRegions,
    accepts: CONFLICT,
    request: (f) => ({
      path: `/placements/${f.placement.id}/hire`,
      body: { contractType: 'permanent', startDate: '2030-07-01', contractMonths: 36, monthlyWageCentimes: 300_000 },
    }),
  },
  'POST /placements/{id}/reject': {
    kind: 'write',
    scope: 'region',
    regions: placementRegions,
    accepts: CONFLICT,
    request: (f) => ({ path: `/placements/${f.placement.id}/reject`, body: { reason: 'Contrôle des accès' } }),
  },

  'POST /seekers': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: (f) => ({
      path: '/seekers',
      body: {
        seekerId: 'acm-chercheur',
        registeredOn: '2022-03-01',
        region: f.home,
        province: 'Guelmim',
        gender: 'female',
        birthDate: '1995-05-05',
        education: 'vocational',
        occupations: ['8160'],
        skills: [],
        languages: ['ar'],
        disability: false,
        pandemicJobLoss: false,
        area: 'urban',
        mobility: 'own_region',
        fullName: 'Personne fictive',
        cin: 'ZZ4243',
      },
    }),
  },
  'GET /seekers': {
    kind: 'read',
    scope: 'region',
    regions: home,
    rows: byRegion('seekers'),
    request: (f) => ({ path: `/seekers?region=${f.home}` }),
  },
  'GET /seekers/{id}': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/seekers/${f.seekerId}` }),
  },
  'PATCH /seekers/{id}': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/seekers/${f.seekerId}`, body: { province: 'Guelmim' } }),
  },
  'POST /seekers/{id}/withdraw': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/seekers/${f.seekerId}/withdraw`, body: { reason: 'Contrôle des accès' } }),
  },
  'POST /seekers/{id}/erase': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/seekers/${f.seekerId}/erase`, body: { reason: 'Contrôle des accès' } }),
  },

  'POST /offers': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: (f) => ({
      path: '/offers',
      body: {
        offerId: 'acm-offre',
        employer: { kind: 'company', id: 'acm-employeur', name: 'Employeur de contrôle', sector: 'agri-food' },
        region: f.home,
        province: 'Guelmim',
        occupation: '8160',
        positions: 2,
        requiredEducation: 'primary',
        skills: [],
        contractType: 'permanent',
        mass: false,
        validUntil: '2030-12-31',
      },
    }),
  },
  'GET /offers': {
    kind: 'read',
    scope: 'region',
    regions: home,
    owner: { of: (f) => f.offerEmployer, may: true },
    rows: rowsOf('offers', (o) => ({
      region: String(o.region),
      owner: String((o.employer as { id: string }).id),
    })),
    request: (f) => ({ path: `/offers?region=${f.home}` }),
  },
  'GET /offers/{id}': {
    kind: 'read',
    scope: 'region',
    regions: home,
    owner: { of: (f) => f.offerEmployer, may: true },
    request: (f) => ({ path: `/offers/${f.offerId}` }),
  },
  'POST /offers/{id}/validate': {
    kind: 'write',
    scope: 'region',
    regions: home,
    accepts: CONFLICT,
    request: (f) => ({ path: `/offers/${f.offerId}/validate`, body: {} }),
  },
  'POST /offers/{id}/reject': {
    kind: 'write',
    scope: 'region',
    regions: home,
    accepts: CONFLICT,
    request: (f) => ({ path: `/offers/${f.offerId}/reject`, body: { reason: 'Contrôle des accès' } }),
  },
  'POST /offers/{id}/publish': {
    kind: 'write',
    scope: 'region',
    regions: home,
    accepts: CONFLICT,
    request: (f) => ({ path: `/offers/${f.offerId}/publish` }),
  },
  'POST /offers/{id}/open-to-other-regions': {
    kind: 'write',
    scope: 'region',
    regions: home,
    accepts: CONFLICT,
    request: (f) => ({ path: `/offers/${f.offerId}/open-to-other-regions`, body: {} }),
  },
  'POST /offers/{id}/close': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/offers/${f.offerId}/close`, body: { reason: 'Contrôle des accès' } }),
  },
  'POST /offers/{id}/expire': {
    kind: 'write',
    scope: 'region',
    regions: home,
    accepts: CONFLICT,
    request: (f) => ({ path: `/offers/${f.offerId}/expire`, body: {} }),
  },

  'POST /imports/seekers': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: '/imports/seekers', csv: seekerCsv(f.home) }),
  },
  'POST /imports/offers': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: '/imports/offers', csv: offerCsv(f.home) }),
  },
  // The large import the suite ran before it started: its seekers are all of the home region.
  'GET /imports/{id}': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/imports/${f.importId}` }),
  },

  'GET /parameters': { kind: 'read', scope: 'any', request: () => ({ path: '/parameters' }) },
  'GET /parameters/{name}': { kind: 'read', scope: 'any', request: (f) => ({ path: `/parameters/${f.parameter}` }) },
  'POST /parameters/{name}/values': {
    kind: 'write',
    scope: 'national',
    writers: ADMIN,
    request: (f) => ({
      path: `/parameters/${f.parameter}/values`,
      body: { effectiveFrom: '2099-01-01', value: 1, reference: 'Contrôle des accès' },
    }),
  },
  'GET /schemes': { kind: 'read', scope: 'any', request: () => ({ path: '/schemes' }) },
  // A dry run that stores nothing: a read, though it is a POST.
  'POST /schemes/{id}/eligibility': {
    kind: 'read',
    scope: 'any',
    request: () => ({ path: '/schemes/awrach-1/eligibility', body: { stage: 'hire', facts: SCHEME_FACTS } }),
  },

  'GET /envelopes': {
    kind: 'read',
    scope: 'region',
    regions: home,
    rows: byRegion('envelopes'),
    request: () => ({ path: '/envelopes' }),
  },
  'GET /envelopes/{region}/{programme}/{year}': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/envelopes/${f.home}/awrach/2022` }),
  },

  'POST /grants': {
    kind: 'write',
    scope: 'region',
    regions: home,
    owner: { of: grantOwner, may: true },
    accepts: CONFLICT,
    request: (f) => ({
      path: '/grants',
      body: {
        grantId: 'acm-dossier',
        scheme: 'awrach-1',
        region: f.home,
        employer: { kind: 'company', id: f.grantOwner, name: 'Employeur de démonstration' },
        hire: { seekerId: 'acm-salarie', startDate: '2022-07-01', contractMonths: 24, monthlyWageCentimes: 300_000 },
        person: {
          monthsRegistered: 12,
          pandemicJobLoss: false,
          disability: false,
          hardToPlace: false,
          priorCnssMonths: 0,
        },
        beneficiary: {
          province: 'Guelmim',
          categories: {
            gender: 'female',
            ageBand: '25_34',
            disability: false,
            hasDiploma: true,
            area: 'urban',
            longTermUnemployed: false,
          },
        },
      },
    }),
  },
  'GET /grants': {
    kind: 'read',
    scope: 'region',
    regions: home,
    owner: { of: grantOwner, may: true },
    request: () => ({ path: '/grants' }),
    rows: rowsOf('grants', (g) => ({
      region: String(g.region),
      owner: String((g.application as { employer: { id: string } }).employer.id),
    })),
  },
  'GET /grants/{id}': {
    kind: 'read',
    scope: 'region',
    regions: home,
    owner: { of: grantOwner, may: true },
    request: (f) => ({ path: `/grants/${f.grantId}` }),
  },
  'POST /grants/{id}/decision': {
    kind: 'write',
    scope: 'region',
    regions: home,
    writers: DECIDERS,
    owner: { of: grantOwner, may: false },
    accepts: CONFLICT,
    request: (f) => ({
      path: `/grants/${f.grantId}/decision`,
      body: { outcome: 'approved', decisionNumber: 'ACM-G-01', date: '2022-08-01' },
    }),
  },
  'POST /grants/{id}/cnss-declarations': {
    kind: 'write',
    scope: 'region',
    regions: home,
    writers: ['officer', 'admin', 'employer', 'association'],
    owner: { of: grantOwner, may: true },
    accepts: CONFLICT,
    request: (f) => ({
      path: `/grants/${f.grantId}/cnss-declarations`,
      body: { months: [{ month: '2022-12', days: 26, wageCentimes: 300_000 }] },
    }),
  },
  'POST /grants/{id}/payments': {
    kind: 'write',
    scope: 'region',
    regions: home,
    owner: { of: grantOwner, may: false },
    accepts: CONFLICT,
    request: (f) => ({ path: `/grants/${f.grantId}/payments`, body: { month: '2022-12', paidOn: '2023-01-20' } }),
  },
  'POST /grants/{id}/contract-end': {
    kind: 'write',
    scope: 'region',
    regions: home,
    owner: { of: grantOwner, may: false },
    accepts: CONFLICT,
    request: (f) => ({
      path: `/grants/${f.grantId}/contract-end`,
      body: { lastDay: '2023-03-31', reason: 'Contrôle des accès' },
    }),
  },
  'POST /grants/{id}/eligibility/replay': {
    kind: 'read',
    scope: 'region',
    regions: home,
    owner: { of: grantOwner, may: true },
    request: (f) => ({ path: `/grants/${f.grantId}/eligibility/replay`, body: {} }),
  },

  'POST /works-projects': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: (f) => ({
      path: '/works-projects',
      body: {
        projectId: 'acm-chantier',
        region: f.home,
        province: 'Guelmim',
        promoter: { kind: 'association', id: 'acm-association', name: 'Association de contrôle' },
        kind: 'small',
        title: 'Chantier de contrôle des accès',
        jobs: 5,
        months: 3,
        start: '2030-01-01',
        end: '2030-03-31',
        monthlyWageCentimes: 400_000,
      },
    }),
  },
  'GET /works-projects': {
    kind: 'read',
    scope: 'region',
    regions: home,
    rows: byRegion('projects'),
    request: () => ({ path: '/works-projects' }),
  },
  'GET /works-projects/tracking': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/works-projects/tracking?region=${f.home}&year=2022` }),
  },
  'GET /works-projects/{id}': {
    kind: 'read',
    scope: 'region',
    regions: home,
    owner: { of: () => SITE_PROMOTER, may: true },
    request: () => ({ path: `/works-projects/${SITE}` }),
  },
  'GET /works-projects/{id}/certificates': {
    kind: 'read',
    scope: 'region',
    regions: home,
    owner: { of: () => SITE_PROMOTER, may: true },
    request: () => ({ path: `/works-projects/${SITE}/certificates` }),
  },
  'POST /works-projects/{id}/decision': {
    kind: 'write',
    scope: 'region',
    regions: home,
    writers: DECIDERS,
    accepts: CONFLICT,
    request: () => ({
      path: `/works-projects/${UNLAUNCHED}/decision`,
      body: { outcome: 'approved', decisionNumber: 'ACM-T-01', date: '2022-08-27' },
    }),
  },
  'POST /works-projects/{id}/launch': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: () => ({ path: `/works-projects/${UNLAUNCHED}/launch`, body: { on: '2022-09-01' } }),
  },
  'POST /works-projects/{id}/beneficiaries': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: () => ({
      path: `/works-projects/${UNLAUNCHED}/beneficiaries`,
      body: {
        beneficiaryId: 'acm-beneficiaire',
        source: 'direct',
        identity: { fullName: 'Personne fictive', cin: 'ZZ4244' },
        on: '2022-09-01',
        categories: {
          gender: 'female',
          ageBand: '25_34',
          disability: false,
          hasDiploma: true,
          area: 'rural',
          longTermUnemployed: false,
        },
      },
    }),
  },
  'POST /works-projects/{id}/payroll': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: () => ({
      path: `/works-projects/${UNLAUNCHED}/payroll`,
      body: { month: '2022-09', lines: [{ beneficiaryId: 'acm-beneficiaire', days: 20 }] },
    }),
  },
  'POST /works-projects/{id}/completion': {
    kind: 'write',
    scope: 'region',
    regions: home,
    request: () => ({ path: `/works-projects/${UNLAUNCHED}/completion`, body: { on: '2023-02-28' } }),
  },

  'GET /reports/committee': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/reports/committee?region=${f.home}` }),
  },
  'GET /reports/committee.csv': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/reports/committee.csv?region=${f.home}` }),
  },
  'GET /reports/committee.pdf': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/reports/committee.pdf?region=${f.home}` }),
  },
  'GET /reports/conventions': {
    kind: 'read',
    scope: 'region',
    regions: home,
    request: (f) => ({ path: `/reports/conventions?region=${f.home}` }),
  },
  'GET /reports/read-model': { kind: 'read', scope: 'national', request: () => ({ path: '/reports/read-model' }) },
  // A job: 202, or 409 while another build (the previous caller's) holds the build lease.
  'POST /reports/read-model/rebuild': {
    kind: 'write',
    scope: 'national',
    writers: ADMIN,
    accepts: [202, 409],
    request: () => ({ path: '/reports/read-model/rebuild' }),
  },
  'GET /reports/read-model/rebuilds/{id}': {
    kind: 'read',
    scope: 'national',
    request: (f) => ({ path: `/reports/read-model/rebuilds/${f.rebuildId}` }),
  },

  'GET /matching-runs/{id}': {
    kind: 'read',
    scope: 'national',
    request: () => ({ path: '/matching-runs/demo-national-2022-05' }),
  },
  // Replays a run in memory and stores nothing: a read, open to the auditor.
  'POST /matching-runs/{id}/replay': {
    kind: 'read',
    scope: 'national',
    request: () => ({ path: '/matching-runs/demo-national-2022-05/replay' }),
  },
  'GET /matching-runs': { kind: 'read', scope: 'national', request: () => ({ path: '/matching-runs' }) },
  'GET /matching-runs/{id}/proposals': {
    kind: 'read',
    scope: 'national',
    request: () => ({ path: '/matching-runs/demo-national-2022-05/proposals' }),
  },
  // Last: the batch run proposes placements across every region (a job: 202, then it runs).
  'POST /matching-runs': {
    kind: 'write',
    scope: 'national',
    writers: ADMIN,
    accepts: [202],
    request: () => ({ path: '/matching-runs', body: { runId: 'acm-run' } }),
  },
};
