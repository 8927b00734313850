// Purpose: make the node key unique (run at start-up; IF NOT EXISTS keeps it idempotent). Its backing
//   range index is what every frontier lookup and every MERGE of a node seeks on.
// Parameters: none.
// Returns: nothing.
CREATE CONSTRAINT lineage_node_key IF NOT EXISTS
FOR (n:LineageNode) REQUIRE n.key IS UNIQUE
