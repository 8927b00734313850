// Purpose: one breadth-first step downstream: the nodes one valid edge below any frontier node that
//   the walk has not reached yet. The caller keeps the visited set and the depths.
// Parameters: $frontier (list of node keys "<type>:<id>"), $visited (keys already reached),
//   $asOf (integer, epoch ms), $kinds (list of edge kinds, or null for every kind),
//   $wantedTypes (node types the answer keeps, or null for every type),
//   $room (how many more wanted nodes the answer can take, or null for no cap).
// Returns: one row per new neighbour: key (string), type (string), id (string). When the level
//   holds more than $room wanted nodes, the walk ends at this level, and only the $room + 1 wanted
//   nodes with the smallest ids come back: the answer keeps "smallest depth, then id" and learns
//   that it was cut, without shipping a hub's thousands of neighbours over Bolt. Only that case
//   sorts (a top-N of the wanted nodes); a whole level comes back unsorted.
UNWIND $frontier AS key
MATCH (:LineageNode {key: key})-[r:LINEAGE]->(m:LineageNode)
WHERE r.validFrom <= $asOf
  AND (r.validTo IS NULL OR r.validTo > $asOf)
  AND ($kinds IS NULL OR r.kind IN $kinds)
  AND NOT m.key IN $visited
WITH DISTINCT m
WITH collect(m) AS level
WITH level, [n IN level WHERE $wantedTypes IS NULL OR n.type IN $wantedTypes] AS wanted
CALL (level, wanted) {
  WITH level, wanted WHERE $room IS NULL OR size(wanted) <= $room
  UNWIND level AS n
  RETURN n
  UNION ALL
  WITH wanted WHERE $room IS NOT NULL AND size(wanted) > $room
  UNWIND wanted AS n
  WITH n ORDER BY n.id LIMIT toInteger(coalesce($room, 0)) + 1
  RETURN n
}
RETURN n.key AS key, n.type AS type, n.id AS id
