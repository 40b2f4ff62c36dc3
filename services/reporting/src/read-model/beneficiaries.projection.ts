import type { IntegrationEventData } from '@tashghil/contracts';
import type { Queryable } from '@tashghil/event-store';
import { insertRows, VALIDITY, type Column } from './bitemporal';
import { readModel } from './read-model';

interface Categories {
  readonly gender: string;
  readonly ageBand: string;
  readonly disability: boolean;
  readonly hasDiploma: boolean;
  readonly area: string;
  readonly longTermUnemployed: boolean;
}

/** One fact that names a person, keyed by its own stream's ids. */
interface Fact {
  readonly source: 'works' | 'hire' | 'grant';
  readonly ref: string;
  readonly region: string;
  readonly personKey: string;
  readonly on: string;
  readonly placementId?: string | undefined;
  readonly province?: string | undefined;
  readonly categories?: Categories | undefined;
  readonly recordedAt: string;
}

const COLUMNS: readonly Column[] = [
  ['source', 'text'],
  ['ref', 'text'],
  ['region', 'text'],
  ['person_key', 'text'],
  ['placement_id', 'text'],
  ['province', 'text'],
  ['gender', 'text'],
  ['age_band', 'text'],
  ['disability', 'boolean'],
  ['has_diploma', 'boolean'],
  ['area', 'text'],
  ['long_term', 'boolean'],
  ['first_on', 'date'],
  ['valid_from', 'timestamptz'],
];

/**
 * The row never depends on which stream was read first: the first fact of a source and ref stands,
 * and the report merges a person's facts when it reads.
 */
const recordFacts = (q: Queryable, s: string, facts: readonly Fact[]): Promise<void> =>
  insertRows(
    q,
    s,
    'beneficiaries',
    COLUMNS,
    facts.map((f) => {
      const c = f.categories;
      return [
        f.source,
        f.ref,
        f.region,
        f.personKey,
        f.placementId,
        f.province,
        c?.gender,
        c?.ageBand,
        c?.disability,
        c?.hasDiploma,
        c?.area,
        c?.longTermUnemployed,
        f.on,
        f.recordedAt,
      ];
    }),
  );

/**
 * Whoever has a seeker file is that seeker in every source (a hire, a grant file, a works enrolment
 * that names it), so a person met twice counts once; a works beneficiary without one is their own.
 */
export const seekerKey = (seekerId: string): string => `seeker:${seekerId}`;

/** The person a works enrolment names: its seeker's, or the beneficiary's own. */
export const personOfEnrolment = (enrolled: IntegrationEventData<'WorksBeneficiaryEnrolled'>): string =>
  enrolled.seekerId ? seekerKey(enrolled.seekerId) : `works:${enrolled.beneficiaryId}`;

/**
 * Every fact that names a person: a works enrolment, a hire, a grant file's hire. Whether a fact
 * makes its person a programme beneficiary depends on other streams (a decision, a convention), so
 * the report decides that when it reads.
 */
export const beneficiaries = readModel({
  revision: 2,
  tables: {
    // Ref is the project/beneficiary of an enrolment, the placement of a hire, the grant of a grant
    // file's hire. Categories are null on an older grant file that did not carry them.
    beneficiaries: (s) => `
CREATE TABLE ${s}.beneficiaries (
  source text, ref text, region text NOT NULL, person_key text NOT NULL, placement_id text, province text, gender text, age_band text,
  disability boolean, has_diploma boolean, area text, long_term boolean, first_on date NOT NULL, ${VALIDITY},
  PRIMARY KEY (source, ref)
);
CREATE INDEX ON ${s}.beneficiaries (person_key);
CREATE INDEX ON ${s}.beneficiaries (placement_id) WHERE source = 'grant';`,
  },
  handlers: {},
  pages: {
    SeekerHired: (q, s, hires) =>
      recordFacts(
        q,
        s,
        hires.map(({ data: hire, event }) => {
          // A beneficiary counts where the job is; one placed abroad counts for the region that sent them.
          const { region, province } = hire.flow === 'abroad' ? hire.origin : hire.destination;
          return {
            source: 'hire',
            ref: hire.placementId,
            region,
            personKey: seekerKey(hire.seekerId),
            province,
            on: hire.on,
            categories: hire.categories,
            recordedAt: event.recordedAt,
          };
        }),
      ),
    WorksBeneficiaryEnrolled: (q, s, enrolments) =>
      recordFacts(
        q,
        s,
        enrolments.map(({ data: enrolled, event }) => ({
          source: 'works',
          ref: `${enrolled.projectId}/${enrolled.beneficiaryId}`,
          region: enrolled.region,
          personKey: personOfEnrolment(enrolled),
          province: enrolled.province,
          on: enrolled.on,
          categories: enrolled.categories,
          recordedAt: event.recordedAt,
        })),
      ),
    // An older file names only the placement; the report takes the person's categories from its hire.
    GrantApplied: (q, s, applications) =>
      recordFacts(
        q,
        s,
        applications.map(({ data: applied, event }) => ({
          source: 'grant',
          ref: applied.grantId,
          region: applied.region,
          personKey: seekerKey(applied.hire.seekerId),
          on: applied.hire.startDate,
          placementId: applied.hire.source === 'matching' ? applied.hire.placementId : undefined,
          province: applied.beneficiary?.province,
          categories: applied.beneficiary?.categories,
          recordedAt: event.recordedAt,
        })),
      ),
  },
});
