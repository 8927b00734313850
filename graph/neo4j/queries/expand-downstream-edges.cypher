// Purpose: one breadth-first step of a shortest-path search: every edge valid at $asOf (and of the
//   requested kinds) that leaves a frontier node. Unlike expand-downstream.cypher it returns edges,
//   not distinct neighbours, because the caller breaks ties between equally short paths by edge id.
//   The caller keeps the visited set and the parent pointers.
// Parameters: $frontier (list of node keys "<type>:<id>"), $asOf (integer, epoch ms),
//   $kinds (list of edge kinds, or null for every kind).
// Returns: one row per edge, unordered: id, upstreamType, upstreamId, downstreamType, downstreamId (strings).
UNWIND $frontier AS key
MATCH (u:LineageNode {key: key})-[r:LINEAGE]->(d:LineageNode)
WHERE r.validFrom <= $asOf
  AND (r.validTo IS NULL OR r.validTo > $asOf)
  AND ($kinds IS NULL OR r.kind IN $kinds)
RETURN r.id AS id, u.type AS upstreamType, u.id AS upstreamId, d.type AS downstreamType, d.id AS downstreamId
