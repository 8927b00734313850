// Purpose: record a batch of lineage edges, idempotent on edge id. A new edge gets every field; an
//   edge recorded again changes nothing, except that a non-null validTo closes it (a null validTo
//   never reopens a closed edge).
// Parameters: $edges, a list of maps
//   { id: string, upstreamKey: string, upstreamType: string, upstreamId: string,
//     downstreamKey: string, downstreamType: string, downstreamId: string,
//     kind: string, role: string | null, properties: string (JSON object),
//     validFrom: integer (epoch ms), validTo: integer (epoch ms) | null }
//   where a node key is "<type>:<id>".
// Returns: nothing.
UNWIND $edges AS e
MERGE (u:LineageNode {key: e.upstreamKey})
  ON CREATE SET u.type = e.upstreamType, u.id = e.upstreamId
MERGE (d:LineageNode {key: e.downstreamKey})
  ON CREATE SET d.type = e.downstreamType, d.id = e.downstreamId
MERGE (u)-[r:LINEAGE {id: e.id}]->(d)
  ON CREATE SET
    r.kind = e.kind,
    r.role = e.role,
    r.properties = e.properties,
    r.validFrom = e.validFrom,
    r.validTo = e.validTo
  ON MATCH SET r.validTo = coalesce(e.validTo, r.validTo)
