/**
 * `es.append`: a whole append, over one stream or thousands, as one call, so that an append costs
 * one round trip plus its commit. Node seals the personal fields and computes the chain hashes from
 * the heads it believes current; under the head locks the function checks that belief, and writes
 * nothing unless every stream's expected version holds and every head is the one the chain was
 * computed from.
 *
 * Arguments, per stream (p_streams order): the expected version (an exact version, -1 for no
 * stream, -2 for any, -3 for stream exists), the head the chain was computed from (version -1 for
 * none; hash null when unknown) and the head after the append. Per event, streams one after the
 * other: its stream, position, id, type, schema version, data and metadata (two JSON arrays), the
 * previous link and its own. Then the recorded time; `p_notify`, channels to NOTIFY inside the
 * transaction for a caller that cannot wake subscribers after its commit; and `p_probe`, false to
 * let a single-stream append look for its ids only when its checks fail (see the first branch).
 *
 * When every stream is appended it answers one row, `written`, with the global positions of all
 * the events in the order given. Otherwise it writes nothing and answers one row per stream (n, in
 * the order given):
 * - `stored`: every event id was already stored in this stream (a repeat); `positions` as stored;
 * - `new`: none of its ids is stored, while another stream's are (call again with the new streams);
 * - `partly`: some of its ids are stored, or stored in another stream;
 * - `conflict`: the expected version does not hold; `version` is the stream's version;
 * - `rechain`: the expected version holds but the head is not the one given; `version` and
 *   `head_hash` are the head, locked until the transaction ends;
 * - `ok`: this stream could be appended, another could not.
 *
 * Heads are locked in stream id order, whatever the order given, so two appends over the same
 * streams never deadlock. Two races make the call fail with SQLSTATE 40001, which a retry in a new
 * transaction resolves: a stream created by a concurrent transaction after the locks were taken,
 * and a stream whose head was written by a transaction younger than this one (that transaction got
 * the lock first). The second keeps each stream's links in commit order, as `verify` checks:
 * readAll delivers a transaction's events in transaction id order.
 */
