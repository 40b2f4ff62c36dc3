import { givenProjection } from '@tashghil/testing';
import { grantClawbackClaimed, grantPaymentRecorded, worksPayrollRecorded } from './events.fixture';
import { payments } from './payments.projection';

const given = givenProjection(payments);

describe('the payments read model', () => {
  it('counts a works payroll as its gross wages plus the employer’s contributions', async () => {
    const payroll = worksPayrollRecorded({
      totals: { grossCentimes: 560_000, employeeCentimes: 36_000, employerCentimes: 120_000, netCentimes: 524_000 },
    });
    await given([payroll]).thenRows('payments', [
      {
        event_id: payroll.eventId,
        kind: 'works-project',
        file_id: 'wp-1',
        region: 'MA-10',
        month: '2022-07',
        centimes: 560_000 + 120_000,
      },
    ]);
  });

  it('counts a grant payment at its amount', async () => {
    await given([grantPaymentRecorded()]).thenRows('payments', [
      { kind: 'grant', file_id: 'g-1', region: 'MA-10', month: '2022-07', centimes: 150_000 },
    ]);
  });

  it('counts an event once however often it comes, and two payments of one month twice', async () => {
    const july = grantPaymentRecorded();
    await given([july, july, grantPaymentRecorded({ amountCentimes: 20_000 })]).thenRows('payments', [
      { month: '2022-07', centimes: 150_000 },
      { month: '2022-07', centimes: 20_000 },
    ]);
  });

  it('holds what is claimed back on a grant, once per claim', async () => {
    const claimed = grantClawbackClaimed();
    const then = given([claimed, claimed]);
    await then.thenRows('clawbacks', [
      {
        event_id: claimed.eventId,
        kind: 'grant',
        file_id: 'g-1',
        region: 'MA-10',
        centimes: 50_000,
        claimed_on: '2022-08-10',
      },
    ]);
    await then.thenRows('payments', []);
  });
});
