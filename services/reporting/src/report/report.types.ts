import type { RegionCode } from '@tashghil/contracts';

/**
 * The committee report, as the API serves it and the dashboard, the CSV, the PDF pack and the
 * auditor's CLI render it. Money is integer centimes; days are whole days; keys are codes that the
 * dashboard translates (`female`, `under_25`, `own_region`, …).
 */
export interface CommitteeReport {
  /** `region: null` is the national report. */
  readonly scope: { readonly region: RegionCode | null; readonly name: { readonly fr: string; readonly ar: string } };
  /** The "as of" date asked for, or null for the live read model. */
  readonly asOf: string | null;
  /**
   * How much of the log the figures reflect, and how they were reached: `live`, the read model as it
   * is; `as_of`, its rows as they stood at the end of the day asked (each row knows from which
   * recorded instant it held and until which: nothing is replayed); `replay`, the log replayed up to
   * then into a scratch copy (the auditor's CLI, which trusts no read model).
   */
  readonly basis: {
    readonly kind: 'live' | 'as_of' | 'replay';
    /** Events the read model holds (projected ones only). */
    readonly events: number;
    /** Time of the latest event it holds, or null when it holds none. */
    readonly lastRecordedAt: string | null;
  };
  readonly generatedAt: string;
  /** Targets vs achieved: one line per programme component (per year) and per convention measure. */
  readonly targets: readonly TargetLine[];
  /** Budget committed vs paid, per budget line. */
  readonly budget: readonly BudgetLine[];
  readonly beneficiaries: Beneficiaries;
  readonly placements: { readonly total: number; readonly bySector: readonly Count[] };
  readonly flows: Flows;
  readonly processingTimes: readonly StepTime[];
  readonly worksSites: WorksSites;
  readonly decisions: Decisions;
  /** Per calendar month (`2022-05`), ascending. */
  readonly timeline: readonly TimelinePoint[];
}

export interface Count {
  readonly key: string;
  readonly count: number;
}

/**
 * `source: 'programme'` lines come from ProgrammeTargetsSet (ref `awrach/2022`, line
 * `temporary_works`); `source: 'convention'` lines from a signed convention's measures (ref the
 * convention id, line the measure id). `achievedJobs` is null where nothing recorded in Tashghil
 * measures it.
 */
export interface TargetLine {
  readonly region: RegionCode;
  readonly source: 'programme' | 'convention';
  readonly ref: string;
  readonly line: string;
  readonly label: string;
  readonly year: number | null;
  readonly targetJobs: number;
  /** Jobs held: a works enrolment, an approved grant whose contract has not ended early. */
  readonly achievedJobs: number | null;
  /** Grant jobs ended before term (GrantContractEnded), no longer achieved; null on convention lines. */
  readonly endedJobs: number | null;
}

export interface BudgetLine {
  readonly region: RegionCode;
  readonly source: 'programme' | 'convention';
  readonly ref: string;
  readonly line: string;
  readonly label: string;
  /** State and region shares where the source gives them; the budget is their sum. */
  readonly stateCentimes: number | null;
  readonly regionCentimes: number | null;
  readonly budgetCentimes: number | null;
  /** What approvals drew on the line, less what early ends released. */
  readonly committedCentimes: number;
  /** The unpaid remainder of grants ended early, released from the commitment. */
  readonly releasedCentimes: number;
  readonly paidCentimes: number;
  /** Overpayments claimed back (grants ended early, declarations corrected). */
  readonly clawedBackCentimes: number;
}

/**
 * Every programme's beneficiaries, however they arrived (DOMAIN.md): works enrolments, the hires of
 * approved grant files, and matching hires under a programme line; other placements are left out.
 * `total` and the category breakdowns count each person once; `bySource` and `byComponent` count a
 * person in each source or component they belong to, so these can add up to more than `total`.
 * A grant ended early still counts its person, who was hired under the programme; only its job
 * stops counting as achieved (`TargetLine.endedJobs`).
 */
export interface Beneficiaries {
  readonly total: number;
  readonly byGender: readonly Count[];
  readonly byAgeBand: readonly Count[];
  /** keys `yes` / `no` */
  readonly byDisability: readonly Count[];
  /** keys `diploma` / `none` */
  readonly byDiploma: readonly Count[];
  /** keys `rural` / `urban` */
  readonly byArea: readonly Count[];
  /** keys `yes` / `no` */
  readonly byLongTermUnemployment: readonly Count[];
  readonly byProvince: readonly Count[];
  /** keys `works` / `grant` / `hire` (a matching hire under a programme line); the same figures as `basis.counted`. */
  readonly bySource: readonly Count[];
  /** keys `temporary_works` (works), `lasting_integration` (grant hires), or a convention programme line (`idmaj_training_contracts`). */
  readonly byComponent: readonly Count[];
  readonly basis: BeneficiaryBasis;
}

/** How the beneficiaries were counted. Category keys also include `unknown` for an older grant file that did not carry them. */
export interface BeneficiaryBasis {
  /** The counting rule in words. */
  readonly rule: { readonly fr: string; readonly ar: string };
  /** People counted through each source: keys `works` / `grant` / `hire`. */
  readonly counted: readonly Count[];
  /** Matching hires in scope left out: no programme line applies and no approved grant names them. */
  readonly hiresLeftOut: number;
}

export interface Flows {
  /** keys `own_region` / `other_region` / `abroad` */
  readonly byFlow: readonly Count[];
  /** Origin region × destination (a region code, or `abroad`). Only non-zero cells. */
  readonly matrix: readonly {
    readonly origin: RegionCode;
    readonly destination: RegionCode | 'abroad';
    readonly count: number;
  }[];
}

/**
 * Offer pipeline steps, in days: `published_to_first_proposal`, `published_to_opened_other_regions`,
 * `published_to_first_hire`, `proposal_to_hire`. Median and 90th percentile are nearest-rank; null
 * when no offer went through the step.
 */
export interface StepTime {
  readonly step: string;
  readonly count: number;
  readonly medianDays: number | null;
  readonly p90Days: number | null;
}

export interface WorksSites {
  readonly programmed: { readonly sites: number; readonly jobs: number };
  readonly launched: { readonly sites: number; readonly jobs: number };
  readonly completed: { readonly sites: number; readonly jobs: number };
  readonly enrolled: number;
  readonly byProvince: readonly {
    readonly province: string;
    readonly programmedSites: number;
    readonly programmedJobs: number;
    readonly launchedSites: number;
    readonly launchedJobs: number;
    readonly completedSites: number;
  }[];
}

export interface Decisions {
  /** Decisions committees recorded (from their minutes, or illustrative in the demo), newest first. */
  readonly recorded: readonly {
    readonly region: RegionCode;
    readonly committeeId: string;
    readonly kind: string;
    readonly decisionNumber: string;
    readonly date: string;
    readonly subject: string;
    readonly outcome: string;
  }[];
  /** Decisions on files (works projects, grants) by kind and outcome: `grant/approved`, `works-project/rejected`… */
  readonly onFiles: readonly Count[];
}

export interface TimelinePoint {
  readonly month: string;
  readonly hires: number;
  readonly enrolments: number;
  readonly paidCentimes: number;
}
