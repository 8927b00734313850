-- Edges valid at an instant whose two ends are both in a node set.
-- $1 node ids (uuid[]), $2 as-of instant (timestamptz), $3 edge kinds (text[]; empty = all).
-- Returns the edge columns, ordered by id.
SELECT e.id::text AS id, e.upstream_type::text AS upstream_type, e.upstream_id::text AS upstream_id,
       e.downstream_type::text AS downstream_type, e.downstream_id::text AS downstream_id, e.kind::text AS kind,
       e.role::text AS role, e.properties, e.valid_from, e.valid_to
FROM lineage_edge e
WHERE e.upstream_id = ANY($1::uuid[]) AND e.downstream_id = ANY($1::uuid[])
  AND e.valid_from <= $2::timestamptz
  AND (e.valid_to IS NULL OR e.valid_to > $2::timestamptz)
  AND (cardinality($3::text[]) = 0 OR e.kind::text = ANY($3::text[]))
ORDER BY e.id
