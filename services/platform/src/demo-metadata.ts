import type { CommandMetadata } from '@tashghil/event-store';

/** Every demo command has a fixed id from its key, so seeding again answers each as already applied. */
export const seedMetadata = (key: string, now: string): CommandMetadata => ({
  now,
  actor: 'demo-seed',
  roles: ['admin'],
  correlationId: `demo-${key}`,
  commandId: `demo-seed:${key}`,
});
