import { givenProjection } from '@tashghil/testing';
import { conventions } from './conventions.projection';
import { conventionAmended, conventionClosed, conventionDrafted, conventionSigned } from './events.fixture';

const given = givenProjection(conventions);

describe('the conventions read model', () => {
  it('holds a drafted convention with its period and author, not yet signed and without measures', async () => {
    const then = given([conventionDrafted()]);
    await then.thenRows('conventions', [
      {
        convention_id: 'sm',
        region: 'MA-09',
        title: 'Convention Souss-Massa (projet)',
        period_start: '2020-01-01',
        period_end: '2022-12-31',
        status: 'drafted',
        drafted_at: '2021-03-01T09:00:00+00:00',
        drafted_by: 'officer-sm',
        signed_on: null,
      },
    ]);
    await then.thenRows('convention_measures', []);
  });

  it('keeps the first draft of a convention when another draft of it comes', async () => {
    await given([conventionDrafted(), conventionDrafted({ title: 'Autre titre' })]).thenRows('conventions', [
      { convention_id: 'sm', title: 'Convention Souss-Massa (projet)' },
    ]);
  });

  it('takes the title, period and measures as signed; a measure without target or budget has nulls', async () => {
    const then = given([conventionDrafted(), conventionSigned()]);
    await then.thenRows('conventions', [
      { convention_id: 'sm', status: 'signed', signed_on: '2021-03-15', title: 'Convention Souss-Massa' },
    ]);
    await then.thenRows('convention_measures', [
      {
        convention_id: 'sm',
        measure_id: 'idmaj',
        programme_line: 'idmaj_training_contracts',
        label: 'Contrats de formation',
        target_total: 600,
        state_centimes: 1_000_000,
        region_centimes: 0,
      },
      {
        convention_id: 'sm',
        measure_id: 'region',
        programme_line: 'other',
        label: null,
        target_total: null,
        state_centimes: null,
        region_centimes: null,
      },
    ]);
  });

  it('changes nothing when the signature comes twice', async () => {
    const signed = conventionSigned();
    await given([conventionDrafted(), signed, signed]).thenRows('convention_measures', [
      { measure_id: 'idmaj' },
      { measure_id: 'region' },
    ]);
  });

  it('replaces the period and the whole list of measures on an amendment, and stays signed', async () => {
    const amended = conventionAmended({
      measures: [{ measureId: 'idmaj', programmeLine: 'idmaj_training_contracts', target: { total: 800 } }],
    });
    const then = given([conventionDrafted(), conventionSigned(), amended]);
    await then.thenRows('conventions', [{ status: 'signed', period_start: '2020-01-01', period_end: '2023-12-31' }]);
    await then.thenRows('convention_measures', [{ measure_id: 'idmaj', target_total: 800, label: null }]);
  });

  it('says a convention closed at its term is closed, and one ended early is terminated', async () => {
    await given([conventionDrafted(), conventionSigned(), conventionClosed()]).thenRows('conventions', [
      { status: 'closed' },
    ]);
    await given([conventionDrafted(), conventionSigned(), conventionClosed({ early: true })]).thenRows('conventions', [
      { status: 'terminated' },
    ]);
  });

  it('touches only the convention each event names', async () => {
    await given([
      conventionDrafted(),
      conventionDrafted({ conventionId: 'gon', region: 'MA-10', title: 'Convention Guelmim-Oued Noun' }),
      conventionSigned({ conventionId: 'gon', region: 'MA-10', title: 'Convention GON' }),
    ]).thenRows('conventions', [
      { convention_id: 'gon', status: 'signed', title: 'Convention GON' },
      { convention_id: 'sm', status: 'drafted', title: 'Convention Souss-Massa (projet)' },
    ]);
  });
});
