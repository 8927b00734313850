// Purpose: empty the projection before a rebuild: every LineageNode and its LINEAGE relationships,
//   in transactions of bounded size so that a large graph does not need one huge transaction.
//   Must run in an auto-commit (implicit) transaction: CALL … IN TRANSACTIONS requires it.
// Parameters: none.
// Returns: nothing.
MATCH (n:LineageNode)
CALL (n) {
  DETACH DELETE n
} IN TRANSACTIONS OF 5000 ROWS
