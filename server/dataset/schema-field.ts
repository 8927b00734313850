import { z } from "zod";

/** One column of a dataset version's schema. */
export interface SchemaField {
  name: string;
  type: string;
  description?: string | null | undefined;
}

const schemaFieldsSchema = z.array(z.object({ name: z.string(), type: z.string(), description: z.string().nullish() }));

/** Parses the `schema_fields` JSON column; a malformed value is a bug, so it throws. */
export function parseSchemaFields(value: unknown): SchemaField[] {
  return schemaFieldsSchema.parse(value);
}
