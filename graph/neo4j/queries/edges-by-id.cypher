// Purpose: edges by id, as they are recorded (no validity filter: the caller chose them at its
//   as-of instant); the edges of a shortest path. Seeks on the lineage_edge_id constraint's index.
// Parameters: $ids (list of edge ids).
// Returns: one row per id found, unordered: id, upstreamType, upstreamId, downstreamType,
//   downstreamId, kind (strings), role (string | null), properties (JSON string),
//   validFrom (integer, epoch ms), validTo (integer, epoch ms | null).
UNWIND $ids AS edgeId
MATCH (u:LineageNode)-[r:LINEAGE {id: edgeId}]->(d:LineageNode)
RETURN
  r.id AS id,
  u.type AS upstreamType,
  u.id AS upstreamId,
  d.type AS downstreamType,
  d.id AS downstreamId,
  r.kind AS kind,
  r.role AS role,
  r.properties AS properties,
  r.validFrom AS validFrom,
  r.validTo AS validTo
