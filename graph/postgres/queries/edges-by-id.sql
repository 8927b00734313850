-- Edges by id, as they are recorded (no validity filter: the caller chose them at its as-of instant).
-- $1 edge ids (uuid[]).
-- Returns the edge columns, one row per id found, unordered.
SELECT e.id::text AS id, e.upstream_type::text AS upstream_type, e.upstream_id::text AS upstream_id,
       e.downstream_type::text AS downstream_type, e.downstream_id::text AS downstream_id, e.kind::text AS kind,
       e.role::text AS role, e.properties, e.valid_from, e.valid_to
FROM lineage_edge e
WHERE e.id = ANY($1::uuid[])
