// Purpose: make the edge id unique across all LINEAGE relationships (run at start-up; idempotent).
//   Recording an existing edge id between different endpoints then fails instead of silently
//   creating a second edge with the same id.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT lineage_edge_id IF NOT EXISTS
FOR ()-[r:LINEAGE]-() REQUIRE r.id IS UNIQUE
