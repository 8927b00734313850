-- One breadth-first step of a shortest-path search: the edges valid at an instant that leave any
-- frontier node (the caller keeps visited nodes, parent pointers and the tie rule).
-- $1 frontier node ids (text[] of uuids), $2 their types (text[], parallel to $1), $3 as-of instant
-- (timestamptz), $4 edge kinds (text[]; empty = all).
-- Returns id, upstream_type, upstream_id (the frontier id as given, so the caller can look it up),
-- downstream_type, downstream_id (text), one row per edge, unordered.
SELECT e.id::text AS id, f.type AS upstream_type, f.id AS upstream_id,
       e.downstream_type::text AS downstream_type, e.downstream_id::text AS downstream_id
FROM unnest($1::text[], $2::text[]) AS f(id, type)
JOIN lineage_edge e ON e.upstream_id = f.id::uuid AND e.upstream_type::text = f.type
WHERE e.valid_from <= $3::timestamptz
  AND (e.valid_to IS NULL OR e.valid_to > $3::timestamptz)
  AND (cardinality($4::text[]) = 0 OR e.kind::text = ANY($4::text[]))
