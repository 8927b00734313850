import { z } from "zod";

/**
 * How an output field depends on an input field, as the OpenLineage `columnLineage` facet names it
 * (spec/facets/ColumnLineageDatasetFacet.json, InputField.transformations): DIRECT when the output
 * value is computed from the input value, INDIRECT when the input only decides which rows or how
 * they are grouped or ordered.
 */
export const TRANSFORMATION_SUBTYPES = {
  DIRECT: ["IDENTITY", "TRANSFORMATION", "AGGREGATION"],
  INDIRECT: ["JOIN", "GROUP_BY", "FILTER", "SORT", "WINDOW", "CONDITIONAL"],
} as const;

export type TransformationType = keyof typeof TRANSFORMATION_SUBTYPES;
export type TransformationSubtype = (typeof TRANSFORMATION_SUBTYPES)[TransformationType][number];

export interface ColumnTransformationValue {
  type: TransformationType;
  subtype: TransformationSubtype | null;
  description: string | null;
  /** True when the output no longer shows the input's data (a hash of PII, say). */
  masking: boolean;
}

/** Whether the subtype belongs to the type (IDENTITY is DIRECT, FILTER is INDIRECT, …). */
export function subtypeFits(type: TransformationType, subtype: TransformationSubtype): boolean {
  return (TRANSFORMATION_SUBTYPES[type] as readonly string[]).includes(subtype);
}

/** What a DERIVES edge carries in `properties`. `runId` is the row key of the run that did the work. */
export interface DerivationProperties {
  transformations: ColumnTransformationValue[];
  runId?: string;
}

const subtypes = [...TRANSFORMATION_SUBTYPES.DIRECT, ...TRANSFORMATION_SUBTYPES.INDIRECT] as const;
const derivationPropertiesSchema = z.object({
  transformations: z.array(
    z.object({
      type: z.enum(["DIRECT", "INDIRECT"]),
      subtype: z.enum(subtypes).nullable(),
      description: z.string().nullable(),
      masking: z.boolean(),
    }),
  ),
  runId: z.string().optional(),
});

/**
 * The properties of a DERIVES edge in one canonical form: transformations without repeats, in a
 * fixed order, so that the same lineage sent twice (in any order) stores and compares equal.
 */
export function derivationProperties(transformations: ColumnTransformationValue[], runId?: string): DerivationProperties {
  const canonical = new Map<string, ColumnTransformationValue>();
  for (const t of transformations) {
    const value = { type: t.type, subtype: t.subtype, description: t.description, masking: t.masking };
    canonical.set(JSON.stringify(value), value);
  }
  const sorted = [...canonical].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
  return runId === undefined ? { transformations: sorted } : { transformations: sorted, runId };
}

/** Parses a stored DERIVES edge's properties; a malformed value is a bug, so it throws. */
export function parseDerivationProperties(value: unknown): DerivationProperties {
  const parsed = derivationPropertiesSchema.parse(value);
  return derivationProperties(parsed.transformations, parsed.runId);
}

export function sameDerivation(a: DerivationProperties, b: DerivationProperties): boolean {
  return (
    JSON.stringify(derivationProperties(a.transformations, a.runId)) ===
    JSON.stringify(derivationProperties(b.transformations, b.runId))
  );
}
