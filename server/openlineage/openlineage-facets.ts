import { createHash } from "node:crypto";
import canonicalize from "canonicalize";
import type { ColumnTransformationValue, TransformationSubtype } from "../dataset/column-transformation.js";
import { subtypeFits } from "../dataset/column-transformation.js";
import type { DatasetFormat } from "../dataset/dataset.repository.js";
import type { SchemaField } from "../dataset/schema-field.js";
import type { Facets, OpenLineageDataset, OpenLineageEvent } from "./openlineage-event.js";

/**
 * What Pedigree reads out of the standard facets into its own columns and edges. The validator
 * has checked each standard facet against its schema, so the shapes below hold when present.
 */

/** SHA-256 of the event's RFC 8785 canonical JSON: the same event, however formatted, has one hash. */
export function eventHash(event: OpenLineageEvent): string {
  return createHash("sha256")
    .update(canonicalize(event) ?? "")
    .digest("hex");
}

/** A facet unless it was sent as deleted (`_deleted: true`). */
function facet<T>(facets: Facets | undefined, name: string): T | undefined {
  const value = facets?.[name];
  return value && value._deleted !== true ? (value as T) : undefined;
}

interface SchemaFacetField {
  name: string;
  type?: string;
  description?: string;
  fields?: SchemaFacetField[];
}

/** Schema facet fields as Pedigree schema fields; nested struct fields are named `parent.child`. */
export function schemaFieldsOf(dataset: OpenLineageDataset): SchemaField[] {
  const fields = facet<{ fields?: SchemaFacetField[] }>(dataset.facets, "schema")?.fields ?? [];
  const flat: SchemaField[] = [];
  const walk = (list: SchemaFacetField[], prefix: string) => {
    for (const field of list) {
      const name = `${prefix}${field.name}`;
      flat.push({ name, type: field.type ?? "UNKNOWN", ...(field.description ? { description: field.description } : {}) });
      if (field.fields) walk(field.fields, `${name}.`);
    }
  };
  walk(fields, "");
  return flat;
}

/** The `version` dataset facet's datasetVersion (a Delta version, Iceberg snapshot id, …), if sent. */
export function datasetVersionOf(dataset: OpenLineageDataset): string | null {
  return facet<{ datasetVersion: string }>(dataset.facets, "version")?.datasetVersion ?? null;
}

/** The `symlinks` facet's other identifiers of the dataset (itself left out). */
export function symlinksOf(dataset: OpenLineageDataset): Array<{ namespace: string; name: string; type: string | null }> {
  const identifiers = facet<{ identifiers?: Array<{ namespace: string; name: string; type?: string }> }>(
    dataset.facets,
    "symlinks",
  )?.identifiers;
  return (identifiers ?? [])
    .filter((identifier) => identifier.namespace !== dataset.namespace || identifier.name !== dataset.name)
    .map((identifier) => ({ namespace: identifier.namespace, name: identifier.name, type: identifier.type ?? null }));
}

const FORMATS: Record<string, DatasetFormat> = {
  parquet: "PARQUET",
  delta: "DELTA",
  iceberg: "ICEBERG",
  csv: "CSV",
  json: "JSON",
  avro: "AVRO",
};

/** From the `storage` facet: the storage layer (iceberg, delta) first, then the file format; else OTHER. */
export function formatOf(dataset: OpenLineageDataset): DatasetFormat {
  const storage = facet<{ storageLayer?: string; fileFormat?: string }>(dataset.facets, "storage");
  return FORMATS[storage?.storageLayer?.toLowerCase() ?? ""] ?? FORMATS[storage?.fileFormat?.toLowerCase() ?? ""] ?? "OTHER";
}

/** `namespace/name`, OpenLineage's dataset identifier (`postgres://host:5432/db.schema.table`). */
export function uriOf(dataset: OpenLineageDataset): string {
  return `${dataset.namespace.replace(/\/+$/, "")}/${dataset.name}`;
}

/** Row count and size from the `outputStatistics` output facet (or the older `stats` name). */
export function outputStatisticsOf(outputFacets: Facets | undefined): { rowCount: number | null; sizeBytes: number | null } {
  const stats = facet<{ rowCount?: number; size?: number }>(outputFacets, "outputStatistics");
  return { rowCount: stats?.rowCount ?? null, sizeBytes: stats?.size ?? null };
}

