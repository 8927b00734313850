import { Arg, Args, Authorized, Ctx, Field, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from "type-graphql";
import { ConnectionType, toConnection } from "../graphql/connection.js";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import { PageArgs } from "../graphql/page-args.js";
import { Namespace } from "../namespace/namespace.type.js";
import {
  DatasetFilterInput,
  DatasetOrder,
  DatasetOrderField,
  DatasetVersionFilterInput,
  DatasetVersionOrder,
  DatasetVersionOrderField,
  RegisterDatasetInput,
  RegisterDatasetVersionInput,
  UpdateDatasetInput,
} from "./dataset.inputs.js";
import { Dataset, DatasetVersion } from "./dataset.type.js";

const DatasetConnection = ConnectionType(Dataset, "Dataset");
const DatasetVersionConnection = ConnectionType(DatasetVersion, "DatasetVersion");

@ObjectType()
class RegisterDatasetPayload {
  @Field(() => Dataset)
  dataset!: Dataset;

  @Field(() => Boolean, { description: "False when the dataset already existed." })
  created!: boolean;
}

@ObjectType()
class RegisterDatasetVersionPayload {
  @Field(() => DatasetVersion)
  datasetVersion!: DatasetVersion;

  @Field(() => Boolean, { description: "False when this digest was already registered: the existing version is returned." })
  created!: boolean;
}

@Resolver(() => Dataset)
export class DatasetResolver {
  @Authorized("VIEWER")
  @Query(() => DatasetConnection)
  async datasets(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => DatasetFilterInput, { nullable: true }) filter?: DatasetFilterInput,
    @Arg("orderBy", () => DatasetOrder, { nullable: true }) orderBy?: DatasetOrder,
  ) {
    const { page: result, count } = await ctx.services.datasets.list(
      {
        namespace: filter?.namespace ?? undefined,
        nameContains: filter?.nameContains ?? undefined,
        visibleNamespaceIds: ctx.access.visibleNamespaceIds(),
      },
      page,
      orderBy?.field ?? DatasetOrderField.NAME,
      orderBy?.direction ?? "asc",
    );
    return toConnection(result, Dataset.from, count);
  }

  @Authorized("VIEWER")
  @Query(() => Dataset, { nullable: true })
  async dataset(
    @Arg("namespace", () => String) namespace: string,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: RequestContext,
  ) {
    const row = await ctx.services.datasets.findByQualifiedName(namespace, name);
    return row ? Dataset.from(row) : null;
  }

  @FieldResolver(() => Namespace)
  async namespace(@Root() dataset: Dataset, @Ctx() ctx: RequestContext) {
    return Namespace.from((await ctx.loaders.namespaceById.load(dataset.namespaceKey))!);
  }

  @FieldResolver(() => DatasetVersionConnection)
  async versions(
    @Root() dataset: Dataset,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("orderBy", () => DatasetVersionOrder, { nullable: true }) orderBy?: DatasetVersionOrder,
  ) {
    const field = orderBy?.field ?? DatasetVersionOrderField.VERSION;
    const direction = orderBy?.direction ?? "desc";
    // First pages of every dataset of the tick come in one batch; later pages page inside this dataset.
    const result = page.after
      ? (await ctx.services.datasets.listVersions({ datasetId: dataset.key }, page, field, direction)).page
      : await ctx.loaders.datasetVersionPages.firstPage(dataset.key, page, field, direction);
    return toConnection(result, DatasetVersion.from, () => ctx.loaders.datasetVersionPages.count(dataset.key));
  }

  @Authorized("EDITOR")
  @Mutation(() => RegisterDatasetPayload)
  async registerDataset(@Arg("input", () => RegisterDatasetInput) input: RegisterDatasetInput, @Ctx() ctx: RequestContext) {
    const { dataset, created } = await ctx.services.datasets.register(ctx, input);
    return { dataset: Dataset.from(dataset), created };
  }

  @Authorized("EDITOR")
  @Mutation(() => Dataset)
  async updateDataset(@Arg("input", () => UpdateDatasetInput) input: UpdateDatasetInput, @Ctx() ctx: RequestContext) {
    const id = parseNodeId(input.id, "Dataset", "input.id");
    return Dataset.from(await ctx.services.datasets.update(ctx, id, { description: input.description }));
  }
}

@Resolver(() => DatasetVersion)
export class DatasetVersionResolver {
  @Authorized("VIEWER")
  @Query(() => DatasetVersionConnection)
  async datasetVersions(
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: RequestContext,
    @Arg("filter", () => DatasetVersionFilterInput, { nullable: true }) filter?: DatasetVersionFilterInput,
    @Arg("orderBy", () => DatasetVersionOrder, { nullable: true }) orderBy?: DatasetVersionOrder,
  ) {
    const datasetId = filter?.datasetId ? parseNodeId(filter.datasetId, "Dataset", "filter.datasetId") : undefined;
    const { page: result, count } = await ctx.services.datasets.listVersions(
      {
        datasetId,
        format: filter?.format ?? undefined,
        digest: filter?.digest ?? undefined,
        visibleNamespaceIds: ctx.access.visibleNamespaceIds(),
      },
      page,
      orderBy?.field ?? DatasetVersionOrderField.CREATED_AT,
      orderBy?.direction ?? "desc",
    );
    return toConnection(result, DatasetVersion.from, count);
  }

  @FieldResolver(() => Dataset)
  async dataset(@Root() version: DatasetVersion, @Ctx() ctx: RequestContext) {
    return Dataset.from((await ctx.loaders.datasetById.load(version.datasetKey))!);
  }

  @Authorized("EDITOR")
  @Mutation(() => RegisterDatasetVersionPayload)
  async registerDatasetVersion(
    @Arg("input", () => RegisterDatasetVersionInput) input: RegisterDatasetVersionInput,
    @Ctx() ctx: RequestContext,
  ) {
    const producedBy = input.producedByRunId
      ? { runId: parseNodeId(input.producedByRunId, "Run", "input.producedByRunId"), shownAs: input.producedByRunId }
      : undefined;
    const { datasetVersion, created } = await ctx.services.datasets.registerVersion(ctx, {
      namespace: input.namespace,
      dataset: input.dataset,
      uri: input.uri,
      format: input.format,
      digest: input.digest,
      schemaFields: input.schema.map((field) => ({ name: field.name, type: field.type, description: field.description ?? null })),
      rowCount: input.rowCount ?? null,
      sizeBytes: input.sizeBytes ?? null,
      snapshotRef: input.snapshotRef ?? null,
      producedBy,
    });
    return { datasetVersion: DatasetVersion.from(datasetVersion), created };
  }
}