export const APPEND_FUNCTION_SQL = `
CREATE OR REPLACE FUNCTION es.retry(reason text) RETURNS text LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '%; try again', reason USING ERRCODE = 'serialization_failure';
END
$fn$;

CREATE OR REPLACE FUNCTION es.append(
  p_streams         text[],
  p_expected        bigint[],
  p_head_versions   bigint[],
  p_head_hashes     text[],
  p_next_versions   bigint[],
  p_next_hashes     text[],
  p_row_streams     text[],
  p_positions       bigint[],
  p_event_ids       uuid[],
  p_types           text[],
  p_schema_versions integer[],
  p_data            jsonb,
  p_metadata        jsonb,
  p_prev_hashes     text[],
  p_hashes          text[],
  p_recorded_at     timestamptz,
  p_notify          text[],
  p_probe           boolean
) RETURNS TABLE (n integer, status text, version bigint, head_hash text, positions bigint[])
LANGUAGE plpgsql
-- Planned once per connection: custom plans for the arrays given would be planned again at every
-- call, which cost more than running the statement (about 0.6 ms against 0.1 ms per single append
-- with PostgreSQL 15 here, 2026-12-04). Every row is reached by key; a plan made while the tables
-- were small would otherwise scan them whole for as long as the connection lives.
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $fn$
#variable_conflict use_column
DECLARE
  v_found   boolean;
  v_version bigint;
  v_hash    bytea;
  v_status  text;
BEGIN
  -- One stream, none of its ids stored: the same checks in statements small enough to cost less
  -- than the general statement's plan, whose start and end alone took twice as long for a single
  -- append (0.10 ms against 0.22 ms of function time here, 2026-12-04). Without p_probe the ids are
  -- looked for only when the checks fail; when they pass, a stored id fails the insert instead (the
  -- caller's own transaction then asks again with p_probe).
  IF cardinality(p_streams) = 1
     AND NOT (p_probe AND EXISTS (SELECT 1 FROM es.events e WHERE e.event_id = ANY(p_event_ids))) THEN
    SELECT h.version, h.last_hash INTO v_version, v_hash FROM es.streams h WHERE h.stream_id = p_streams[1] FOR UPDATE;
    v_found := FOUND;
    v_status := CASE
      WHEN NOT (CASE p_expected[1] WHEN -2 THEN true
                                   WHEN -3 THEN v_found
                                   ELSE coalesce(v_version, -1) = p_expected[1] END) THEN 'conflict'
      WHEN (CASE WHEN v_found
                 THEN p_head_versions[1] IS DISTINCT FROM v_version
                      OR decode(p_head_hashes[1], 'hex') IS DISTINCT FROM v_hash
                 ELSE p_head_versions[1] <> -1 END) THEN 'rechain'
    END;
    IF v_status IS NOT NULL THEN
      IF p_probe OR NOT EXISTS (SELECT 1 FROM es.events e WHERE e.event_id = ANY(p_event_ids)) THEN
        RETURN QUERY SELECT 1, v_status, v_version, encode(v_hash, 'hex'), NULL::bigint[];
        RETURN;
      END IF;
      -- A repeat: the general statement below answers it.
    ELSE
      RETURN QUERY
        WITH claimed AS (
               INSERT INTO es.streams (stream_id, category, version, last_hash, updated_at)
               SELECT p_streams[1], left(p_streams[1], strpos(p_streams[1], '-') - 1), p_next_versions[1],
                      decode(p_next_hashes[1], 'hex'), p_recorded_at
                WHERE NOT v_found
               ON CONFLICT (stream_id) DO NOTHING
               RETURNING 1),
             moved AS (
               UPDATE es.streams s
                  SET version = p_next_versions[1], last_hash = decode(p_next_hashes[1], 'hex'),
                      updated_at = p_recorded_at
                WHERE v_found AND s.stream_id = p_streams[1]
               RETURNING 1),
             inserted AS (
               INSERT INTO es.events (stream_id, category, stream_position, event_id, type, schema_version, data,
                                      metadata, recorded_at, prev_hash, hash)
               SELECT r.stream_id, left(r.stream_id, strpos(r.stream_id, '-') - 1), r.pos, r.id, r.type, r.ver,
                      p_data -> (r.o::integer - 1), p_metadata -> (r.o::integer - 1), p_recorded_at,
                      decode(r.prev, 'hex'), decode(r.hash, 'hex')
                 FROM unnest(p_row_streams, p_positions, p_event_ids, p_types, p_schema_versions, p_prev_hashes,
                             p_hashes) WITH ORDINALITY AS r(stream_id, pos, id, type, ver, prev, hash, o)
                WHERE v_found OR EXISTS (SELECT 1 FROM claimed)
                ORDER BY r.o
               RETURNING es.events.global_position)
        SELECT 0,
               CASE WHEN NOT v_found AND NOT EXISTS (SELECT 1 FROM claimed)
                      THEN es.retry('a stream of this append was created by a concurrent transaction')
                    WHEN v_found AND (SELECT e.tx_id FROM es.events e
                                       WHERE e.stream_id = p_streams[1] AND e.stream_position = v_version)
                                     > pg_current_xact_id()
                      THEN es.retry('a stream of this append was last written by a younger transaction')
                    ELSE 'written' END,
               NULL::bigint, NULL::text,
               (SELECT array_agg(x.global_position ORDER BY x.global_position) FROM inserted x);
      IF p_notify IS NOT NULL THEN
        PERFORM pg_notify(c, '') FROM unnest(p_notify) AS c;
      END IF;
      RETURN;
    END IF;
  END IF;

  -- Any number of streams in one statement, for the same reason.
  RETURN QUERY
  WITH
    stored AS MATERIALIZED (
      SELECT e.event_id, e.stream_id, e.stream_position, e.global_position
        FROM es.events e WHERE e.event_id = ANY(p_event_ids)),
    heads AS MATERIALIZED (
      SELECT h.stream_id, h.version, h.last_hash FROM es.streams h
       WHERE h.stream_id = ANY(p_streams) AND NOT EXISTS (SELECT 1 FROM stored)
       ORDER BY h.stream_id FOR UPDATE),
    judged AS MATERIALIZED (
      SELECT i.k, i.stream_id, i.next_version, i.next_hash, h.version, h.last_hash, last.tx_id AS last_tx,
             CASE
               WHEN NOT (CASE i.expected WHEN -2 THEN true
                                         WHEN -3 THEN h.version IS NOT NULL
                                         ELSE coalesce(h.version, -1) = i.expected END) THEN 'conflict'
               WHEN h.version IS NULL THEN CASE WHEN i.assumed = -1 THEN 'ok' ELSE 'rechain' END
               WHEN i.assumed IS DISTINCT FROM h.version OR decode(i.assumed_hash, 'hex') IS DISTINCT FROM h.last_hash
                 THEN 'rechain'
               ELSE 'ok' END AS status
        FROM unnest(p_streams, p_expected, p_head_versions, p_head_hashes, p_next_versions, p_next_hashes)
               WITH ORDINALITY AS i(stream_id, expected, assumed, assumed_hash, next_version, next_hash, k)
        LEFT JOIN heads h ON h.stream_id = i.stream_id
        LEFT JOIN es.events last ON last.stream_id = h.stream_id AND last.stream_position = h.version
       WHERE NOT EXISTS (SELECT 1 FROM stored)),
    verdict AS MATERIALIZED (
      SELECT NOT EXISTS (SELECT 1 FROM stored) AND coalesce(bool_and(j.status = 'ok'), false) AS go,
             -- Commit-ordered reads deliver a transaction's events at its id: a stream's next link
             -- from a transaction older than the one that wrote its head would be read before it.
             coalesce(bool_or(j.last_tx > pg_current_xact_id()), false) AS late,
             count(*) FILTER (WHERE j.version IS NULL) AS fresh
        FROM judged j),
    claimed AS (
      INSERT INTO es.streams (stream_id, category, version, last_hash, updated_at)
      SELECT j.stream_id, left(j.stream_id, strpos(j.stream_id, '-') - 1), j.next_version, decode(j.next_hash, 'hex'),
             p_recorded_at
        FROM judged j, verdict v
       WHERE v.go AND NOT v.late AND j.version IS NULL
       ORDER BY j.stream_id
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING 1),
    moved AS (
      UPDATE es.streams s
         SET version = j.next_version, last_hash = decode(j.next_hash, 'hex'), updated_at = p_recorded_at
        FROM judged j, verdict v
       WHERE v.go AND NOT v.late AND j.version IS NOT NULL AND s.stream_id = j.stream_id
      RETURNING 1),
    inserted AS (
      INSERT INTO es.events (stream_id, category, stream_position, event_id, type, schema_version, data, metadata,
                             recorded_at, prev_hash, hash)
      SELECT r.stream_id, left(r.stream_id, strpos(r.stream_id, '-') - 1), r.pos, r.id, r.type, r.ver,
             p_data -> (r.o::integer - 1), p_metadata -> (r.o::integer - 1), p_recorded_at,
             decode(r.prev, 'hex'), decode(r.hash, 'hex')
        FROM unnest(p_row_streams, p_positions, p_event_ids, p_types, p_schema_versions, p_prev_hashes, p_hashes)
               WITH ORDINALITY AS r(stream_id, pos, id, type, ver, prev, hash, o),
             verdict v
       WHERE v.go AND NOT v.late AND (SELECT count(*) FROM claimed) = v.fresh
       ORDER BY r.o
      RETURNING es.events.global_position)
  -- A repeat: every stream's ids, found or not.
  SELECT s.k::integer,
         CASE WHEN count(e.event_id) = 0 THEN 'new'
              WHEN count(e.event_id) = count(*) AND bool_and(e.stream_id = s.stream_id) THEN 'stored'
              ELSE 'partly' END,
         max(e.stream_position), NULL::text, array_agg(e.global_position ORDER BY r.o)
    FROM unnest(p_streams) WITH ORDINALITY AS s(stream_id, k)
    JOIN unnest(p_row_streams, p_event_ids) WITH ORDINALITY AS r(stream_id, id, o) ON r.stream_id = s.stream_id
    LEFT JOIN stored e ON e.event_id = r.id
   WHERE EXISTS (SELECT 1 FROM stored)
   GROUP BY s.k
  UNION ALL
  -- Not appended: every stream's verdict, and its head.
  SELECT j.k::integer, j.status, j.version, encode(j.last_hash, 'hex'), NULL::bigint[]
    FROM judged j, verdict v
   WHERE NOT v.go
  UNION ALL
  -- Appended, unless a race the statement cannot see past was lost.
  SELECT 0,
         CASE WHEN v.late THEN es.retry('a stream of this append was last written by a younger transaction')
              WHEN (SELECT count(*) FROM claimed) < v.fresh
                THEN es.retry('a stream of this append was created by a concurrent transaction')
              ELSE 'written' END,
         NULL::bigint, NULL::text,
         (SELECT array_agg(x.global_position ORDER BY x.global_position) FROM inserted x)
    FROM verdict v
    -- For callers that cannot wake subscribers after their commit; dropped if the statement fails.
    CROSS JOIN LATERAL (SELECT count(pg_notify(c, '')) FROM unnest(p_notify) AS c) AS notified(sent)
   WHERE v.go
   ORDER BY 1;
END
$fn$;
`;
