import type { Migration, Queryable } from '@tashghil/event-store';

/**
 * What one service's database role may write. It may read the whole store; every write it may make
 * is listed here, and row-level security holds it to these rows.
 */
export interface ServiceRole {
  readonly service: string;
  readonly role: string;
  /** It appends to the categories `<context>.*` of these contexts: the ones it relays. */
  readonly contexts: readonly string[];
  /** Consumer groups whose inbox, offsets and dead letters it writes. */
  readonly consumers: readonly string[];
  /** It seals personal data, so it creates and erases subject keys. */
  readonly personalData: boolean;
  /** Schemas of its own state; with any, it may also create schemas (read-model generations). */
  readonly schemas: readonly string[];
}

const role = (service: string, grants: Omit<ServiceRole, 'service' | 'role'>): ServiceRole => ({
  service,
  role: `tashghil_${service}`,
  ...grants,
});

/** One role per distributed service. services/platform checks this against each ServiceSpec. */
export const SERVICE_ROLES: readonly ServiceRole[] = [
  role('conventions', { contexts: ['conventions'], consumers: [], personalData: false, schemas: [] }),
  role('matching', { contexts: ['matching'], consumers: [], personalData: true, schemas: [] }),
  role('subsidies', { contexts: ['subsidies'], consumers: ['subsidies'], personalData: true, schemas: [] }),
  role('reporting', { contexts: [], consumers: ['reporting'], personalData: false, schemas: ['reporting'] }),
];

/** The development password of a service role, set by infra/: never for production. */
export const devRolePassword = (r: ServiceRole): string => r.role;

const list = (values: readonly string[]): string => `ARRAY[${values.map((v) => `'${v}'`).join(', ')}]::text[]`;
const roles = (rs: readonly ServiceRole[]): string => rs.map((r) => r.role).join(', ');

/** Checkpoints it saves: its relays' (`relay:<context>`) and its own subscriptions' (`<service>:…`). */
const ownsCheckpoint = (r: ServiceRole): string =>
  `(name = ANY(${list(r.contexts.map((c) => `relay:${c}`))}) OR starts_with(name, '${r.service}:'))`;

// The stream id must name the category it is filed under, or a role could file another context's
// stream under its own category.
const ownsCategory = (r: ServiceRole): string =>
  `(split_part(category, '.', 1) = ANY(${list(r.contexts)}) AND starts_with(stream_id, category || '-'))`;

const policy = (table: string, name: string, body: string): string =>
  `DROP POLICY IF EXISTS ${name} ON ${table};\nCREATE POLICY ${name} ON ${table} ${body};`;

