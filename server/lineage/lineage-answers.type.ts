import { Field, Float, Int, ObjectType } from "type-graphql";
import { DateTime } from "../graphql/scalars.js";
import { LineageDirection, LineageEdge, LineageGraph, LineageNode, LineageSource } from "./lineage.type.js";

/* Answers of impact, provenance and lineagePath. Row keys stay on the objects (not in the schema)
   so that lineage-answers.resolver.ts can hydrate the entities through the request's DataLoaders. */

@ObjectType({ description: "A model version's share of a deployment's traffic over [validFrom, validTo)." })
export class ServingShare {
  modelVersionKey!: string;

  @Field(() => Float)
  percent!: number;

  @Field(() => DateTime)
  validFrom!: Date;

  @Field(() => DateTime, { nullable: true, description: "Null while it still serves." })
  validTo!: Date | null;
}

@ObjectType({ description: "A deployment that served an impacted model version." })
export class ImpactedDeployment {
  deploymentKey!: string;

  @Field(() => Boolean, { description: "True when an impacted model version served traffic on it at `asOf`." })
  servingAt!: boolean;

  @Field(() => Float, { description: "Percent of its traffic served by impacted model versions at `asOf`." })
  trafficPercent!: number;

  @Field(() => [ServingShare], { description: "Every share an impacted model version held on it up to `asOf`, oldest first." })
  shares!: ServingShare[];
}

@ObjectType({ description: "Everything downstream of a node: what a bad input would have touched." })
export class Impact {
  @Field(() => LineageNode)
  root!: LineageNode;

  @Field(() => DateTime)
  asOf!: Date;

  @Field(() => [LineageNode], { description: "Downstream runs, nearest first." })
  runs!: LineageNode[];

  @Field(() => [LineageNode], { description: "Downstream model versions, nearest first." })
  modelVersions!: LineageNode[];

  @Field(() => [ImpactedDeployment], {
    description: "Deployments that served an impacted model version up to `asOf`: serving ones first, most traffic first.",
  })
  deployments!: ImpactedDeployment[];

  @Field(() => Boolean, { description: "True when the depth or node limit left downstream nodes out." })
  truncated!: boolean;

  @Field(() => LineageSource)
  source!: LineageSource;
}

@ObjectType({ description: "A run upstream of a model version." })
export class ProvenanceRun {
  runKey!: string;

  @Field(() => Int, { description: "Hops from the model version (1 for the run that produced it)." })
  depth!: number;
}

@ObjectType({ description: "An exact dataset version upstream of a model version." })
export class ProvenanceDatasetVersion {
  datasetVersionKey!: string;
  readByRunKey!: string | null;

  @Field(() => Int, { description: "Hops from the model version." })
  depth!: number;

  @Field(() => String, {
    nullable: true,
    description:
      "Role it was read with (TRAIN, VALIDATION, TEST, OTHER) by the nearest run that read it; null when it only fed features.",
  })
  role!: string | null;
}

@ObjectType({ description: "What stood behind one model version." })
export class ModelVersionProvenance {
  modelVersionKey!: string;
  featureKeys!: string[];
  commitKeys!: string[];

  @Field(() => Float, {
    nullable: true,
    description: "Its share of the deployment's traffic at `asOf`; null when asked for the model version itself.",
  })
  trafficPercent!: number | null;

  @Field(() => [ProvenanceRun], { description: "Runs upstream, the producing run first." })
  runs!: ProvenanceRun[];

  @Field(() => [ProvenanceDatasetVersion])
  datasetVersions!: ProvenanceDatasetVersion[];

  @Field(() => LineageGraph, { description: "The whole upstream graph, for drawing." })
  graph!: LineageGraph;
}

@ObjectType({ description: "The data, features, code and parameters behind what served (or a model version), as of a time." })
export class Provenance {
  deploymentKey!: string | null;

  @Field(() => DateTime)
  asOf!: Date;

  @Field(() => [ModelVersionProvenance], {
    description: "For a deployment, one entry per model version in its traffic split at `asOf` (largest share first).",
  })
  modelVersions!: ModelVersionProvenance[];

  @Field(() => Boolean)
  truncated!: boolean;

  @Field(() => LineageSource)
  source!: LineageSource;
}

@ObjectType({ description: "A shortest path between two lineage nodes, or none." })
export class LineagePathResult {
  @Field(() => LineageDirection, {
    nullable: true,
    description: "DOWNSTREAM when data flowed from `from` to `to`, UPSTREAM when the other way; null when not connected.",
  })
  direction!: LineageDirection | null;

  @Field(() => [LineageNode], { description: "Nodes in the order data flowed; empty when not connected." })
  nodes!: LineageNode[];

  @Field(() => [LineageEdge], { description: "Edges in the order data flowed." })
  edges!: LineageEdge[];

  @Field(() => LineageSource)
  source!: LineageSource;
}

@ObjectType({ description: "The Neo4j graph projection: how far it has got, and whether it is healthy." })
export class GraphProjectionState {
  @Field(() => Boolean, { description: "False when no graph store is configured: Postgres answers every lineage query." })
  configured!: boolean;

  @Field(() => String)
  store!: string;

  @Field(() => Float, { description: "Last graph outbox position applied." })
  position!: number;

  @Field(() => Float, { description: "Newest graph outbox position written." })
  head!: number;

  @Field(() => Int)
  lagRows!: number;

  @Field(() => Float)
  lagSeconds!: number;

  @Field(() => Boolean, { description: "True when this process runs the projector." })
  projectorRunning!: boolean;

  @Field(() => Int, { description: "Failed attempts since the last success in this process; 0 when healthy." })
  consecutiveFailures!: number;

  @Field(() => String, { nullable: true })
  lastError!: string | null;

  @Field(() => DateTime, { nullable: true })
  lastErrorAt!: Date | null;

  @Field(() => DateTime, { nullable: true })
  lastProjectedAt!: Date | null;
}
