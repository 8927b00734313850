-- Adds lineage edges valid from $8 in one statement; an identical current edge (same ends, kind and
-- role: the lineage_edge_current_key index) is left as it is.
-- $1 upstream types, $2 upstream ids, $3 downstream types, $4 downstream ids, $5 kinds, $6 roles
-- (null for none), $7 properties as JSON text: parallel arrays. $8 valid_from (timestamptz).
-- Returns the edges actually inserted.
INSERT INTO lineage_edge (upstream_type, upstream_id, downstream_type, downstream_id, kind, role, properties, valid_from)
SELECT edge.upstream_type::"NodeType", edge.upstream_id, edge.downstream_type::"NodeType", edge.downstream_id,
       edge.kind::"EdgeKind", edge.role::"InputRole", edge.properties::jsonb, $8::timestamptz
FROM unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[])
  AS edge(upstream_type, upstream_id, downstream_type, downstream_id, kind, role, properties)
ON CONFLICT (upstream_id, downstream_id, kind, role) WHERE valid_to IS NULL DO NOTHING
RETURNING id::text AS id, upstream_type::text AS "upstreamType", upstream_id::text AS "upstreamId",
  downstream_type::text AS "downstreamType", downstream_id::text AS "downstreamId", kind::text AS kind,
  role::text AS role, properties, valid_from AS "validFrom", valid_to AS "validTo"
