import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openLiveClient } from "../events/live-testing.js";
import { buildPedigreeSchema } from "../graphql/schema.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { ROLE_NAMES, type RoleName } from "./role.js";

/** The allow/deny table of docs/access-control.md: `mutation registerDataset` → roles allowed. */
function documentedMatrix(): Map<string, Set<RoleName>> {
  const doc = readFileSync(new URL("../../docs/access-control.md", import.meta.url), "utf8");
  const section = doc.split("<!-- access-matrix:start -->")[1]?.split("<!-- access-matrix:end -->")[0];
  if (!section) throw new Error("docs/access-control.md has no access-matrix section");
  const rows = section.split("\n").filter((line) => /^\| (mutation|query|subscription) /.test(line));
  const matrix = new Map<string, Set<RoleName>>();
  for (const row of rows) {
    const [operation, ...cells] = row
      .split("|")
      .slice(1, -1)
      .map((cell) => cell.trim());
    const allowed = new Set(ROLE_NAMES.filter((_, index) => cells[index] === "✓"));
    matrix.set(operation as string, allowed);
  }
  return matrix;
}

/** A value of the type that passes GraphQL validation (the resolver may still reject it). */
function sampleValue(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType);
  if (isListType(type)) return [sampleValue(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]?.name;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = sampleValue(field.type);
    }
    return value;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case "ID":
        // A well-formed id of nothing: authorization runs before the resolver finds it missing.
        return encodeNodeId("Dataset", randomUUID());
      case "Int":
      case "Float":
        return 1;
      case "Boolean":
        return false;
      case "DateTime":
        return "2030-01-01T00:00:00.000Z";
      case "JSON":
      case "JSONObject":
        return {};
      default:
        return "matrix-probe";
    }
  }
  throw new Error(`no sample for ${String(type)}`);
}

/** `mutation Probe($a: T!) { field(a: $a) { __typename } }` with sample variables for required arguments. */
function probe(kind: "query" | "mutation" | "subscription", field: GraphQLField<unknown, unknown>) {
  const required = field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  const declarations = required.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(", ");
  const passing = required.map((arg) => `${arg.name}: $${arg.name}`).join(", ");
  const selection = isCompositeType(getNamedType(field.type)) ? " { __typename }" : "";
  const query = `${kind} Probe${declarations ? `(${declarations})` : ""} { ${field.name}${passing ? `(${passing})` : ""}${selection} }`;
  const variables = Object.fromEntries(required.map((arg) => [arg.name, sampleValue(arg.type)]));
  return { query, variables };
}

function operationsOf(schema: GraphQLSchema) {
  const roots = [
    ["query", schema.getQueryType()],
    ["mutation", schema.getMutationType()],
    ["subscription", schema.getSubscriptionType()],
  ] as const;
  return roots.flatMap(([kind, type]) =>
    Object.values(type?.getFields() ?? {}).map((field) => ({ kind, name: `${kind} ${field.name}`, field })),
  );
}

type Outcome = "allowed" | "denied";

function outcomeOf(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): Outcome {
  const code = errors?.[0]?.extensions?.code;
  if (code === "UNAUTHENTICATED") throw new Error("a valid token was refused as unauthenticated");
  return code === "FORBIDDEN" ? "denied" : "allowed";
}

describe("access matrix: every operation under every role, against docs/access-control.md", () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  const bearer = new Map<RoleName, string>();
  const matrix = documentedMatrix();

  beforeAll(async () => {
    app = await startTestApp({ config: { anonymousRole: null } });
    schema = await buildPedigreeSchema();
    for (const role of ROLE_NAMES) bearer.set(role, (await app.tokenFor(role)).secret);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("lists every operation of the schema, and nothing else", () => {
    const inSchema = operationsOf(schema)
      .map((operation) => operation.name)
      .sort();
    expect([...matrix.keys()].sort()).toEqual(inSchema);
  });

  it("allows and denies every query and mutation as the table says", async () => {
    const observed: string[] = [];
    const expected: string[] = [];
    for (const operation of operationsOf(schema).filter((op) => op.kind !== "subscription")) {
      const { query, variables } = probe(operation.kind, operation.field);
      for (const role of ROLE_NAMES) {
        const response = await app.graphql(query, variables, { authorization: `Bearer ${bearer.get(role)}` });
        expect(response.status, `${operation.name} as ${role}: ${JSON.stringify(response.errors)}`).toBe(200);
        observed.push(`${operation.name} as ${role}: ${outcomeOf(response.errors)}`);
        expected.push(`${operation.name} as ${role}: ${matrix.get(operation.name)?.has(role) ? "allowed" : "denied"}`);
      }
    }
    // One comparison of the whole matrix: a failure lists every cell that differs.
    expect(observed).toEqual(expected);
  }, 120_000);

  it("allows and denies every subscription as the table says", async () => {
    const observed: string[] = [];
    const expected: string[] = [];
    for (const role of ROLE_NAMES) {
      const client = openLiveClient(app.url, { authorization: `Bearer ${bearer.get(role)}` });
      try {
        for (const operation of operationsOf(schema).filter((op) => op.kind === "subscription")) {
          const { query, variables } = probe("subscription", operation.field);
          const outcome = await new Promise<Outcome>((resolve, reject) => {
            // A subscription that is allowed and has nothing to say yet stays open: allowed.
            const timer = setTimeout(() => {
              unsubscribe();
              resolve("allowed");
            }, 1_500);
            const unsubscribe = client.subscribe(
              { query, variables },
              {
                next: (result) => {
                  clearTimeout(timer);
                  unsubscribe();
                  try {
                    resolve(outcomeOf(result.errors as never));
                  } catch (error) {
                    reject(error);
                  }
                },
                error: (error) => {
                  clearTimeout(timer);
                  try {
                    resolve(outcomeOf(Array.isArray(error) ? error : undefined));
                  } catch (thrown) {
                    reject(thrown);
                  }
                },
                complete: () => {
                  clearTimeout(timer);
                  resolve("allowed");
                },
              },
            );
          });
          observed.push(`${operation.name} as ${role}: ${outcome}`);
          expected.push(`${operation.name} as ${role}: ${matrix.get(operation.name)?.has(role) ? "allowed" : "denied"}`);
        }
      } finally {
        await client.dispose();
      }
    }
    expect(observed).toEqual(expected);
  }, 120_000);

  it("refuses callers without a token on HTTP (401) and WebSocket (4401)", async () => {
    const response = await app.graphql(`{ datasets { totalCount } }`);
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: "UNAUTHENTICATED", reason: "MISSING" });
    const client = openLiveClient(app.url);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => {
      client.on("closed", (event) => resolve(event as { code: number; reason: string }));
      client.subscribe(
        { query: "subscription { driftAlerts { alertId } }" },
        { next: () => {}, error: () => {}, complete: () => {} },
      );
    });
    await client.dispose();
    expect(closed).toMatchObject({ code: 4401, reason: "UNAUTHENTICATED: MISSING" });
  });
});
