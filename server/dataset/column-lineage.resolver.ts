import { Arg, Authorized, Ctx, Field, FieldResolver, Int, Mutation, ObjectType, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../graphql/context.js";
import { parseNodeId } from "../graphql/node-id.js";
import type { LineageEdge } from "../lineage/lineage-edge.js";
import { parseDerivationProperties } from "./column-transformation.js";
import { RegisterColumnLineageInput } from "./column-lineage.inputs.js";
import { DatasetField, FieldDerivation } from "./dataset-field.type.js";
import { DatasetVersion } from "./dataset.type.js";

@ObjectType()
class RegisterColumnLineagePayload {
  @Field(() => DatasetVersion)
  datasetVersion!: DatasetVersion;

  @Field(() => [DatasetField], { description: "The output fields, in the order the input named them." })
  fields!: DatasetField[];

  @Field(() => Int, { description: "DERIVES edges this call added; 0 when all of them were registered before." })
  addedEdges!: number;
}

@Resolver(() => DatasetField)
export class DatasetFieldResolver {
  @FieldResolver(() => DatasetVersion)
  async datasetVersion(@Root() field: DatasetField, @Ctx() ctx: RequestContext) {
    return DatasetVersion.from((await ctx.loaders.datasetVersionById.load(field.datasetVersionKey))!);
  }

  @FieldResolver(() => [FieldDerivation], {
    description: "The fields this field is computed from (current DERIVES edges into it). `lineage` walks further.",
  })
  async inputFields(@Root() field: DatasetField, @Ctx() ctx: RequestContext) {
    const edges = await visibleDerivations(ctx, await ctx.loaders.derivationsIntoField.load(field.key), "upstream");
    return edges.map((edge) => derivation(edge, edge.upstream.id));
  }

  @FieldResolver(() => [FieldDerivation], {
    description: "The fields computed from this field (current DERIVES edges out of it). `lineage` walks further.",
  })
  async outputFields(@Root() field: DatasetField, @Ctx() ctx: RequestContext) {
    const edges = await visibleDerivations(ctx, await ctx.loaders.derivationsOutOfField.load(field.key), "downstream");
    return edges.map((edge) => derivation(edge, edge.downstream.id));
  }

  @Authorized("EDITOR")
  @Mutation(() => RegisterColumnLineagePayload, {
    description: "Registers column-level lineage (field ➜ field DERIVES edges) of one output dataset version.",
  })
  async registerColumnLineage(
    @Arg("input", () => RegisterColumnLineageInput) input: RegisterColumnLineageInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RegisterColumnLineagePayload> {
    const output = {
      id: parseNodeId(input.datasetVersionId, "DatasetVersion", "input.datasetVersionId"),
      shownAs: input.datasetVersionId,
    };
    const run = input.runId ? { id: parseNodeId(input.runId, "Run", "input.runId"), shownAs: input.runId } : undefined;
    const fields = input.fields.map((field, i) => ({
      field: field.field,
      inputs: field.inputs.map((source, j) => ({
        datasetVersion: {
          id: parseNodeId(source.datasetVersionId, "DatasetVersion", `input.fields[${i}].inputs[${j}].datasetVersionId`),
          shownAs: source.datasetVersionId,
        },
        field: source.field,
        transformations: source.transformations.map((transformation) => ({
          type: transformation.type,
          subtype: transformation.subtype ?? null,
          description: transformation.description ?? null,
          masking: transformation.masking,
        })),
      })),
    }));
    const result = await ctx.services.columnLineage.register(ctx, { output, run, fields });
    return Object.assign(new RegisterColumnLineagePayload(), {
      datasetVersion: DatasetVersion.from(result.datasetVersion),
      fields: result.fields.map(DatasetField.from),
      addedEdges: result.addedEdges,
    });
  }
}

function derivation(edge: LineageEdge, otherEnd: string): FieldDerivation {
  return FieldDerivation.from(otherEnd, parseDerivationProperties(edge.properties), edge.validFrom);
}

@Resolver(() => FieldDerivation)
export class FieldDerivationResolver {
  @FieldResolver(() => DatasetField, { description: "The field at the other end of the edge." })
  async field(@Root() derivation: FieldDerivation, @Ctx() ctx: RequestContext) {
    return DatasetField.from((await ctx.loaders.datasetFieldById.load(derivation.fieldKey))!);
  }
}

/** The fields of a dataset version as lineage nodes. */
@Resolver(() => DatasetVersion)
export class DatasetVersionFieldsResolver {
  @FieldResolver(() => [DatasetField], {
    description:
      "The version's fields as lineage nodes: one per schema field, in schema order, then (for a version " +
      "registered without a schema) those that column lineage has named, by name.",
  })
  async fields(@Root() version: DatasetVersion, @Ctx() ctx: RequestContext) {
    const rows = await ctx.loaders.datasetFieldsByVersionId.load(version.key);
    // A schema that repeats a name has one field for it, at its first place (as it was created).
    const position = new Map(version.schema.map((field, index) => [field.name, index] as const).reverse());
    const rank = (name: string) => position.get(name) ?? Number.POSITIVE_INFINITY;
    // Rows arrive by name, and sort is stable: fields outside the schema stay in name order.
    return [...rows].sort((a, b) => (rank(a.name) === rank(b.name) ? 0 : rank(a.name) - rank(b.name))).map(DatasetField.from);
  }
}

/**
 * Derivations are not nodes, so the visibility middleware cannot hide them: edges whose other field
 * lies in a namespace the caller cannot read are dropped here, and so is the run of one they keep
 * when that run is hidden.
 */
async function visibleDerivations(ctx: RequestContext, edges: LineageEdge[], otherEnd: "upstream" | "downstream") {
  if (ctx.access.readsEverything() || edges.length === 0) return edges;
  const namespaces = await ctx.loaders.namespaceOfNode.loadMany(
    edges.map((edge) => ({ kind: "DatasetField" as const, key: edge[otherEnd].id })),
  );
  const readable = (namespaceId: unknown) => typeof namespaceId !== "string" || ctx.access.canRead(namespaceId);
  const kept = edges.filter((_, index) => readable(namespaces[index]));
  const runIds = kept.flatMap((edge) => {
    const runId = edge.properties?.runId;
    return typeof runId === "string" ? [runId] : [];
  });
  if (runIds.length === 0) return kept;
  const runNamespaces = await ctx.loaders.namespaceOfNode.loadMany(runIds.map((key) => ({ kind: "Run" as const, key })));
  const hiddenRuns = new Set(runIds.filter((_, index) => !readable(runNamespaces[index])));
  return kept.map((edge) => {
    if (typeof edge.properties?.runId !== "string" || !hiddenRuns.has(edge.properties.runId)) return edge;
    const { runId: _hidden, ...properties } = edge.properties;
    return { ...edge, properties };
  });
}
