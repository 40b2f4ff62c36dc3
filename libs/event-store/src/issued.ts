import type { Command } from './decider';

/**
 * A command as its caller issues it, before the handler adds who, when and the ids. It is taken
 * apart type by type: `Omit` over the whole union would merge every command's data into one shape.
 */
export type Issued<C extends Command> = C extends Command ? Omit<C, 'metadata'> : never;
