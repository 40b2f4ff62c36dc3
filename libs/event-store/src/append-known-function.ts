/** SQLSTATE of es.append_known when a head it was given has moved: nothing was written. */
export const HEAD_MOVED = 'TS001';

/**
 * `es.append_known`: an append that is the whole of its transaction and whose every head the caller
 * knows, the common case (a new stream, or the next event of a stream this process just read or
 * wrote). It writes first and lets the writes check: a head claimed as new fails the heads' key if
 * it exists, as a stored event id fails its own (SQLSTATE 23505 both: es.append, which looks before
 * it writes, then answers), and a head moved on must still be the one given (version and hash,
 * compared again after any lock wait).
 *
 * New heads go in by a plain INSERT, not ON CONFLICT DO NOTHING: the speculative insertion that
 * clause takes probes the key first and logs each row twice. The function's server CPU time for
 * 1,000 new streams of one event, 60 calls of each form alternating on one connection (measured from
 * the backend's schedstat, PostgreSQL 15, 2026-12-07): 19.4 ms against 21.4 ms.
 *
 * It answers the events' global positions in the order given, or, when a head to move on was not
 * as given, no positions and `moved`: `stored`, whether one of the event ids is stored, and `heads`,
 * each head it did not write as it is now ([stream id, version, hash]; version null for no such
 * stream). Then it has written nothing, unless it had already claimed or moved another head of the
 * append: that it undoes by failing with HEAD_MOVED, whose detail is the same JSON.
 *
 * es.append finds all that out before it writes, which costs more: server CPU time for an append of
 * 1,000 new streams of one event, PostgreSQL 15 here, commits not waiting for their flush, was
 * 19-21 ms against 24-25 ms (pgbench, 2026-12-05, rows made in SQL and their cost subtracted). Of
 * those, the event rows' five indexes take about 10 ms and the heads about 4 ms. A single stream
 * takes a plain statement instead (append-known.ts).
 *
 * Arguments, per stream in stream id order (so that two appends take shared heads in one order):
 * the head the chain was computed from (version -1 for a new stream) and the head after the append.
 * Per event, in the order to store: its stream, position, id, type, schema version, data and
 * metadata (two JSON arrays), the previous link and its own. Then the recorded time, and channels
 * to NOTIFY inside the transaction (null: the caller wakes subscribers after its commit).
 *
 * es.append also refuses a stream whose head was written by a transaction younger than its own,
 * since commit-ordered reads would deliver its link first. Here that cannot happen: the transaction
 * gets its id during this call, and the head it is given was learned before the call, from a
 * transaction that had its id by then (its own append had returned). A head written since by a
 * younger transaction is another version, and fails the comparison.
 */
export const APPEND_KNOWN_FUNCTION_SQL = `
CREATE OR REPLACE FUNCTION es.append_known(
  p_streams         text[],
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
  OUT positions     bigint[],
  OUT moved         jsonb
)
LANGUAGE plpgsql
-- As for es.append (append-function.ts): one plan per connection, every row reached by key.
SET plan_cache_mode = force_generic_plan
SET enable_seqscan = off
AS $fn$
DECLARE
  v_heads bigint;
BEGIN
  WITH
    claimed AS (
      INSERT INTO es.streams (stream_id, category, version, last_hash, updated_at)
      SELECT s.stream_id, left(s.stream_id, strpos(s.stream_id, '-') - 1), s.next_version, decode(s.next_hash, 'hex'),
             p_recorded_at
        FROM unnest(p_streams, p_head_versions, p_next_versions, p_next_hashes)
               AS s(stream_id, head_version, next_version, next_hash)
       WHERE s.head_version = -1
      RETURNING 1),
    advanced AS (
      UPDATE es.streams h
         SET version = s.next_version, last_hash = decode(s.next_hash, 'hex'), updated_at = p_recorded_at
        FROM unnest(p_streams, p_head_versions, p_head_hashes, p_next_versions, p_next_hashes)
               AS s(stream_id, head_version, head_hash, next_version, next_hash)
       WHERE s.head_version <> -1 AND h.stream_id = s.stream_id
         AND h.version = s.head_version AND h.last_hash = decode(s.head_hash, 'hex')
      RETURNING 1),
    heads AS (SELECT (SELECT count(*) FROM claimed) + (SELECT count(*) FROM advanced) AS n),
    inserted AS (
      INSERT INTO es.events (stream_id, category, stream_position, event_id, type, schema_version, data, metadata,
                             recorded_at, prev_hash, hash)
      SELECT r.stream_id, left(r.stream_id, strpos(r.stream_id, '-') - 1), r.pos, r.id, r.type, r.ver,
             p_data -> (r.o::integer - 1), p_metadata -> (r.o::integer - 1), p_recorded_at,
             decode(r.prev, 'hex'), decode(r.hash, 'hex')
        FROM unnest(p_row_streams, p_positions, p_event_ids, p_types, p_schema_versions, p_prev_hashes, p_hashes)
               WITH ORDINALITY AS r(stream_id, pos, id, type, ver, prev, hash, o)
       WHERE (SELECT n FROM heads) = cardinality(p_streams)
       ORDER BY r.o
      RETURNING es.events.global_position)
  SELECT (SELECT n FROM heads), (SELECT array_agg(i.global_position ORDER BY i.global_position) FROM inserted i)
    INTO v_heads, positions;
  IF v_heads <> cardinality(p_streams) THEN
    -- The heads this call did not write, as committed now (a statement of its own sees them).
    SELECT jsonb_build_object(
             'stored', EXISTS (SELECT 1 FROM es.events e WHERE e.event_id = ANY(p_event_ids)),
             'heads', jsonb_agg(jsonb_build_array(s.stream_id, h.version, encode(h.last_hash, 'hex'))))
      INTO moved
      FROM unnest(p_streams) AS s(stream_id)
      LEFT JOIN es.streams h ON h.stream_id = s.stream_id
     WHERE h.xmin IS DISTINCT FROM pg_current_xact_id()::xid;
    -- Heads this call claimed or moved must not stay without their events.
    IF v_heads > 0 THEN
      RAISE EXCEPTION 'a stream head of this append has moved' USING ERRCODE = '${HEAD_MOVED}', DETAIL = moved::text;
    END IF;
    RETURN;
  END IF;
  IF p_notify IS NOT NULL THEN
    PERFORM pg_notify(c, '') FROM unnest(p_notify) AS c;
  END IF;
END
$fn$;
`;
