import { existsSync } from 'node:fs';
import { PgliteSqlClient, PgSqlClient, type SqlClient } from '@tashghil/event-store';

/** The store the tools read: the server at DATABASE_URL, or the embedded directory of a stopped platform. */
export const openDb = async (env: NodeJS.ProcessEnv): Promise<SqlClient> => {
  if (env.DATABASE_URL) return PgSqlClient.fromUrl(env.DATABASE_URL, 2);
  const dir = env.TASHGHIL_DATA_DIR ?? './data';
  // Opening PGlite on a missing directory would create an empty store; an auditor wants to be told.
  if (!existsSync(dir))
    throw new Error(`there is no embedded store at ${dir}; run npm start once, or set DATABASE_URL`);
  return PgliteSqlClient.open(dir);
};
