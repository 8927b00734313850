// Purpose: everything upstream of a root within a number of hops, each node at its smallest depth,
//   in one statement (Neo4j's shortest-path search, one path per node), instead of one query per
//   level. Upstream closures in lineage are small (a run has a handful of inputs), so the store
//   tries this first and walks level by level only when $rowCap rows come back.
// Template: MAX_HOPS (literal integer: quantifier bounds cannot be parameters).
// Parameters: $rootKey (node key), $asOf (integer, epoch ms), $kinds (list of edge kinds, or null
//   for every kind), $rowCap (most rows to return).
// Returns: one row per node reached (the root excluded, even through a cycle): key, type, id, depth.
MATCH p = ANY SHORTEST (:LineageNode {key: $rootKey})<-[r:LINEAGE
    WHERE r.validFrom <= $asOf AND (r.validTo IS NULL OR r.validTo > $asOf) AND ($kinds IS NULL OR r.kind IN $kinds)
  ]-{1,MAX_HOPS}(m:LineageNode)
WHERE m.key <> $rootKey
RETURN m.key AS key, m.type AS type, m.id AS id, length(p) AS depth
LIMIT $rowCap
