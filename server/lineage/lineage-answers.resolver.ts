import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { CodeCommit } from "../commit/code-commit.type.js";
import { DatasetVersion } from "../dataset/dataset.type.js";
import { Deployment } from "../deployment/deployment.type.js";
import { Feature } from "../feature/feature.type.js";
import type { RequestContext } from "../graphql/context.js";
import { ModelVersion } from "../model/model.type.js";
import { Run } from "../run/run.type.js";
import {
  ImpactedDeployment,
  ModelVersionProvenance,
  Provenance,
  ProvenanceDatasetVersion,
  ProvenanceRun,
  ServingShare,
} from "./lineage-answers.type.js";

/** A lineage edge names a row that must exist (nodes are never deleted); a missing one is a bug. */
function present<Row>(row: Row | null, what: string, key: string): Row {
  if (row === null) throw new Error(`${what} ${key} is in the lineage graph but not in the database`);
  return row;
}

function presentAll<Row>(rows: Array<Row | null | Error>, what: string, keys: readonly string[]): Row[] {
  return rows.map((row, index) => {
    if (row instanceof Error) throw row;
    return present(row, what, keys[index] as string);
  });
}

// Entities behind impact, provenance and path answers, loaded through the request's DataLoaders so
// that a provenance of N model versions costs one statement per entity type, not one per node.

@Resolver(() => ImpactedDeployment)
export class ImpactedDeploymentResolver {
  @FieldResolver(() => Deployment)
  async deployment(@Root() entry: ImpactedDeployment, @Ctx() ctx: RequestContext): Promise<Deployment> {
    return Deployment.from(
      present(await ctx.loaders.deploymentById.load(entry.deploymentKey), "Deployment", entry.deploymentKey),
    );
  }
}

@Resolver(() => ServingShare)
export class ServingShareResolver {
  @FieldResolver(() => ModelVersion)
  async modelVersion(@Root() share: ServingShare, @Ctx() ctx: RequestContext): Promise<ModelVersion> {
    return ModelVersion.from(
      present(await ctx.loaders.modelVersionById.load(share.modelVersionKey), "Model version", share.modelVersionKey),
    );
  }
}

@Resolver(() => Provenance)
export class ProvenanceResolver {
  @FieldResolver(() => Deployment, {
    nullable: true,
    description: "The deployment asked about; null when asked for a model version.",
  })
  async deployment(@Root() provenance: Provenance, @Ctx() ctx: RequestContext): Promise<Deployment | null> {
    if (!provenance.deploymentKey) return null;
    const row = await ctx.loaders.deploymentById.load(provenance.deploymentKey);
    return Deployment.from(present(row, "Deployment", provenance.deploymentKey));
  }
}

@Resolver(() => ModelVersionProvenance)
export class ModelVersionProvenanceResolver {
  @FieldResolver(() => ModelVersion)
  async modelVersion(@Root() entry: ModelVersionProvenance, @Ctx() ctx: RequestContext): Promise<ModelVersion> {
    return ModelVersion.from(
      present(await ctx.loaders.modelVersionById.load(entry.modelVersionKey), "Model version", entry.modelVersionKey),
    );
  }

  @FieldResolver(() => [Feature], { description: "Features upstream, nearest first." })
  async features(@Root() entry: ModelVersionProvenance, @Ctx() ctx: RequestContext): Promise<Feature[]> {
    const rows = await ctx.loaders.featureById.loadMany(entry.featureKeys);
    return presentAll(rows, "Feature", entry.featureKeys).map(Feature.from);
  }

  @FieldResolver(() => [CodeCommit], { description: "Code commits upstream, nearest first." })
  async commits(@Root() entry: ModelVersionProvenance, @Ctx() ctx: RequestContext): Promise<CodeCommit[]> {
    const rows = await ctx.loaders.codeCommitById.loadMany(entry.commitKeys);
    return presentAll(rows, "Code commit", entry.commitKeys).map(CodeCommit.from);
  }
}

@Resolver(() => ProvenanceRun)
export class ProvenanceRunResolver {
  @FieldResolver(() => Run, { description: "The run, with its hyperparameters and metrics." })
  async run(@Root() entry: ProvenanceRun, @Ctx() ctx: RequestContext): Promise<Run> {
    return Run.from(present(await ctx.loaders.runById.load(entry.runKey), "Run", entry.runKey));
  }
}

@Resolver(() => ProvenanceDatasetVersion)
export class ProvenanceDatasetVersionResolver {
  @FieldResolver(() => DatasetVersion)
  async datasetVersion(@Root() entry: ProvenanceDatasetVersion, @Ctx() ctx: RequestContext): Promise<DatasetVersion> {
    return DatasetVersion.from(
      present(await ctx.loaders.datasetVersionById.load(entry.datasetVersionKey), "Dataset version", entry.datasetVersionKey),
    );
  }

  @FieldResolver(() => Run, { nullable: true, description: "The nearest run that read it with `role`." })
  async readBy(@Root() entry: ProvenanceDatasetVersion, @Ctx() ctx: RequestContext): Promise<Run | null> {
    if (!entry.readByRunKey) return null;
    return Run.from(present(await ctx.loaders.runById.load(entry.readByRunKey), "Run", entry.readByRunKey));
  }
}
