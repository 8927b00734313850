// Purpose: wait until the constraints' backing indexes are online, so that the first queries seek
//   instead of scanning.
// Parameters: $timeoutSeconds (integer).
// Returns: nothing.
CALL db.awaitIndexes($timeoutSeconds)
