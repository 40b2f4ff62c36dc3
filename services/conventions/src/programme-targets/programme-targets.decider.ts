import { MAX_JOBS, type IntegrationEvent, type RegionCode } from '@tashghil/contracts';
import { ValidationError, type Command, type ModelledDecider, invalidField } from '@tashghil/event-store';
import { programmeTargetsQueryModel } from './programme-targets.query-model';

/** One part of a programme, e.g. Awrach's `temporary_works` and `lasting_integration`. Money is integer centimes. */
export interface TargetComponent {
  readonly component: string;
  readonly targetJobs: number;
  readonly budgetCentimes?: number;
}

interface TargetsKey {
  readonly region: RegionCode;
  readonly programme: string;
  readonly year: number;
}

export type SetProgrammeTargets = Command<
  'SetProgrammeTargets',
  TargetsKey & {
    readonly components: readonly TargetComponent[];
    /** The legal or administrative text the figures come from. */
    readonly reference: string;
    readonly effectiveDate: string;
  }
>;

export type ProgrammeTargetsCommand = SetProgrammeTargets;

export type ProgrammeTargetsSet = IntegrationEvent<'ProgrammeTargetsSet'>;

export type ProgrammeTargetsEvent = ProgrammeTargetsSet;

export type CurrentTargets = ProgrammeTargetsSet['data'] & { readonly status: 'set' };
export type ProgrammeTargets = { readonly status: 'none' } | CurrentTargets;

/**
 * The aggregate is named `programmetargets`, one word, because a stream's category is the text
 * before its first dash: `programme-targets-…` would file these streams under
 * `conventions.programme`, a category that any later programme aggregate would then share. The
 * region is a fixed `ma-NN` and the year its last four digits, so the id stays unambiguous even when
 * the programme slug holds dashes.
 */
export const PROGRAMME_TARGETS_CATEGORY = 'conventions.programmetargets';
export const programmeTargetsStreamId = (region: string, programme: string, year: number): string =>
  `${PROGRAMME_TARGETS_CATEGORY}-${region}-${programme}-${year}`.toLowerCase();

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2100;

const initialState = (): ProgrammeTargets => ({ status: 'none' });

const evolve = (state: ProgrammeTargets, event: ProgrammeTargetsEvent): ProgrammeTargets => {
  switch (event.type) {
    case 'ProgrammeTargetsSet':
      return { status: 'set', ...event.data };
    default: {
      const _exhaustive: never = event.type;
      return state;
    }
  }
};

const failing = (code: string, message: string, paths: readonly string[], why: string): void => {
  if (paths.length)
    throw new ValidationError(
      code,
      message,
      paths.map((path) => ({ path, message: why })),
    );
};

const checkComponents = (components: readonly TargetComponent[]): void => {
  if (components.length === 0) throw invalidField('NO_COMPONENTS', 'components', 'targets name at least one component');
  const seen = new Set<string>();
  const repeated: string[] = [];
  components.forEach(({ component }, index) => {
    if (seen.has(component)) repeated.push(`components.${index}.component`);
    seen.add(component);
  });
  failing('DUPLICATE_COMPONENT', 'each component is set once', repeated, 'this component is already set');
  const numbers = components.flatMap(({ targetJobs, budgetCentimes }, index) => [
    { path: `components.${index}.targetJobs`, value: targetJobs },
    ...(budgetCentimes === undefined ? [] : [{ path: `components.${index}.budgetCentimes`, value: budgetCentimes }]),
  ]);
  // Jobs are counted and money is integer centimes: a fraction here is a unit mistake, not a rounding.
  failing(
    'NOT_AN_INTEGER',
    'targets and budgets are whole numbers',
    numbers.filter(({ value }) => !Number.isSafeInteger(value)).map(({ path }) => path),
    'must be a whole number',
  );
  failing(
    'NEGATIVE_TARGET',
    'a job target is never negative',
    components.flatMap(({ targetJobs }, index) => (targetJobs < 0 ? [`components.${index}.targetJobs`] : [])),
    'must not be negative',
  );
  failing(
    'TOO_MANY_JOBS',
    `a line targets at most ${MAX_JOBS.toLocaleString('en')} jobs`,
    components.flatMap(({ targetJobs }, index) => (targetJobs > MAX_JOBS ? [`components.${index}.targetJobs`] : [])),
    `must be at most ${MAX_JOBS.toLocaleString('en')}`,
  );
  failing(
    'NEGATIVE_BUDGET',
    'a budget is never negative',
    components.flatMap(({ budgetCentimes }, index) =>
      budgetCentimes !== undefined && budgetCentimes < 0 ? [`components.${index}.budgetCentimes`] : [],
    ),
    'must not be negative',
  );
};

const componentsKey = (components: readonly TargetComponent[]): string =>
  JSON.stringify(
    [...components]
      .sort((a, b) => a.component.localeCompare(b.component))
      .map(({ component, targetJobs, budgetCentimes }) => [component, targetJobs, budgetCentimes ?? null]),
  );

const unchanged = (data: SetProgrammeTargets['data'], current: CurrentTargets): boolean =>
  data.reference.trim() === current.reference &&
  data.effectiveDate === current.effectiveDate &&
  componentsKey(data.components) === componentsKey(current.components);

const setTargets = (command: SetProgrammeTargets, state: ProgrammeTargets): ProgrammeTargetsEvent[] => {
  const { region, programme, year, components, effectiveDate } = command.data;
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR)
    throw invalidField('YEAR_OUT_OF_RANGE', 'year', `targets are set for a year from ${MIN_YEAR} to ${MAX_YEAR}`);
  checkComponents(components);
  const reference = command.data.reference.trim();
  if (!reference)
    throw invalidField(
      'REFERENCE_REQUIRED',
      'reference',
      'targets cite the legal or administrative text they come from',
    );
  if (!effectiveDate.startsWith(`${year}-`))
    throw invalidField('DATE_OUTSIDE_PERIOD', 'effectiveDate', `${effectiveDate} is not in ${year}`);
  // Setting the same figures again (a retry, a re-import) is not a revision.
  if (state.status === 'set' && unchanged(command.data, state)) return [];
  return [
    {
      type: 'ProgrammeTargetsSet',
      schemaVersion: 1,
      data: {
        region,
        programme,
        year,
        revision: state.status === 'set' ? state.revision + 1 : 1,
        components: components.map(({ component, targetJobs, budgetCentimes }) => ({
          component,
          targetJobs,
          ...(budgetCentimes === undefined ? {} : { budgetCentimes }),
        })),
        reference,
        effectiveDate,
        setBy: command.metadata.actor,
        setAt: command.metadata.now,
      },
    },
  ];
};

const decide = (command: ProgrammeTargetsCommand, state: ProgrammeTargets): ProgrammeTargetsEvent[] => {
  switch (command.type) {
    case 'SetProgrammeTargets':
      return setTargets(command, state);
    default: {
      const _exhaustive: never = command.type;
      return [];
    }
  }
};

/** Keeps `q.programme_targets`, the list of targets, with every revision. */
export const programmeTargetsDecider: ModelledDecider<
  ProgrammeTargetsCommand,
  ProgrammeTargets,
  ProgrammeTargetsEvent
> = {
  initialState,
  evolve,
  decide,
  queryModel: programmeTargetsQueryModel,
};