const perRole = (r: ServiceRole): string[] => {
  const n = r.service;
  const consumer = `consumer = ANY(${list(r.consumers)})`;
  return [
    ...(r.contexts.length === 0
      ? []
      : [
          `GRANT INSERT ON es.events TO ${r.role};`,
          `GRANT INSERT, UPDATE (version, last_hash, updated_at) ON es.streams TO ${r.role};`,
          policy('es.events', `${n}_appends`, `FOR INSERT TO ${r.role} WITH CHECK ${ownsCategory(r)}`),
          policy('es.streams', `${n}_opens_streams`, `FOR INSERT TO ${r.role} WITH CHECK ${ownsCategory(r)}`),
          // USING true lets an append lock another context's head, so that it fails on the insert
          // below rather than finding no row and trying to claim the stream again for ever.
          policy(
            'es.streams',
            `${n}_moves_heads`,
            `FOR UPDATE TO ${r.role} USING (true) WITH CHECK ${ownsCategory(r)}`,
          ),
        ]),
    policy('es.checkpoints', `${n}_saves_checkpoints`, `FOR INSERT TO ${r.role} WITH CHECK ${ownsCheckpoint(r)}`),
    policy(
      'es.checkpoints',
      `${n}_moves_checkpoints`,
      `FOR UPDATE TO ${r.role} USING ${ownsCheckpoint(r)} WITH CHECK ${ownsCheckpoint(r)}`,
    ),
    ...(r.personalData ? [`GRANT INSERT, UPDATE (wrapped_key, erased_at) ON es.subject_keys TO ${r.role};`] : []),
    ...(r.consumers.length === 0
      ? []
      : [
          `GRANT INSERT ON msg.inbox, msg.dead_letters TO ${r.role};`,
          `GRANT INSERT, UPDATE ("offset", updated_at) ON msg.consumer_offsets TO ${r.role};`,
          policy('msg.inbox', `${n}_applies`, `FOR INSERT TO ${r.role} WITH CHECK (${consumer})`),
          policy('msg.dead_letters', `${n}_sets_aside`, `FOR INSERT TO ${r.role} WITH CHECK (${consumer})`),
          policy('msg.consumer_offsets', `${n}_saves_offsets`, `FOR INSERT TO ${r.role} WITH CHECK (${consumer})`),
          policy(
            'msg.consumer_offsets',
            `${n}_moves_offsets`,
            `FOR UPDATE TO ${r.role} USING (${consumer}) WITH CHECK (${consumer})`,
          ),
        ]),
    ...r.schemas.flatMap((s) => ownSchema(r, s)),
    ...(r.schemas.length === 0
      ? []
      : [
          `DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO ${r.role}', current_database()); END $$;`,
          adoptGenerations(r),
        ]),
  ];
};

// The schema stays the owner's, so its migrations keep running as the owner; the tables they create
// there later are granted to the service by the default privileges.
const ownSchema = (r: ServiceRole, s: string): string[] => [
  `CREATE SCHEMA IF NOT EXISTS ${s};`,
  `GRANT USAGE ON SCHEMA ${s} TO ${r.role};`,
  `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${r.role};`,
  `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r.role};`,
  `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r.role};`,
  `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT USAGE, SELECT ON SEQUENCES TO ${r.role};`,
];

/**
 * Read-model generations built before the roles existed belong to the owner; the service must own
 * them to write and drop them. Skipped, with a notice, when the migrating role cannot hand them over.
 */
const adoptGenerations = (r: ServiceRole): string => `DO $$
DECLARE s record; t record;
BEGIN
  IF NOT pg_has_role(current_user, '${r.role}', 'MEMBER') THEN
    RAISE NOTICE 'cannot hand the ${r.service} schemas to ${r.role}; alter their owner by hand';
    RETURN;
  END IF;
  FOR s IN SELECT nspname FROM pg_namespace
            WHERE nspname ~ '^${r.service}_(g[0-9]+|asof_[0-9a-f]+)$' AND nspowner <> '${r.role}'::regrole LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO ${r.role}', s.nspname);
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = s.nspname LOOP
      EXECUTE format('ALTER TABLE %I.%I OWNER TO ${r.role}', s.nspname, t.tablename);
    END LOOP;
  END LOOP;
END $$;`;

/**
 * Leases (one relay per context among the replicas), pruning the inbox, and the query models: each
 * service takes and renews only the leases of its own checkpoints, deletes only its consumers' inbox
 * rows, and creates its query-model tables in schema q, where it owns them.
 */
