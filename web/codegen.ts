import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Types for every operation in web/ from the committed SDL snapshot (server/graphql/schema.graphql).
 * `npm run web:codegen` rewrites web/gql/; `npm run web:codegen:check` fails when the snapshot or an
 * operation changed without regenerating (and when an operation no longer validates against the schema).
 */
const config: CodegenConfig = {
  schema: "server/graphql/schema.graphql",
  documents: ["web/**/*.{ts,tsx}", "!web/gql/**", "!web/.next/**", "!web/node_modules/**"],
  ignoreNoDocuments: false,
  generates: {
    "web/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        scalars: { DateTime: "string", JSONObject: "Record<string, unknown>", JSON: "unknown" },
      },
    },
  },
};

export default config;
