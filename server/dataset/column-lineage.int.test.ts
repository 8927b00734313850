import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestApp, startTestApp } from "../testing/test-app.js";

const REGISTER_VERSION = `
  mutation Register($input: RegisterDatasetVersionInput!) {
    registerDatasetVersion(input: $input) { datasetVersion { id } }
  }`;

const REGISTER_LINEAGE = `
  mutation Lineage($input: RegisterColumnLineageInput!) {
    registerColumnLineage(input: $input) {
      addedEdges
      datasetVersion { id }
      fields { id name dataType }
    }
  }`;

const LINEAGE = `query($id: ID!, $direction: LineageDirection, $depth: Int, $kinds: [LineageEdgeKind!]) {
  lineage(nodeId: $id, direction: $direction, depth: $depth, edgeKinds: $kinds) {
    truncated
    nodes { id type depth node { __typename ... on DatasetField { name dataType datasetVersion { id } } } }
    edges { upstreamId downstreamId kind properties }
  }
}`;

const WRITE_TABLES = ["dataset_field", "lineage_edge", "audit_event", "graph_outbox"];

const digest = (n: number) => `sha256:${n.toString(16).padStart(64, "0")}`;
const rawKey = (globalId: string) => Buffer.from(globalId, "base64url").toString().split(":")[1]!;
const direct = (subtype: string, extra: Record<string, unknown> = {}) => ({ type: "DIRECT", subtype, ...extra });
const indirect = (subtype: string, extra: Record<string, unknown> = {}) => ({ type: "INDIRECT", subtype, ...extra });