const leasesPruningAndQueryModels = (): string[] => [
  `GRANT SELECT, INSERT, UPDATE (holder, token, acquired_at, renewed_at, expires_at) ON msg.leases TO ${roles(SERVICE_ROLES)};`,
  `ALTER TABLE msg.leases ENABLE ROW LEVEL SECURITY;`,
  policy('msg.leases', 'services_read', `FOR SELECT TO ${roles(SERVICE_ROLES)} USING (true)`),
  ...SERVICE_ROLES.flatMap((r) => [
    policy('msg.leases', `${r.service}_takes_leases`, `FOR INSERT TO ${r.role} WITH CHECK ${ownsCheckpoint(r)}`),
    policy(
      'msg.leases',
      `${r.service}_holds_leases`,
      `FOR UPDATE TO ${r.role} USING ${ownsCheckpoint(r)} WITH CHECK ${ownsCheckpoint(r)}`,
    ),
    ...(r.consumers.length === 0
      ? []
      : [
          `GRANT DELETE ON msg.inbox TO ${r.role};`,
          policy(
            'msg.inbox',
            `${r.service}_prunes`,
            `FOR DELETE TO ${r.role} USING (consumer = ANY(${list(r.consumers)}))`,
          ),
        ]),
  ]),
  `CREATE SCHEMA IF NOT EXISTS q;`,
  `CREATE TABLE IF NOT EXISTS q.models (
     name text PRIMARY KEY, layout text NOT NULL, ready boolean NOT NULL DEFAULT false,
     claimed_at timestamptz NOT NULL DEFAULT now());`,
  `GRANT USAGE, CREATE ON SCHEMA q TO ${roles(SERVICE_ROLES)};`,
  `GRANT SELECT, INSERT, UPDATE ON q.models TO ${roles(SERVICE_ROLES)};`,
];

const ROW_SECURED = [
  'es.events',
  'es.streams',
  'es.checkpoints',
  'msg.inbox',
  'msg.consumer_offsets',
  'msg.dead_letters',
];

/**
 * Row-level security for the service roles: each appends only to its own categories and writes only
 * its own checkpoints and consumer rows; none may update, delete or truncate an event. The owner is
 * not bound (no FORCE), so the embedded mode and the migrations run as before. Applied only where
 * the roles exist (see ensureServiceRoles).
 */
export const SERVICE_ROLE_MIGRATIONS: readonly Migration[] = [
  {
    id: 'service-roles/001-row-security',
    sql: [
      `GRANT USAGE ON SCHEMA es, msg TO ${roles(SERVICE_ROLES)};`,
      `GRANT SELECT ON public.tashghil_migrations TO ${roles(SERVICE_ROLES)};`,
      `GRANT SELECT ON ALL TABLES IN SCHEMA es, msg TO ${roles(SERVICE_ROLES)};`,
      `REVOKE UPDATE, DELETE, TRUNCATE ON es.events FROM PUBLIC, ${roles(SERVICE_ROLES)};`,
      `GRANT INSERT, UPDATE (tx_id, position, updated_at) ON es.checkpoints TO ${roles(SERVICE_ROLES)};`,
      ...ROW_SECURED.flatMap((t) => [
        `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;`,
        policy(t, 'services_read', `FOR SELECT TO ${roles(SERVICE_ROLES)} USING (true)`),
      ]),
      ...SERVICE_ROLES.flatMap(perRole),
    ].join('\n'),
  },
  { id: 'service-roles/002-leases-pruning-query-models', sql: leasesPruningAndQueryModels().join('\n') },
];

/**
 * True when every service role exists, creating the missing ones (NOLOGIN: infra/ or an operator
 * gives each a password) when the connected role may create roles. The embedded store on PGlite is
 * never asked.
 */
export const ensureServiceRoles = async (db: Queryable): Promise<boolean> => {
  const missing = async (): Promise<string[]> => {
    const { rows } = await db.query<{ rolname: string }>(
      `SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])`,
      [SERVICE_ROLES.map((r) => r.role)],
    );
    const found = new Set(rows.map((r) => r.rolname));
    return SERVICE_ROLES.map((r) => r.role).filter((name) => !found.has(name));
  };
  const absent = await missing();
  if (absent.length === 0) return true;
  const { rows } = await db.query<{ may: boolean }>(
    `SELECT rolsuper OR rolcreaterole AS may FROM pg_roles WHERE rolname = current_user`,
  );
  if (!rows[0]?.may) return false;
  for (const name of absent) {
    // Two services starting together may both try; the loser finds the role made.
    await db.query(
      `DO $$ BEGIN CREATE ROLE ${name} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`,
    );
  }
  return (await missing()).length === 0;
};
