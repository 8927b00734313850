// Purpose: one breadth-first step upstream: the nodes one valid edge above any frontier node.
//   The caller keeps the visited set and the depths.
// Parameters: $frontier (list of node keys "<type>:<id>"), $asOf (integer, epoch ms),
//   $kinds (list of edge kinds, or null for every kind).
// Returns: one row per distinct neighbour: key (string), type (string), id (string).
UNWIND $frontier AS key
MATCH (:LineageNode {key: key})<-[r:LINEAGE]-(m:LineageNode)
WHERE r.validFrom <= $asOf
  AND (r.validTo IS NULL OR r.validTo > $asOf)
  AND ($kinds IS NULL OR r.kind IN $kinds)
RETURN DISTINCT m.key AS key, m.type AS type, m.id AS id
