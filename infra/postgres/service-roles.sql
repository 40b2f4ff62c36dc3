-- The services' own database roles, for the distributed mode: each logs in with its development
-- password (its own name) and is held by row-level security to its own categories once a service
-- has applied the migrations as the owner. Not for production: give each role a real password.
-- Run by infra/postgres/start.sh, and by the postgres container from /docker-entrypoint-initdb.d.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['tashghil_conventions', 'tashghil_matching', 'tashghil_subsidies', 'tashghil_reporting'] LOOP
    BEGIN
      EXECUTE format('CREATE ROLE %I', r);
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL;
    END;
    EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %L', r, r);
  END LOOP;
END
$$;
