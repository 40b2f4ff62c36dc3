import { z } from 'zod';
import { jobCount, programmeYear } from './limits';
import { isoDate } from './conventions.events';
import { regionCode as region } from './regions';
import { TOPICS } from './topics';

export const committeeKindSchema = z.enum(['regional', 'technical']);
export const decisionOutcomeSchema = z.enum(['approved', 'rejected', 'deferred', 'noted']);

/** A file a decision concerns, named by its kind (`convention`, `works-project`, `grant`, …) and id. */
export const fileReferenceSchema = z.object({ kind: z.string().min(1), id: z.string().min(1) });

export const committeeDecisionRecordedV1 = z.object({
  committeeId: z.string().min(1),
  region,
  programme: z.string().min(1),
  kind: committeeKindSchema,
  decisionNumber: z.string().min(1),
  meetingId: z.string().min(1).optional(),
  date: isoDate,
  subject: z.string().min(1),
  outcome: decisionOutcomeSchema,
  references: z.array(fileReferenceSchema),
  recordedBy: z.string(),
  recordedAt: z.string(),
});
export type CommitteeDecisionRecordedV1 = z.infer<typeof committeeDecisionRecordedV1>;

/** Money is integer centimes: a float never reaches an envelope. */
export const targetComponentSchema = z.object({
  component: z.string().min(1),
  targetJobs: jobCount,
  budgetCentimes: z.number().int().nonnegative().optional(),
});

/** Each set is a full revision, not a delta: a consumer keeps the highest revision it has seen. */
export const programmeTargetsSetV1 = z.object({
  region,
  programme: z.string().min(1),
  year: programmeYear,
  revision: z.number().int().positive(),
  components: z.array(targetComponentSchema).min(1),
  reference: z.string().min(1),
  effectiveDate: isoDate,
  setBy: z.string(),
  setAt: z.string(),
});
export type ProgrammeTargetsSetV1 = z.infer<typeof programmeTargetsSetV1>;

export const GOVERNANCE_CONTRACTS = {
  CommitteeDecisionRecorded: { topic: TOPICS.conventions, versions: { 1: committeeDecisionRecordedV1 } },
  ProgrammeTargetsSet: { topic: TOPICS.conventions, versions: { 1: programmeTargetsSetV1 } },
} as const;
