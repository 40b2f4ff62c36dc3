export * from './given-when-then';
export * from './given-projection';
export * from './embedded';
export * from './http';
export * from './processes';
export {
  openStore,
  testBackends,
  openPgliteDatabase,
  openServerDatabase,
  TEST_MASTER_KEY,
  type Backend,
  type TestDatabase,
} from '@tashghil/event-store';
