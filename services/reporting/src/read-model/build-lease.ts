import type { Queryable } from '@tashghil/event-store';

/**
 * How long a build's lease lasts without renewal; the build renews it at least every quarter of
 * that. A process that stalls longer loses it, and the next holder's token fences it out.
 */
export const LEASE_SECONDS = 60;

/** The right to build a generation: who holds it, and the token that fences out every holder before it. */
export interface BuildLease {
  readonly holder: string;
  readonly token: number;
}

/**
 * Takes the build lease (one row, reporting.build_lease) when it is free or expired, or when `holder`
 * holds it already; the token goes up at each change of holder. Undefined when another holds it.
 * Expiry is read on the database's clock, the one every replica shares.
 */
export const acquireBuildLease = async (db: Queryable, holder: string): Promise<BuildLease | undefined> => {
  const { rows } = await db.query<{ token: string }>(
    `INSERT INTO reporting.build_lease (id, holder, token, expires_at) VALUES (true, $1, 1, now() + make_interval(secs => $2))
     ON CONFLICT (id) DO UPDATE
        SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at,
            token = CASE WHEN reporting.build_lease.holder = EXCLUDED.holder THEN reporting.build_lease.token
                         ELSE reporting.build_lease.token + 1 END
      WHERE reporting.build_lease.expires_at < now() OR reporting.build_lease.holder = EXCLUDED.holder
     RETURNING token::text AS token`,
    [holder, LEASE_SECONDS],
  );
  const token = rows[0]?.token;
  return token === undefined ? undefined : { holder, token: Number(token) };
};

/** Extends the lease; false once it was lost. */
export const renewBuildLease = async (db: Queryable, lease: BuildLease): Promise<boolean> =>
  (
    await db.query(
      `UPDATE reporting.build_lease SET expires_at = now() + make_interval(secs => $3)
        WHERE holder = $1 AND token = $2 AND expires_at >= now() RETURNING 1`,
      [lease.holder, lease.token, LEASE_SECONDS],
    )
  ).rows.length > 0;

/** Whether the lease is still this one and unexpired; locks the row, so the check holds until commit. */
export const holdsBuildLease = async (q: Queryable, lease: BuildLease): Promise<boolean> =>
  (
    await q.query(
      `SELECT 1 FROM reporting.build_lease WHERE holder = $1 AND token = $2 AND expires_at >= now() FOR UPDATE`,
      [lease.holder, lease.token],
    )
  ).rows.length > 0;

/** Gives the lease up, so the next build need not wait for it to expire. */
export const releaseBuildLease = async (db: Queryable, lease: BuildLease): Promise<void> => {
  await db.query(`UPDATE reporting.build_lease SET expires_at = '-infinity' WHERE holder = $1 AND token = $2`, [
    lease.holder,
    lease.token,
  ]);
};

/** Who holds the lease while it lasts, and the generation it is building, if any. */
export const leaseHolder = async (
  db: Queryable,
): Promise<{ holder: string; schema: string | null; since: string } | undefined> => {
  const { rows } = await db.query<{ holder: string; schema_name: string | null; since: string }>(
    `SELECT l.holder, g.schema_name, g.created_at::text AS since
       FROM reporting.build_lease l
       LEFT JOIN reporting.generations g ON g.state = 'building' AND g.build_token = l.token
      WHERE l.expires_at >= now()`,
  );
  const row = rows[0];
  return row ? { holder: row.holder, schema: row.schema_name, since: row.since } : undefined;
};