describe("column-level lineage", () => {
  let app: TestApp;
  let nextDigest = 1;

  async function version(dataset: string, schema: Array<[string, string]>): Promise<string> {
    const result = await app.graphql(REGISTER_VERSION, {
      input: {
        namespace: "cl",
        dataset,
        uri: `s3://lake/${dataset}`,
        format: "PARQUET",
        digest: digest(nextDigest++),
        schema: schema.map(([name, type]) => ({ name, type })),
      },
    });
    expect(result.errors).toBeUndefined();
    return result.data!.registerDatasetVersion.datasetVersion.id;
  }

  async function startRun(): Promise<string> {
    const result = await app.graphql(`mutation { startRun(input: { namespace: "cl", job: "clean" }) { run { id } } }`);
    expect(result.errors).toBeUndefined();
    return result.data!.startRun.run.id;
  }

  async function fieldsOf(versionId: string): Promise<Record<string, string>> {
    const result = await app.graphql(`query($id: ID!) { node(id: $id) { ... on DatasetVersion { fields { id name } } } }`, {
      id: versionId,
    });
    expect(result.errors).toBeUndefined();
    return Object.fromEntries(result.data!.node.fields.map((field: { id: string; name: string }) => [field.name, field.id]));
  }

  /** Sends a registration that must fail; checks the code and path and that nothing was written. */
  async function refused(input: Record<string, unknown>, code: string, field: string) {
    const before = await app.countRows(WRITE_TABLES);
    const result = await app.graphql(REGISTER_LINEAGE, { input });
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({ code, field });
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
    return result.errors![0]!.message;
  }

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  describe("a registered lineage", () => {
    let raw: string;
    let clean: string;
    let run: string;
    let input: Record<string, unknown>;

    beforeAll(async () => {
      raw = await version("raw/orders", [
        ["user_id", "int64"],
        ["email", "string"],
        ["amount", "float64"],
      ]);
      clean = await version("clean/orders", [
        ["user_id", "int64"],
        ["email_hash", "string"],
        ["total", "float64"],
      ]);
      run = await startRun();
      input = {
        datasetVersionId: clean,
        runId: run,
        fields: [
          { field: "user_id", inputs: [{ datasetVersionId: raw, field: "user_id", transformations: [direct("IDENTITY")] }] },
          {
            field: "email_hash",
            inputs: [
              {
                datasetVersionId: raw,
                field: "email",
                transformations: [direct("TRANSFORMATION", { description: "sha256(email)", masking: true })],
              },
              { datasetVersionId: raw, field: "user_id", transformations: [indirect("FILTER", { description: "user_id > 0" })] },
            ],
          },
          {
            field: "total",
            inputs: [
              {
                datasetVersionId: raw,
                field: "amount",
                transformations: [direct("AGGREGATION", { description: "sum(amount)" }), indirect("WINDOW")],
              },
              { datasetVersionId: raw, field: "user_id", transformations: [indirect("GROUP_BY")] },
            ],
          },
        ],
      };
    });

    it("adds a DERIVES edge per input field with one audit event and one outbox row", async () => {
      const before = await app.countRows(WRITE_TABLES);
      const result = await app.graphql(REGISTER_LINEAGE, { input });
      expect(result.errors).toBeUndefined();
      const payload = result.data!.registerColumnLineage;
      expect(payload.addedEdges).toBe(5);
      expect(payload.datasetVersion.id).toBe(clean);
      expect(payload.fields.map((field: { name: string; dataType: string }) => [field.name, field.dataType])).toEqual([
        ["user_id", "int64"],
        ["email_hash", "string"],
        ["total", "float64"],
      ]);
      expect(await app.countRows(WRITE_TABLES)).toEqual({
        // Fields of versions with a schema exist from their registration on.
        dataset_field: before.dataset_field,
        lineage_edge: before.lineage_edge! + 5,
        audit_event: before.audit_event! + 1,
        graph_outbox: before.graph_outbox! + 1,
      });
      const { rows: audit } = await app.db.pool.query(
        "SELECT action, target_type, target_id, after FROM audit_event ORDER BY id DESC LIMIT 1",
      );
      expect(audit[0]).toMatchObject({
        action: "column_lineage.registered",
        target_type: "DatasetVersion",
        target_id: rawKey(clean),
      });
      expect(audit[0].after).toMatchObject({ datasetVersionId: rawKey(clean), runId: rawKey(run) });
      expect(audit[0].after.derivations).toHaveLength(5);
      const { rows: outbox } = await app.db.pool.query("SELECT topic, payload FROM graph_outbox ORDER BY id DESC LIMIT 1");
      expect(outbox[0].topic).toBe("column_lineage.registered");
      expect(outbox[0].payload.addedEdges).toHaveLength(5);
      expect(outbox[0].payload.addedEdges.every((edge: { kind: string }) => edge.kind === "DERIVES")).toBe(true);

      const rawFields = await fieldsOf(raw);
      const cleanFields = await fieldsOf(clean);
      const { rows: edges } = await app.db.pool.query(
        `SELECT upstream_type, downstream_type, properties FROM lineage_edge
          WHERE kind = 'DERIVES' AND upstream_id = $1::uuid AND downstream_id = $2::uuid AND valid_to IS NULL`,
        [rawKey(rawFields.amount!), rawKey(cleanFields.total!)],
      );
      expect(edges).toEqual([
        {
          upstream_type: "DATASET_FIELD",
          downstream_type: "DATASET_FIELD",
          properties: {
            transformations: [
              { type: "DIRECT", subtype: "AGGREGATION", description: "sum(amount)", masking: false },
              { type: "INDIRECT", subtype: "WINDOW", description: null, masking: false },
            ],
            runId: rawKey(run),
          },
        },
      ]);
    });

    it("lists a version's fields in schema order, each a node", async () => {
      const result = await app.graphql(
        `query($id: ID!) { node(id: $id) { ... on DatasetVersion { fields { id name dataType createdAt datasetVersion { id } } } } }`,
        { id: raw },
      );
      expect(result.errors).toBeUndefined();
      const fields = result.data!.node.fields;
      expect(fields.map((field: { name: string }) => field.name)).toEqual(["user_id", "email", "amount"]);
      expect(fields.every((field: { datasetVersion: { id: string } }) => field.datasetVersion.id === raw)).toBe(true);
      const node = await app.graphql(
        `query($id: ID!) { node(id: $id) { __typename id ... on DatasetField { name dataType } } }`,
        {
          id: fields[1].id,
        },
      );
      expect(node.data!.node).toEqual({ __typename: "DatasetField", id: fields[1].id, name: "email", dataType: "string" });
    });

    it("answers lineage from a field: upstream over DERIVES edges, with the transformations", async () => {
      const cleanFields = await fieldsOf(clean);
      const rawFields = await fieldsOf(raw);
      const result = await app.graphql(LINEAGE, { id: cleanFields.total, direction: "UPSTREAM", kinds: ["DERIVES"] });
      expect(result.errors).toBeUndefined();
      const graph = result.data!.lineage;
      expect(graph.truncated).toBe(false);
      expect(graph.nodes[0]).toMatchObject({
        id: cleanFields.total,
        type: "DATASET_FIELD",
        depth: 0,
        node: { __typename: "DatasetField", name: "total", dataType: "float64", datasetVersion: { id: clean } },
      });
      expect(
        graph.nodes
          .slice(1)
          .map((node: { node: { name: string } }) => node.node.name)
          .sort(),
      ).toEqual(["amount", "user_id"]);
      expect(
        graph.nodes
          .slice(1)
          .every((node: { depth: number; node: any }) => node.depth === 1 && node.node.datasetVersion.id === raw),
      ).toBe(true);
      const byUpstream = Object.fromEntries(graph.edges.map((edge: { upstreamId: string }) => [edge.upstreamId, edge]));
      expect(graph.edges).toHaveLength(2);
      expect(byUpstream[rawFields.user_id!]).toMatchObject({
        downstreamId: cleanFields.total,
        kind: "DERIVES",
        properties: { transformations: [{ type: "INDIRECT", subtype: "GROUP_BY", description: null, masking: false }] },
      });

      const downstream = await app.graphql(LINEAGE, { id: rawFields.user_id, direction: "DOWNSTREAM", kinds: ["DERIVES"] });
      expect(downstream.data!.lineage.nodes.map((node: { node: { name: string } }) => node.node.name).sort()).toEqual([
        "email_hash",
        "total",
        "user_id",
        "user_id",
      ]);
    });

    it("shows each field's inputs and outputs with transformations and run", async () => {
      const cleanFields = await fieldsOf(clean);
      const result = await app.graphql(
        `query($id: ID!) { node(id: $id) { ... on DatasetField {
            inputFields { field { name datasetVersion { id } } transformations { type subtype description masking } runId validFrom }
            outputFields { field { name } }
        } } }`,
        { id: cleanFields.email_hash },
      );
      expect(result.errors).toBeUndefined();
      const { inputFields, outputFields } = result.data!.node;
      expect(outputFields).toEqual([]);
      const byName = Object.fromEntries(inputFields.map((input: { field: { name: string } }) => [input.field.name, input]));
      expect(byName.email).toMatchObject({
        field: { datasetVersion: { id: raw } },
        transformations: [{ type: "DIRECT", subtype: "TRANSFORMATION", description: "sha256(email)", masking: true }],
        runId: run,
      });
      expect(byName.user_id.transformations).toEqual([
        { type: "INDIRECT", subtype: "FILTER", description: "user_id > 0", masking: false },
      ]);

      const rawFields = await fieldsOf(raw);
      const outputs = await app.graphql(
        `query($id: ID!) { node(id: $id) { ... on DatasetField { outputFields { field { name } } } } }`,
        {
          id: rawFields.user_id,
        },
      );
      expect(outputs.data!.node.outputFields.map((output: { field: { name: string } }) => output.field.name).sort()).toEqual([
        "email_hash",
        "total",
        "user_id",
      ]);
    });

    it("writes nothing when the same lineage is registered again, in any order", async () => {
      const before = await app.countRows(WRITE_TABLES);
      const again = await app.graphql(REGISTER_LINEAGE, { input });
      expect(again.errors).toBeUndefined();
      expect(again.data!.registerColumnLineage.addedEdges).toBe(0);
      const fields = input.fields as Array<{ inputs: Array<{ transformations: unknown[] }> }>;
      const reordered = {
        ...input,
        fields: [...fields].reverse().map((field) => ({
          ...field,
          inputs: [...field.inputs]
            .reverse()
            .map((source) => ({ ...source, transformations: [...source.transformations].reverse() })),
        })),
      };
      const shuffled = await app.graphql(REGISTER_LINEAGE, { input: reordered });
      expect(shuffled.errors).toBeUndefined();
      expect(shuffled.data!.registerColumnLineage.addedEdges).toBe(0);
      expect(await app.countRows(WRITE_TABLES)).toEqual(before);
    });

    it("adds only the new input fields of a later registration", async () => {
      const before = await app.countRows(WRITE_TABLES);
      const result = await app.graphql(REGISTER_LINEAGE, {
        input: {
          datasetVersionId: clean,
          runId: run,
          fields: [
            {
              field: "user_id",
              inputs: [
                { datasetVersionId: raw, field: "user_id", transformations: [direct("IDENTITY")] },
                { datasetVersionId: raw, field: "amount", transformations: [indirect("CONDITIONAL")] },
              ],
            },
          ],
        },
      });
      expect(result.errors).toBeUndefined();
      expect(result.data!.registerColumnLineage.addedEdges).toBe(1);
      expect(await app.countRows(WRITE_TABLES)).toEqual({
        ...before,
        lineage_edge: before.lineage_edge! + 1,
        audit_event: before.audit_event! + 1,
        graph_outbox: before.graph_outbox! + 1,
      });
    });

    it("refuses other transformations or another run for a registered field pair, writing nothing", async () => {
      const changed = (transformations: unknown[], runId: string | null = run) => ({
        datasetVersionId: clean,
        runId,
        fields: [
          { field: "total", inputs: [{ datasetVersionId: raw, field: "user_id", transformations: [indirect("GROUP_BY")] }] },
          { field: "user_id", inputs: [{ datasetVersionId: raw, field: "user_id", transformations }] },
        ],
      });
      const message = await refused(changed([direct("TRANSFORMATION")]), "CONFLICT", "input.fields[1].inputs[0]");
      expect(message).toBe(
        `Field "user_id" of dataset version "${clean}" is already derived from field "user_id" of dataset version "${raw}" ` +
          "with other transformations or another run; a version's lineage is immutable.",
      );
      await refused(changed([direct("IDENTITY", { masking: true })]), "CONFLICT", "input.fields[1].inputs[0]");
      await refused(changed([]), "CONFLICT", "input.fields[1].inputs[0]");
      await refused(changed([direct("IDENTITY")], await startRun()), "CONFLICT", "input.fields[0].inputs[0]");
      await refused(changed([direct("IDENTITY")], null), "CONFLICT", "input.fields[0].inputs[0]");
    });

    it("refuses bad input with a typed error naming the path, writing nothing", async () => {
      const valid = (field: string, inputs: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({
        datasetVersionId: clean,
        fields: [{ field, inputs }],
        ...extra,
      });
      const from = (field: string, extra: Record<string, unknown> = {}) => ({ datasetVersionId: raw, field, ...extra });
      const unknownVersion = Buffer.from("DatasetVersion:00000000-0000-4000-8000-000000000001").toString("base64url");
      const unknownRun = Buffer.from("Run:00000000-0000-4000-8000-000000000001").toString("base64url");

      await refused(
        { ...valid("total", [from("amount")]), datasetVersionId: unknownVersion },
        "NOT_FOUND",
        "input.datasetVersionId",
      );
      await refused(
        valid("total", [from("amount"), { datasetVersionId: unknownVersion, field: "x" }]),
        "NOT_FOUND",
        "input.fields[0].inputs[1].datasetVersionId",
      );
      await refused(valid("total", [from("amount")], { runId: unknownRun }), "NOT_FOUND", "input.runId");
      await refused(
        { ...valid("total", [from("amount")]), datasetVersionId: "not-an-id!" },
        "BAD_USER_INPUT",
        "input.datasetVersionId",
      );
      // A well-formed id of another kind of node.
      await refused({ ...valid("total", [from("amount")]), datasetVersionId: run }, "BAD_USER_INPUT", "input.datasetVersionId");
      await refused(valid("total", [from("amount")], { runId: raw }), "BAD_USER_INPUT", "input.runId");
      await refused(
        valid("total", [from("amount"), { datasetVersionId: "x", field: "amount" }]),
        "BAD_USER_INPUT",
        "input.fields[0].inputs[1].datasetVersionId",
      );

      const notInSchema = await refused(valid("revenue", [from("amount")]), "BAD_USER_INPUT", "input.fields[0].field");
      expect(notInSchema).toBe(
        `Field "input.fields[0].field" must name a field in the schema of dataset version "${clean}"; "revenue" is not one.`,
      );
      await refused(valid("total", [from("amount"), from("price")]), "BAD_USER_INPUT", "input.fields[0].inputs[1].field");
      const self = await refused(
        valid("total", [from("amount"), { datasetVersionId: clean, field: "total" }]),
        "BAD_USER_INPUT",
        "input.fields[0].inputs[1]",
      );
      expect(self).toBe(`Field "input.fields[0].inputs[1]" derives field "total" from itself.`);
      await refused({ datasetVersionId: clean, fields: [] }, "BAD_USER_INPUT", "input.fields");
      await refused(valid("total", []), "BAD_USER_INPUT", "input.fields[0].inputs");
      await refused(
        {
          datasetVersionId: clean,
          fields: [
            { field: "total", inputs: [from("amount")] },
            { field: "total", inputs: [from("email")] },
          ],
        },
        "BAD_USER_INPUT",
        "input.fields[1].field",
      );
      await refused(
        valid("total", [from("amount"), from("user_id"), from("amount")]),
        "BAD_USER_INPUT",
        "input.fields[0].inputs[2]",
      );
      const mismatch = await refused(
        valid("total", [from("amount", { transformations: [direct("AGGREGATION"), direct("FILTER")] })]),
        "BAD_USER_INPUT",
        "input.fields[0].inputs[0].transformations[1].subtype",
      );
      expect(mismatch).toBe(
        `Field "input.fields[0].inputs[0].transformations[1].subtype" must be a subtype of DIRECT (IDENTITY, TRANSFORMATION, AGGREGATION); got FILTER.`,
      );
      await refused(valid("", [from("amount")]), "BAD_USER_INPUT", "input.fields[0].field");
      await refused(
        valid("total", [from("amount", { transformations: [direct("AGGREGATION", { description: "x".repeat(10_001) })] })]),
        "BAD_USER_INPUT",
        "input.fields[0].inputs[0].transformations[0].description",
      );
    });

    it("caps the input fields of one call at 1,000", async () => {
      const inputs = (n: number) => Array.from({ length: n }, () => ({ datasetVersionId: raw, field: "amount" }));
      const total = await refused(
        {
          datasetVersionId: clean,
          fields: [
            { field: "total", inputs: inputs(600) },
            { field: "user_id", inputs: inputs(401) },
          ],
        },
        "BAD_USER_INPUT",
        "input.fields",
      );
      expect(total).toMatch(/at most 1,000 input fields in all; got 1,001/);
      await refused(
        { datasetVersionId: clean, fields: [{ field: "total", inputs: inputs(1_001) }] },
        "BAD_USER_INPUT",
        "input.fields[0].inputs",
      );
    });
  });

  it("creates the fields of a version without a schema when lineage first names them, and rolls them back on failure", async () => {
    const source = await version("schemaless/source", []);
    const target = await version("schemaless/target", []);
    expect(await fieldsOf(source)).toEqual({});
    const before = await app.countRows(WRITE_TABLES);
    const first = await app.graphql(REGISTER_LINEAGE, {
      input: {
        datasetVersionId: target,
        fields: [{ field: "b", inputs: [{ datasetVersionId: source, field: "a", transformations: [direct("IDENTITY")] }] }],
      },
    });
    expect(first.errors).toBeUndefined();
    expect(first.data!.registerColumnLineage.fields).toEqual([{ id: expect.any(String), name: "b", dataType: null }]);
    expect(await app.countRows(WRITE_TABLES)).toEqual({
      dataset_field: before.dataset_field! + 2,
      lineage_edge: before.lineage_edge! + 1,
      audit_event: before.audit_event! + 1,
      graph_outbox: before.graph_outbox! + 1,
    });
    expect(Object.keys(await fieldsOf(source))).toEqual(["a"]);

    // The new fields c and z come before the conflict is found; the transaction takes them back.
    await refused(
      {
        datasetVersionId: target,
        fields: [
          { field: "c", inputs: [{ datasetVersionId: source, field: "z" }] },
          { field: "b", inputs: [{ datasetVersionId: source, field: "a", transformations: [direct("TRANSFORMATION")] }] },
        ],
      },
      "CONFLICT",
      "input.fields[1].inputs[0]",
    );
    expect(Object.keys(await fieldsOf(target))).toEqual(["b"]);

    const more = await app.graphql(REGISTER_LINEAGE, {
      input: {
        datasetVersionId: target,
        fields: [
          { field: "c", inputs: [{ datasetVersionId: source, field: "z" }] },
          { field: "a", inputs: [{ datasetVersionId: source, field: "a" }] },
        ],
      },
    });
    expect(more.errors).toBeUndefined();
    expect(more.data!.registerColumnLineage.addedEdges).toBe(2);
    expect(Object.keys(await fieldsOf(target))).toEqual(["a", "b", "c"]);
    expect(Object.keys(await fieldsOf(source))).toEqual(["a", "z"]);
  });

  it("gives a version one field per schema name, even when the schema repeats one", async () => {
    const id = await version("repeats/name", [
      ["a", "int64"],
      ["b", "string"],
      ["a", "string"],
    ]);
    const result = await app.graphql(`query($id: ID!) { node(id: $id) { ... on DatasetVersion { fields { name dataType } } } }`, {
      id,
    });
    expect(result.data!.node.fields).toEqual([
      { name: "a", dataType: "int64" },
      { name: "b", dataType: "string" },
    ]);
  });

  it("accepts a derivation cycle across versions, and lineage walks on it terminate", async () => {
    const a = await version("cycle/a", [["x", "int64"]]);
    const b = await version("cycle/b", [["y", "int64"]]);
    const aToB = await app.graphql(REGISTER_LINEAGE, {
      input: { datasetVersionId: b, fields: [{ field: "y", inputs: [{ datasetVersionId: a, field: "x" }] }] },
    });
    const bToA = await app.graphql(REGISTER_LINEAGE, {
      input: { datasetVersionId: a, fields: [{ field: "x", inputs: [{ datasetVersionId: b, field: "y" }] }] },
    });
    expect([aToB.errors, bToA.errors]).toEqual([undefined, undefined]);
    const x = (await fieldsOf(a)).x!;
    const y = (await fieldsOf(b)).y!;
    for (const direction of ["BOTH", "UPSTREAM", "DOWNSTREAM"]) {
      const result = await app.graphql(LINEAGE, { id: x, direction, depth: 10 });
      expect(result.errors).toBeUndefined();
      const graph = result.data!.lineage;
      expect(graph.nodes.map((node: { id: string; depth: number }) => [node.id, node.depth])).toEqual([
        [x, 0],
        [y, 1],
      ]);
      expect(
        graph.edges.map((edge: { upstreamId: string; downstreamId: string }) => [edge.upstreamId, edge.downstreamId]).sort(),
      ).toEqual(
        [
          [x, y],
          [y, x],
        ].sort(),
      );
      expect(graph.truncated).toBe(false);
    }
  });

  it("adds concurrent identical registrations once", async () => {
    const source = await version("race/source", [
      ["p", "int64"],
      ["q", "int64"],
    ]);
    const target = await version("race/target", [["r", "int64"]]);
    const before = await app.countRows(WRITE_TABLES);
    const input = {
      datasetVersionId: target,
      fields: [
        {
          field: "r",
          inputs: [
            { datasetVersionId: source, field: "p", transformations: [direct("TRANSFORMATION")] },
            { datasetVersionId: source, field: "q", transformations: [indirect("JOIN")] },
          ],
        },
      ],
    };
    const results = await Promise.all(Array.from({ length: 6 }, () => app.graphql(REGISTER_LINEAGE, { input })));
    expect(results.map((result) => result.errors)).toEqual(results.map(() => undefined));
    expect(results.map((result) => result.data!.registerColumnLineage.addedEdges).sort()).toEqual([0, 0, 0, 0, 0, 2]);
    expect(await app.countRows(WRITE_TABLES)).toEqual({
      ...before,
      lineage_edge: before.lineage_edge! + 2,
      audit_event: before.audit_event! + 1,
      graph_outbox: before.graph_outbox! + 1,
    });
  });
  it("loads fields and their derivations in a constant number of statements", async () => {
    const seed = async (dataset: string, versions: number) => {
      const source = await version(`${dataset}/source`, [
        ["k", "int64"],
        ["v", "float64"],
      ]);
      for (let i = 0; i < versions; i += 1) {
        const target = await version(dataset, [
          ["k", "int64"],
          ["s", "float64"],
        ]);
        const result = await app.graphql(REGISTER_LINEAGE, {
          input: {
            datasetVersionId: target,
            fields: [
              { field: "k", inputs: [{ datasetVersionId: source, field: "k", transformations: [direct("IDENTITY")] }] },
              {
                field: "s",
                inputs: [
                  { datasetVersionId: source, field: "v", transformations: [direct("AGGREGATION")] },
                  { datasetVersionId: source, field: "k", transformations: [indirect("GROUP_BY")] },
                ],
              },
            ],
          },
        });
        expect(result.errors).toBeUndefined();
      }
    };
    const statementsFor = async (dataset: string) => {
      const before = app.db.statements.count;
      const result = await app.graphql(
        `query($name: String!) { dataset(namespace: "cl", name: $name) { versions(first: 50) { edges { node {
            fields { name inputFields { transformations { subtype } field { name datasetVersion { version } } } }
        } } } } }`,
        { name: dataset },
      );
      expect(result.errors).toBeUndefined();
      const versions = result.data!.dataset.versions.edges;
      for (const edge of versions) {
        expect(edge.node.fields.map((field: { inputFields: unknown[] }) => field.inputFields.length)).toEqual([1, 2]);
      }
      return { statements: app.db.statements.count - before, versions: versions.length };
    };
    await seed("batch/small", 2);
    await seed("batch/large", 8);
    const small = await statementsFor("batch/small");
    const large = await statementsFor("batch/large");
    expect([small.versions, large.versions]).toEqual([2, 8]);
    expect(large.statements).toBe(small.statements);
  });
});