/**
 * The digest that identifies a dataset version Pedigree derives from OpenLineage: a new version
 * whenever the producing run, the `version` facet or the schema changes. A run's output is the
 * run and the `version` facet alone: all the run's events describe that one version, and the
 * schema they send completes it rather than making another.
 */
export function versionDigest(producedByRunId: string | null, datasetVersion: string | null, schema: SchemaField[]): string {
  const described = producedByRunId === null ? schema.map(({ name, type }) => [name, type]) : [];
  const identity = canonicalize({ producedByRunId, datasetVersion, schema: described });
  return `openlineage:sha256:${createHash("sha256")
    .update(identity ?? "")
    .digest("hex")}`;
}

export interface RunColumns {
  nominalTime: Date | null;
  errorMessage: string | null;
  parent: { runId: string; namespace: string; name: string } | null;
}

/** Run columns from run facets: nominalTime, errorMessage, parent. */
export function runColumnsOf(facets: Facets | undefined): RunColumns {
  const nominal = facet<{ nominalStartTime: string }>(facets, "nominalTime");
  const error = facet<{ message: string }>(facets, "errorMessage");
  const parent = facet<{ run: { runId: string }; job: { namespace: string; name: string } }>(facets, "parent");
  return {
    nominalTime: nominal ? new Date(nominal.nominalStartTime) : null,
    errorMessage: error?.message ?? null,
    parent: parent ? { runId: parent.run.runId, namespace: parent.job.namespace, name: parent.job.name } : null,
  };
}

/** Job columns from job facets: the `jobType` facet's jobType (or integration) and the `documentation` description. */
export function jobColumnsOf(facets: Facets | undefined): { jobType?: string; description?: string } {
  const jobType = facet<{ jobType?: string; integration?: string }>(facets, "jobType");
  const documentation = facet<{ description: string }>(facets, "documentation");
  const type = jobType?.jobType ?? jobType?.integration;
  return { ...(type ? { jobType: type } : {}), ...(documentation ? { description: documentation.description } : {}) };
}

export interface ColumnLineageInput {
  namespace: string;
  name: string;
  field: string;
  transformations: ColumnTransformationValue[];
}

interface FacetTransformation {
  type: string;
  subtype?: string;
  description?: string;
  masking?: boolean;
}

/** The `columnLineage` facet as output field → input fields with Pedigree's transformation values. */
export function columnLineageOf(dataset: OpenLineageDataset): Array<{ field: string; inputs: ColumnLineageInput[] }> {
  const lineage = facet<{
    fields: Record<
      string,
      { inputFields: Array<{ namespace: string; name: string; field: string; transformations?: FacetTransformation[] }> }
    >;
  }>(dataset.facets, "columnLineage");
  return Object.entries(lineage?.fields ?? {}).map(([field, { inputFields }]) => {
    // One entry per input field: the facet may repeat a field (one entry per transformation).
    const inputs = new Map<string, ColumnLineageInput>();
    for (const input of inputFields) {
      const key = `${input.namespace}\u0000${input.name}\u0000${input.field}`;
      const entry = inputs.get(key) ?? { namespace: input.namespace, name: input.name, field: input.field, transformations: [] };
      entry.transformations.push(...(input.transformations ?? []).flatMap(transformationOf));
      inputs.set(key, entry);
    }
    return { field, inputs: [...inputs.values()] };
  });
}

/** DIRECT/INDIRECT transformations; a subtype outside Pedigree's list is kept in the description. */
function transformationOf(transformation: FacetTransformation): ColumnTransformationValue[] {
  const type = transformation.type.toUpperCase();
  if (type !== "DIRECT" && type !== "INDIRECT") return [];
  const subtype = transformation.subtype?.toUpperCase() as TransformationSubtype | undefined;
  const fits = subtype !== undefined && subtypeFits(type, subtype);
  const description = transformation.description ?? (subtype && !fits ? `subtype ${transformation.subtype}` : null) ?? null;
  return [{ type, subtype: fits ? subtype : null, description, masking: transformation.masking ?? false }];
}
