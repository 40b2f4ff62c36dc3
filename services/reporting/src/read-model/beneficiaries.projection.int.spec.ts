import { givenProjection } from '@tashghil/testing';
import { beneficiaries } from './beneficiaries.projection';
import { categories, grantApplied, offerPublished, seekerHired, worksBeneficiaryEnrolled } from './events.fixture';

const given = givenProjection(beneficiaries);

const theirCategories = {
  gender: 'female',
  age_band: '25_34',
  disability: false,
  has_diploma: true,
  area: 'rural',
  long_term: true,
};

describe('the beneficiaries read model', () => {
  it('counts a hire in the region and province of the job, as the seeker', async () => {
    await given([seekerHired()]).thenRows('beneficiaries', [
      {
        source: 'hire',
        ref: 'pl-1',
        region: 'MA-09',
        person_key: 'seeker:sk-1',
        placement_id: null,
        province: 'Inezgane-Aït Melloul',
        ...theirCategories,
        first_on: '2022-04-01',
      },
    ]);
  });

  it('counts a hire abroad in the region and province that sent the seeker', async () => {
    const abroad = seekerHired({
      flow: 'abroad',
      origin: { region: 'MA-07', province: 'Safi' },
      destination: { region: 'MA-09', province: 'Agadir-Ida Ou Tanane', abroadCountry: 'ES' },
    });
    await given([abroad]).thenRows('beneficiaries', [{ ref: 'pl-1', region: 'MA-07', province: 'Safi' }]);
  });

  it('names a works beneficiary by their seeker file when they have one, else by themselves', async () => {
    await given([
      worksBeneficiaryEnrolled({ beneficiaryId: 'b-1', source: 'matching', seekerId: 'sk-11' }),
      worksBeneficiaryEnrolled({ beneficiaryId: 'b-2', categories: { ...categories, gender: 'male' } }),
    ]).thenRows('beneficiaries', [
      {
        source: 'works',
        ref: 'wp-1/b-1',
        region: 'MA-10',
        person_key: 'seeker:sk-11',
        placement_id: null,
        province: 'Assa-Zag',
        ...theirCategories,
        first_on: '2022-07-01',
      },
      {
        source: 'works',
        ref: 'wp-1/b-2',
        region: 'MA-10',
        person_key: 'works:b-2',
        placement_id: null,
        province: 'Assa-Zag',
        ...theirCategories,
        gender: 'male',
        first_on: '2022-07-01',
      },
    ]);
  });

  it('counts a grant file’s hire from its start, naming the placement only when matching made it', async () => {
    await given([
      grantApplied(),
      grantApplied({
        grantId: 'g-2',
        hire: {
          source: 'manual',
          placementId: 'pl-9',
          seekerId: 'sk-9',
          startDate: '2022-05-01',
          contractMonths: 24,
          monthlyWageCentimes: 300_000,
        },
      }),
    ]).thenRows('beneficiaries', [
      {
        source: 'grant',
        ref: 'g-1',
        region: 'MA-10',
        person_key: 'seeker:sk-5',
        placement_id: 'pl-5',
        province: 'Guelmim',
        ...theirCategories,
        first_on: '2022-06-01',
      },
      {
        source: 'grant',
        ref: 'g-2',
        region: 'MA-10',
        person_key: 'seeker:sk-9',
        placement_id: null,
        province: 'Guelmim',
        ...theirCategories,
        first_on: '2022-05-01',
      },
    ]);
  });

  it('leaves the province and categories empty on an older grant file that did not carry them', async () => {
    await given([grantApplied({ beneficiary: undefined })]).thenRows('beneficiaries', [
      {
        ref: 'g-1',
        province: null,
        gender: null,
        age_band: null,
        disability: null,
        has_diploma: null,
        area: null,
        long_term: null,
      },
    ]);
  });

  it('keeps one row per fact, as first met, for a person met in several sources', async () => {
    const hired = seekerHired({ seekerId: 'sk-5', placementId: 'pl-5' });
    await given([
      hired,
      hired,
      seekerHired({ seekerId: 'sk-5', placementId: 'pl-5', on: '2022-05-01' }),
      grantApplied(),
      offerPublished(),
    ]).thenRows('beneficiaries', [
      { source: 'hire', ref: 'pl-5', person_key: 'seeker:sk-5', first_on: '2022-04-01' },
      { source: 'grant', ref: 'g-1', person_key: 'seeker:sk-5', first_on: '2022-06-01' },
    ]);
  });
});
