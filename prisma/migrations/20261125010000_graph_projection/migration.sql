-- Where each graph projection (e.g. Neo4j) has got to in the graph outbox.

-- CreateTable
CREATE TABLE "graph_projection_checkpoint" (
    "projection" TEXT NOT NULL,
    "position" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "graph_projection_checkpoint_pkey" PRIMARY KEY ("projection")
);
