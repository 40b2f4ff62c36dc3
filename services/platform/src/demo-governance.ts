import {
  committeeDecider,
  committeeStreamId,
  parentFrom,
  programmeTargetsDecider,
  programmeTargetsStreamId,
  type EstablishCommittee,
  type HoldMeeting,
  type RecordDecision,
  type SetProgrammeTargets,
} from '@tashghil/conventions';
import { loadAggregate } from '@tashghil/event-store';
import { handleAt, type StoreAt } from './demo-calendar';
import { seedMetadata } from './demo-metadata';

/** Awrach in Guelmim-Oued Noun, 2022: 3,800 temporary and 1,000 lasting-integration jobs (DOMAIN.md). */
const AWRACH_TARGETS: SetProgrammeTargets['data'] = {
  region: 'MA-10',
  programme: 'awrach',
  year: 2022,
  components: [
    { component: 'temporary_works', targetJobs: 3_800 },
    // The budget is the targets' jobs at the Awrach 1 grant (1,000 × 27,000 MAD); the sources give no figure.
    { component: 'lasting_integration', targetJobs: 1_000, budgetCentimes: 2_700_000_000 },
  ],
  reference:
    'Programme Awrach, comité régional de Guelmim-Oued Noun du 22 avril 2022 ; circulaire du Chef du Gouvernement du 12 janvier 2022',
  effectiveDate: '2022-04-22',
};

const seat = (name: string, role: string) => ({ name, role });

const REGIONAL: EstablishCommittee['data'] = {
  committeeId: 'awrach-guelmim-oued-noun-regional',
  region: 'MA-10',
  programme: 'awrach',
  kind: 'regional',
  chair: seat('Secrétaire général de la Wilaya de Guelmim-Oued Noun', 'président'),
  secretary: seat("Directeur régional de l'ANAPEC", 'secrétaire'),
  members: [
    { name: 'Province de Sidi Ifni', role: 'membre', organisation: 'Province de Sidi Ifni' },
    { name: 'Province de Tan-Tan', role: 'membre', organisation: 'Province de Tan-Tan' },
    { name: "Province d'Assa-Zag", role: 'membre', organisation: "Province d'Assa-Zag" },
    { name: 'Conseil provincial', role: 'membre', organisation: 'Conseil provincial' },
    { name: 'Chambres professionnelles', role: 'membre', organisation: 'Chambres professionnelles' },
    { name: 'Élus', role: 'membre', organisation: 'Élus de la région' },
  ],
};

const TECHNICAL: EstablishCommittee['data'] = {
  committeeId: 'awrach-guelmim-oued-noun-technical',
  region: 'MA-10',
  programme: 'awrach',
  kind: 'technical',
  parentCommitteeId: REGIONAL.committeeId,
  chair: seat("Directeur régional de l'ANAPEC", 'président'),
  secretary: seat('Service régional de l’emploi', 'secrétaire'),
  members: [{ name: 'Représentants des provinces', role: 'membre' }],
};

const FIRST_MEETING: HoldMeeting['data'] = {
  committeeId: REGIONAL.committeeId,
  meetingId: 'premiere-reunion-2022-04-22',
  date: '2022-04-22',
  place: 'Guelmim',
  agenda: [
    'Lancement du programme Awrach dans la région',
    'Objectifs 2022 : 3 800 emplois temporaires directs et 1 000 emplois en insertion durable',
    'Gouvernance : comité régional et comité technique',
  ],
  attendance: [
    { name: REGIONAL.chair.name, role: 'président', present: true },
    { name: REGIONAL.secretary.name, role: 'secrétaire', present: true },
    ...REGIONAL.members.map((m) => ({ name: m.name, role: m.role, present: true })),
  ],
};

/**
 * Illustrative decisions, invented for the demo: no minutes of the meeting of 22 April 2022 are
 * public, only its agenda as the press reported it (DOMAIN.md). Each subject says so, as the
 * Souss-Massa measures' illustrative targets do, so no report passes them off as the committee's.
 */
const FIRST_DECISIONS: readonly RecordDecision['data'][] = [
  {
    committeeId: REGIONAL.committeeId,
    decisionNumber: 'CR-GON-2022-01',
    meetingId: FIRST_MEETING.meetingId,
    date: '2022-04-22',
    outcome: 'approved',
    references: [],
    subject:
      'Lancement du programme Awrach dans la région et adoption des objectifs 2022 (3 800 emplois temporaires, 1 000 en insertion durable) (décision illustrative)',
  },
  {
    committeeId: REGIONAL.committeeId,
    decisionNumber: 'CR-GON-2022-02',
    meetingId: FIRST_MEETING.meetingId,
    date: '2022-04-22',
    outcome: 'approved',
    references: [],
    subject: 'Création du comité technique, présidé par le directeur régional de l’ANAPEC (décision illustrative)',
  },
  {
    committeeId: REGIONAL.committeeId,
    decisionNumber: 'CR-GON-2022-03',
    meetingId: FIRST_MEETING.meetingId,
    date: '2022-04-22',
    outcome: 'noted',
    references: [],
    subject:
      'Appel à projets de chantiers auprès des associations et coopératives des provinces de Sidi Ifni, Tan-Tan et Assa-Zag (décision illustrative)',
  },
];

/** Idempotent: every command has a fixed id, so a restart answers each as already applied. */
export const seedGovernance = async (at: StoreAt): Promise<void> => {
  const now = '2022-04-22T09:00:00.000Z';
  await handleAt(at, programmeTargetsDecider, programmeTargetsStreamId('MA-10', 'awrach', 2022), {
    type: 'SetProgrammeTargets',
    data: AWRACH_TARGETS,
    metadata: seedMetadata('awrach-targets-2022', now),
  });
  await handleAt(at, committeeDecider, committeeStreamId(REGIONAL.committeeId), {
    type: 'EstablishCommittee',
    data: REGIONAL,
    metadata: seedMetadata('awrach-regional', now),
  });
  const parent = parentFrom(
    (await loadAggregate(at(now), committeeDecider, committeeStreamId(REGIONAL.committeeId))).state,
  );
  await handleAt(at, committeeDecider, committeeStreamId(TECHNICAL.committeeId), {
    type: 'EstablishCommittee',
    data: { ...TECHNICAL, ...(parent ? { parent } : {}) },
    metadata: seedMetadata('awrach-technical', now),
  });
  await handleAt(at, committeeDecider, committeeStreamId(REGIONAL.committeeId), {
    type: 'HoldMeeting',
    data: FIRST_MEETING,
    metadata: seedMetadata('awrach-first-meeting', now),
  });
  for (const decision of FIRST_DECISIONS) {
    await handleAt(at, committeeDecider, committeeStreamId(REGIONAL.committeeId), {
      type: 'RecordDecision',
      data: decision,
      metadata: seedMetadata(`awrach-decision-${decision.decisionNumber}`, '2022-04-22T12:00:00.000Z'),
    });
  }
};
