-- Every edge as recorded, in id order, a page at a time (a rebuild of the projection reads them all).
-- $1 the last edge id of the previous page (uuid; all zeros for the first page), $2 page size.
-- Returns the edge columns, ordered by id.
SELECT e.id::text AS id, e.upstream_type::text AS upstream_type, e.upstream_id::text AS upstream_id,
       e.downstream_type::text AS downstream_type, e.downstream_id::text AS downstream_id, e.kind::text AS kind,
       e.role::text AS role, e.properties, e.valid_from, e.valid_to
FROM lineage_edge e
WHERE e.id > $1::uuid
ORDER BY e.id
LIMIT $2
