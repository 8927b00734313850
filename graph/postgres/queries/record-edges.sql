-- Inserts edges with their own ids, or closes an existing one (validTo) when recorded again.
-- $1 ids, $2 upstream types, $3 upstream ids, $4 downstream types, $5 downstream ids, $6 kinds,
-- $7 roles (null for none), $8 properties as JSON text, $9 valid_from, $10 valid_to (null = open; a
-- null never reopens a closed edge):
-- parallel arrays. Returns nothing. (The domain services write edges themselves; this feeds tests
-- and rebuilds.)
INSERT INTO lineage_edge (id, upstream_type, upstream_id, downstream_type, downstream_id, kind, role, properties, valid_from, valid_to)
SELECT e.id, e.upstream_type::"NodeType", e.upstream_id, e.downstream_type::"NodeType", e.downstream_id,
       e.kind::"EdgeKind", e.role::"InputRole", e.properties::jsonb, e.valid_from, e.valid_to
FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[],
            $9::timestamptz[], $10::timestamptz[])
  AS e(id, upstream_type, upstream_id, downstream_type, downstream_id, kind, role, properties, valid_from, valid_to)
ON CONFLICT (id) DO UPDATE SET valid_to = COALESCE(EXCLUDED.valid_to, lineage_edge.valid_to)
