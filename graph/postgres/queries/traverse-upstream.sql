-- Nodes reachable upstream of a root over edges valid at an instant, level by level.
-- $1 root id (uuid), $2 root type (text), $3 depth bound (int; callers pass maxDepth + 1 so that
-- the extra level reveals truncation), $4 as-of instant (timestamptz), $5 edge kinds (text[]; empty = all),
-- $6 most rows to read (bigint).
-- Returns id, type, depth in depth order (each recursion step adds one level), so a node's first row
-- is its smallest depth; a node reached again deeper comes back again. UNION (not UNION ALL) on
-- (id, type, depth) makes cycles terminate. No aggregate sits between the recursion and the LIMIT,
-- so Postgres stops recursing once $6 rows are out: a capped walk of a hub reads a few levels, not
-- the whole downstream closure.
WITH RECURSIVE walk(id, type, depth) AS (
  SELECT $1::uuid, $2::text, 0
  UNION
  SELECT e.upstream_id, e.upstream_type::text, walk.depth + 1
  FROM walk
  JOIN lineage_edge e ON e.downstream_id = walk.id
  WHERE walk.depth < $3
    AND e.valid_from <= $4::timestamptz
    AND (e.valid_to IS NULL OR e.valid_to > $4::timestamptz)
    AND (cardinality($5::text[]) = 0 OR e.kind::text = ANY($5::text[]))
)
SELECT id::text AS id, type, depth FROM walk LIMIT $6
