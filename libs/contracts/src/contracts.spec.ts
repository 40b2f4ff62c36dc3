import { conventionDraftedV1, isoDate } from './conventions.events';
import { envelopeSchema } from './envelope';
import { programmeTargetsSetV1 } from './governance.events';
import { MAX_JOBS } from './limits';
import { offerPublishedV1 } from './matching.events';
import { REGION_CODES, REGIONS, isRegionCode } from './regions';
import { contractFor, topicForType } from './registry';
import { TOPICS, deadLetterTopic, isDeadLetterTopic, topicForContext, topicForStream } from './topics';

describe('contracts', () => {
  it('lists the twelve regions of decree 2-15-40 with French and Arabic names', () => {
    expect(REGION_CODES).toEqual(Array.from({ length: 12 }, (_, i) => `MA-${String(i + 1).padStart(2, '0')}`));
    expect(REGIONS['MA-09']).toEqual({ fr: 'Souss-Massa', ar: 'سوس ماسة' });
    for (const names of Object.values(REGIONS)) expect(names.ar).toMatch(/[\u0600-\u06FF]/);
  });

  it('refuses the former 16-region codes', () => {
    expect(isRegionCode('MA-10')).toBe(true);
    expect(isRegionCode('MA-13')).toBe(false);
    expect(isRegionCode('09')).toBe(false);
  });

  it('bounds every count of jobs, so that no event holds more than PostgreSQL integer columns keep', () => {
    const offer = {
      offerId: 'o-1',
      on: '2022-05-02',
      by: 'officer',
      region: 'MA-10',
      occupation: '8211',
      mass: false,
      opensToOtherRegionsOn: '2022-05-09',
    };
    expect(offerPublishedV1.safeParse({ ...offer, positions: MAX_JOBS }).success).toBe(true);
    expect(offerPublishedV1.safeParse({ ...offer, positions: MAX_JOBS + 1 }).success).toBe(false);
    expect(MAX_JOBS).toBeLessThan(2 ** 31);
    const targets = {
      region: 'MA-10',
      programme: 'awrach',
      year: 2022,
      revision: 1,
      reference: 'circular',
      effectiveDate: '2022-01-01',
      setBy: 'admin',
      setAt: '2022-01-01T00:00:00.000Z',
    };
    const line = (targetJobs: number) => ({ ...targets, components: [{ component: 'temporary_works', targetJobs }] });
    expect(programmeTargetsSetV1.safeParse(line(3_800)).success).toBe(true);
    expect(programmeTargetsSetV1.safeParse(line(768_641_758_868_933)).success).toBe(false);
  });

  it('accepts calendar dates only', () => {
    expect(isoDate.safeParse('2022-02-28').success).toBe(true);
    expect(isoDate.safeParse('2022-02-29').success).toBe(false);
    expect(isoDate.safeParse('22-02-28').success).toBe(false);
  });

  it('routes a stream to its context topic and names the dead-letter topic', () => {
    expect(topicForStream('conventions.convention-souss-massa')).toBe(TOPICS.conventions);
    expect(deadLetterTopic(TOPICS.matching)).toBe('tashghil.matching.dlq');
    expect(contractFor('ConventionDrafted')?.topic).toBe(TOPICS.conventions);
    expect(contractFor('NoSuchEvent')).toBeUndefined();
    expect(topicForContext('subsidies')).toBe('tashghil.subsidies');
    expect(topicForType('SeekerHired')).toBe(TOPICS.matching);
    expect(topicForType('NoSuchEvent')).toBeUndefined();
    expect(isDeadLetterTopic(deadLetterTopic(TOPICS.matching))).toBe(true);
    expect(isDeadLetterTopic(TOPICS.matching)).toBe(false);
  });

  it('validates a ConventionDrafted message and names what is wrong', () => {
    const ok = {
      conventionId: 'c-1',
      region: 'MA-10',
      title: 'Awrach',
      period: { start: '2022-01-01', end: '2022-12-31' },
      draftedAt: '2022-04-22T09:00:00.000Z',
      draftedBy: 'x',
    };
    expect(conventionDraftedV1.safeParse(ok).success).toBe(true);
    const bad = conventionDraftedV1.safeParse({ ...ok, region: 'MA-13', period: { start: 'soon', end: '2022-12-31' } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['period.start', 'region']);
    expect(envelopeSchema.safeParse({ eventId: 'not-a-uuid' }).success).toBe(false);
  });
});
