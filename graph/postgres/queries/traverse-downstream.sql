-- Nodes reachable downstream of a root over edges valid at an instant, each at its smallest depth.
-- $1 root id (uuid), $2 root type (text), $3 depth bound (int; callers pass maxDepth + 1 so that
-- the extra level reveals truncation), $4 as-of instant (timestamptz), $5 edge kinds (text[]; empty = all).
-- Returns id, type, depth. UNION (not UNION ALL) on (id, type, depth) makes cycles terminate.
WITH RECURSIVE walk(id, type, depth) AS (
  SELECT $1::uuid, $2::text, 0
  UNION
  SELECT e.downstream_id, e.downstream_type::text, walk.depth + 1
  FROM walk
  JOIN lineage_edge e ON e.upstream_id = walk.id
  WHERE walk.depth < $3
    AND e.valid_from <= $4::timestamptz
    AND (e.valid_to IS NULL OR e.valid_to > $4::timestamptz)
    AND (cardinality($5::text[]) = 0 OR e.kind::text = ANY($5::text[]))
)
SELECT id::text AS id, type, min(depth)::int AS depth FROM walk GROUP BY id, type
