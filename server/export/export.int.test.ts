import { execFile } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { access, cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { parse as parseCsv } from "csv-parse/sync";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExport } from "../../workers/processors/export.processor.js";
import type { JobContext } from "../../workers/worker-host.js";
import { GENESIS_HASH, auditEventHash } from "../audit/audit-chain.js";
import { complianceReportDigest } from "../compliance/compliance-report.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { writeLinearModelArtifact } from "../model/model-artifact.fixtures.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { AUDIT_EXPORT_COLUMNS, csvField } from "./audit-export-format.js";

const run = promisify(execFile);
const VERIFY_SCRIPT = fileURLToPath(new URL("../../scripts/verify-audit-export.mjs", import.meta.url));

const EXPORT_FIELDS = `id kind formats filter status progress requestedBy error jobId expiresAt expired
  files { name mediaType sizeBytes sha256 downloadUrl } manifest`;
const REQUEST = `mutation($format: AuditExportFormat!, $filter: AuditExportFilterInput) {
  requestAuditExport(format: $format, filter: $filter) { ${EXPORT_FIELDS} }
}`;
const EXPORT = `query($id: ID!) { export(id: $id) { ${EXPORT_FIELDS} } }`;
const WRITE_TABLES = ["compliance_export", "audit_event", "job_record", "graph_outbox"];

/** Descriptions that need CSV quoting (comma, quotes, CR/LF) and JSON escaping. */
const AWKWARD = ['commas, "quotes" and\nnewlines', 'a "quoted" word', "line one\r\nline two, with comma", "plain é ✓"];

interface ExportView {
  id: string;
  kind: string;
  formats: string[];
  filter: Record<string, unknown>;
  status: string;
  progress: number;
  requestedBy: string;
  error: string | null;
  jobId: string | null;
  expiresAt: string;
  expired: boolean;
  files: Array<{ name: string; mediaType: string; sizeBytes: number; sha256: string; downloadUrl: string | null }>;
  manifest: Record<string, any> | null;
}

const keyOf = (id: string) => Buffer.from(id, "base64url").toString("utf8").split(":")[1]!;
const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("compliance exports of the audit log", () => {
  let app: TestApp;
  let dir: string;
  let exportDir: string;
  const tokens: Record<"ADMIN" | "AUDITOR" | "VIEWER", string> = { ADMIN: "", AUDITOR: "", VIEWER: "" };
  const namespaceIds: string[] = [];

  async function createTokens() {
    for (const role of ["ADMIN", "AUDITOR", "VIEWER"] as const) tokens[role] = (await app.tokenFor(role)).secret;
  }

  const gql = <T = Record<string, any>>(
    query: string,
    variables: Record<string, unknown> = {},
    role = "AUDITOR" as keyof typeof tokens,
  ) => app.graphql<T>(query, variables, bearer(tokens[role]));

  async function request(format: string, filter?: Record<string, unknown>): Promise<ExportView> {
    const response = await gql<{ requestAuditExport: ExportView }>(REQUEST, { format, filter });
    expect(response.errors).toBeUndefined();
    return response.data!.requestAuditExport;
  }

  async function finished(id: string): Promise<ExportView> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const response = await gql<{ export: ExportView }>(EXPORT, { id });
      expect(response.errors).toBeUndefined();
      const view = response.data!.export;
      if (view.status === "SUCCEEDED" || view.status === "FAILED") return view;
      if (Date.now() > deadline) throw new Error(`export did not finish: ${JSON.stringify(view)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  function download(path: string, headers: Record<string, string> = bearer(tokens.AUDITOR)) {
    return fetch(`${app.url}${path}`, { headers });
  }

  /** Downloads every file of a finished export into a fresh folder (what an auditor does). */
  async function downloadAll(view: ExportView): Promise<string> {
    const target = await mkdtemp(join(dir, "download-"));
    for (const file of view.files) {
      const response = await download(file.downloadUrl!);
      expect(response.status).toBe(200);
      const body = Buffer.from(await response.arrayBuffer());
      expect(response.headers.get("x-content-sha256")).toBe(sha256(body));
      expect(sha256(body)).toBe(file.sha256);
      expect(body.length).toBe(file.sizeBytes);
      await writeFile(join(target, file.name), body);
    }
    return target;
  }

  const auditRows = async (where = "TRUE", values: unknown[] = []) =>
    (
      await app.db.pool.query<Record<string, any>>(
        `SELECT id, sequence, occurred_at, actor, token_id, role, action, target_type, target_id, namespace_id, before, after,
                request_id, client_address, prev_hash, hash FROM audit_event WHERE ${where} ORDER BY id`,
        values,
      )
    ).rows;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pedigree-export-"));
    exportDir = join(dir, "exports");
    app = await startTestApp({
      // Without a token a request is refused (the production default), so downloads can be checked for 401.
      config: { inProcessWorkers: true, anonymousRole: null, exports: { dir: exportDir, ttlHours: 24 } },
    });
    await createTokens();
    for (const [i, description] of AWKWARD.entries()) {
      const response = await app.graphql(
        `mutation($input: RegisterNamespaceInput!) { registerNamespace(input: $input) { namespace { id } } }`,
        { input: { name: `export-${i}`, description } },
        bearer(tokens.ADMIN),
      );
      expect(response.errors).toBeUndefined();
      namespaceIds.push(response.data!.registerNamespace.namespace.id);
    }
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("exports the whole chain as JSONL with a manifest that matches the file, the chain and the audit trail", async () => {
    const requested = await request("JSONL");
    expect(requested).toMatchObject({ kind: "AUDIT_LOG", formats: ["JSONL"], status: "QUEUED", files: [] });
    expect(requested.jobId).not.toBeNull();
    const view = await finished(requested.id);
    expect(view.error).toBeNull();
    expect(view).toMatchObject({ status: "SUCCEEDED", progress: 100, expired: false });
    expect(view.files.map((file) => [file.name, file.mediaType])).toEqual([
      ["audit-events.jsonl", "application/x-ndjson; charset=utf-8"],
      ["manifest.json", "application/json"],
    ]);
    expect(view.files[0]!.downloadUrl).toBe(`/v1/exports/${view.id}/files/audit-events.jsonl`);

    const folder = await downloadAll(view);
    const manifest = JSON.parse(await readFile(join(folder, "manifest.json"), "utf8"));
    expect(manifest).toEqual(view.manifest);
    const data = await readFile(join(folder, "audit-events.jsonl"));
    const lines = data
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));

    // Every event up to the export's start, the export.requested event included, in chain order.
    const requestedEvent = (await auditRows("action = 'export.requested' AND target_id = $1", [keyOf(view.id)]))[0]!;
    const rows = await auditRows("id <= $1", [requestedEvent.id]);
    expect(lines.map((line) => line.sequence)).toEqual(rows.map((row) => Number(row.sequence)));
    expect(manifest).toMatchObject({
      manifestVersion: 1,
      exportId: view.id,
      kind: "AUDIT_LOG",
      format: "JSONL",
      file: "audit-events.jsonl",
      count: rows.length,
      sha256: sha256(data),
      sizeBytes: data.length,
      firstSequence: 1,
      lastSequence: rows.length,
      firstPrevHash: GENESIS_HASH,
      firstHash: rows[0]!.hash,
      lastHash: rows.at(-1)!.hash,
      contiguous: true,
      filter: {},
      chainVerification: { scope: "the exported events", ok: true, eventsChecked: rows.length, headHash: rows.at(-1)!.hash },
    });
    // Each line is the canonical document's content: it hashes to its own hash.
    for (const { hash, prevHash, ...content } of lines) {
      expect(auditEventHash({ ...content, occurredAt: new Date(content.occurredAt) }, prevHash)).toBe(hash);
    }
    const awkward = lines.filter((line) => line.action === "namespace.registered").map((line) => line.after.description);
    expect(awkward).toEqual(AWKWARD);

    const job = await gql(`query($id: ID!) { queueJob(id: $id) { queue name status progress } }`, { id: view.jobId });
    expect(job.data!.queueJob).toEqual({ queue: "exports", name: "export", status: "COMPLETED", progress: 100 });
    const trail = await auditRows("target_type = 'Export' AND target_id = $1", [keyOf(view.id)]);
    expect(trail.map((row) => row.action)).toEqual([
      "export.requested",
      "export.completed",
      "export.downloaded",
      "export.downloaded",
    ]);
    expect(trail[0]!.actor).toMatch(/^auditor-.*@test\.local$/);
    expect(trail[1]!.after).toMatchObject({ status: "SUCCEEDED", manifest: { count: rows.length, sha256: sha256(data) } });
    expect(trail[2]!.after).toMatchObject({ file: "audit-events.jsonl", sha256: sha256(data) });

    // The documented offline check accepts it, and catches one changed character.
    const checked = await run(process.execPath, [VERIFY_SCRIPT, folder]);
    expect(checked.stdout).toMatch(
      new RegExp(`^ok: ${rows.length} events \\(sequences 1\\.\\.${rows.length}\\), ${rows.length - 1} chain links`),
    );
    const tampered = await mkdtemp(join(dir, "tampered-"));
    await cp(folder, tampered, { recursive: true });
    const text = data.toString("utf8").replace('a \\"quoted\\" word', 'a \\"forged\\" word');
    expect(text).not.toBe(data.toString("utf8"));
    await writeFile(join(tampered, "audit-events.jsonl"), text);
    const refusal = await run(process.execPath, [VERIFY_SCRIPT, tampered]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refusal?.code).toBe(1);
    expect(refusal?.stderr).toMatch(/^FAILED: audit-events\.jsonl hashes to [0-9a-f]{64}, the manifest says/);
    // Even with the manifest's sha256 updated to match, the changed event no longer hashes to its hash.
    await writeFile(
      join(tampered, "manifest.json"),
      JSON.stringify({ ...manifest, sha256: sha256(text), sizeBytes: Buffer.byteLength(text) }),
    );
    const forged = await run(process.execPath, [VERIFY_SCRIPT, tampered]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(forged).toMatchObject({ code: 1 });
    expect((forged as { stderr: string }).stderr).toMatch(/^FAILED: line \d+ \(sequence \d+\): content does not match its hash/);
  });

  it("exports a filtered range as RFC 4180 CSV that round-trips commas, quotes and newlines", async () => {
    const [from] = await auditRows("action = 'namespace.registered' AND after->>'name' = 'export-1'");
    const filter = { action: "namespace.registered", since: from!.occurred_at.toISOString() };
    const view = await finished((await request("CSV", filter)).id);
    expect(view.status).toBe("SUCCEEDED");
    expect(view.filter).toEqual(filter);
    const folder = await downloadAll(view);
    const data = await readFile(join(folder, "audit-events.csv"), "utf8");
    const records = parseCsv(data, { columns: false, relax_quotes: false, record_delimiter: "\r\n" }) as string[][];
    expect(records[0]).toEqual([...AUDIT_EXPORT_COLUMNS]);
    const expected = await auditRows("action = 'namespace.registered' AND occurred_at >= $1", [from!.occurred_at]);
    expect(expected).toHaveLength(AWKWARD.length - 1);
    const byColumn = records
      .slice(1)
      .map((record) => Object.fromEntries(AUDIT_EXPORT_COLUMNS.map((column, i) => [column, record[i]])));
    expect(byColumn.map((record) => JSON.parse(record.after!).description)).toEqual(AWKWARD.slice(1));
    expect(byColumn.map((record) => record.hash)).toEqual(expected.map((row) => row.hash));
    expect(byColumn.map((record) => Number(record.sequence))).toEqual(expected.map((row) => Number(row.sequence)));
    // A null is an empty field; the JSON snapshot is quoted because it holds commas and quotes.
    expect(data).toContain(`,${csvField(JSON.stringify(expected[0]!.after))},`);
    expect(view.manifest).toMatchObject({
      format: "CSV",
      count: expected.length,
      contiguous: Number(expected.at(-1)!.sequence) - Number(expected[0]!.sequence) + 1 === expected.length,
      firstSequence: Number(expected[0]!.sequence),
      firstPrevHash: expected[0]!.prev_hash,
      lastHash: expected.at(-1)!.hash,
      filter,
      columns: [...AUDIT_EXPORT_COLUMNS],
      chainVerification: { scope: "every event in the time span of the exported events", ok: true },
    });
    const checked = await run(process.execPath, [VERIFY_SCRIPT, folder]);
    expect(checked.stdout).toMatch(new RegExp(`^ok: ${expected.length} events`));

    // Filter by node: the events of one namespace, and none for an actor nobody is.
    const one = await finished((await request("CSV", { targetId: namespaceIds[2] })).id);
    expect(one.manifest).toMatchObject({ count: 1, contiguous: true });
    const none = await finished((await request("JSONL", { actor: "nobody@example.com" })).id);
    expect(none.manifest).toMatchObject({ count: 0, firstSequence: null, lastHash: null, chainVerification: { ok: true } });
    expect(none.files[0]!.sizeBytes).toBe(0);
  });

  it("checks a tampered CSV offline and says where it breaks", async () => {
    const view = await finished((await request("CSV")).id);
    const folder = await downloadAll(view);
    expect((await run(process.execPath, [VERIFY_SCRIPT, folder])).stdout).toMatch(/^ok: /);
    const data = await readFile(join(folder, "audit-events.csv"), "utf8");
    // Drop one record (the third event) and fix up the manifest's sha256: a missing link.
    const lines = data.split("\r\n");
    const third = lines.findIndex((line) => line.startsWith("3,"));
    const text = [...lines.slice(0, third), ...lines.slice(third + 1)].join("\r\n");
    await writeFile(join(folder, "audit-events.csv"), text);
    await writeFile(join(folder, "manifest.json"), JSON.stringify({ ...view.manifest, sha256: sha256(text) }));
    const refusal = await run(process.execPath, [VERIFY_SCRIPT, folder]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(refusal).toMatchObject({ code: 1 });
    expect((refusal as { stderr: string }).stderr).toMatch(
      /^FAILED: record \d+ \(sequence 4\): sequence numbers 3\.\.3 are missing/,
    );
  });

  it("reports progress page by page while it writes", async () => {
    const total = (await auditRows()).length;
    const row = await app.db.prisma.complianceExport.create({
      data: { kind: "AUDIT_LOG", formats: ["JSONL"], requestedBy: "test", expiresAt: new Date(Date.now() + 3_600_000) },
    });
    const reports: Array<[number, string]> = [];
    const context: JobContext = {
      jobId: randomUUID(),
      attempt: 1,
      dueAt: new Date(),
      reportProgress: async (percent, message) => {
        reports.push([percent, message]);
      },
    };
    const result = await runExport(app.services, { exportId: row.id }, context, { pageSize: 3, progressIntervalMs: 0 });
    expect(result).toMatchObject({ status: "SUCCEEDED", exportId: encodeNodeId("Export", row.id) });
    expect(reports[0]).toEqual([0, `exporting ${total} audit events`]);
    const written = reports.filter(([, message]) => message.startsWith("written"));
    expect(written.length).toBeGreaterThanOrEqual(Math.ceil(total / 3));
    expect(written.map(([percent]) => percent)).toEqual([...written.map(([percent]) => percent)].sort((a, b) => a - b));
    expect(written.at(-1)).toEqual([99, `written ${total} of ${total} audit events`]);
    expect(written[0]![1]).toBe(`written 3 of ${total} audit events`);
    const stored = await app.services.exports.findById(row.id);
    expect(stored).toMatchObject({ status: "SUCCEEDED", progress: 100 });
    // Run again (a retried job): nothing changes.
    await runExport(app.services, { exportId: row.id }, context, { pageSize: 3 });
    expect((await app.services.exports.findById(row.id))!.finishedAt).toEqual(stored!.finishedAt);
  });

  it("authorizes downloads and answers 404 / 409 / 410, deleting expired files", async () => {
    const view = await finished((await request("JSONL", { action: "namespace.registered" })).id);
    const url = view.files[0]!.downloadUrl!;
    const downloads = async () => (await auditRows("action = 'export.downloaded' AND target_id = $1", [keyOf(view.id)])).length;

    expect((await download(url, {})).status).toBe(401);
    expect((await download(url, bearer("pdg_not-a-real-token"))).status).toBe(401);
    const viewer = await download(url, bearer(tokens.VIEWER));
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as any).errors[0].extensions.code).toBe("FORBIDDEN");
    expect((await download(url, bearer(tokens.ADMIN))).status).toBe(200);

    const unknown = await download(`/v1/exports/${encodeNodeId("Export", randomUUID())}/files/audit-events.jsonl`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).errors[0].extensions.code).toBe("NOT_FOUND");
    expect((await download(`/v1/exports/not-an-id/files/audit-events.jsonl`)).status).toBe(404);
    expect((await download(`/v1/exports/${namespaceIds[0]}/files/audit-events.jsonl`)).status).toBe(404);
    expect((await download(`/v1/exports/${view.id}/files/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);

    const queued = await app.db.prisma.complianceExport.create({
      data: { kind: "AUDIT_LOG", formats: ["CSV"], requestedBy: "test", expiresAt: new Date(Date.now() + 3_600_000) },
    });
    const notReady = await download(`/v1/exports/${encodeNodeId("Export", queued.id)}/files/audit-events.csv`);
    expect(notReady.status).toBe(409);
    expect(((await notReady.json()) as any).errors[0].extensions).toMatchObject({ code: "CONFLICT", status: "QUEUED" });
    // Only the ADMIN download above was recorded as a download.
    expect(await downloads()).toBe(1);

    // Expired: 410, the files are deleted on the spot, and downloadUrl is gone.
    const folder = join(exportDir, keyOf(view.id));
    await access(folder);
    await app.db.pool.query("UPDATE compliance_export SET expires_at = now() - interval '1 second' WHERE id = $1", [
      keyOf(view.id),
    ]);
    const gone = await download(url);
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as any).errors[0].extensions).toMatchObject({ code: "NOT_FOUND", reason: "EXPIRED" });
    await expect(access(folder)).rejects.toThrow();
    const expired = (await gql<{ export: ExportView }>(EXPORT, { id: view.id })).data!.export;
    expect(expired).toMatchObject({ expired: true });
    expect(expired.files.every((file) => file.downloadUrl === null)).toBe(true);

    // The worker's cleanup pass (each run) deletes expired files too.
    const other = await finished((await request("JSONL", { action: "namespace.registered" })).id);
    const otherFolder = join(exportDir, keyOf(other.id));
    await app.db.pool.query("UPDATE compliance_export SET expires_at = now() - interval '1 second' WHERE id = $1", [
      keyOf(other.id),
    ]);
    await access(otherFolder);
    await finished((await request("JSONL", { actor: "nobody@example.com" })).id);
    await expect(access(otherFolder)).rejects.toThrow();
    const [purged] = (await app.db.pool.query("SELECT files_deleted_at FROM compliance_export WHERE id = $1", [keyOf(other.id)]))
      .rows;
    expect(purged.files_deleted_at).toBeInstanceOf(Date);
  });

  it("lets an AUDITOR bound to one namespace export and download that namespace's events only", async () => {
    const scoped = await app.tokenFor("AUDITOR", "export-1");
    const ownNamespace = namespaceIds[1]!;
    const allowed = await app.graphql<{ requestAuditExport: ExportView }>(
      REQUEST,
      { format: "JSONL", filter: { namespaceId: ownNamespace } },
      scoped.headers,
    );
    expect(allowed.errors).toBeUndefined();
    const view = await finished(allowed.data!.requestAuditExport.id);
    const inNamespace = await auditRows(
      "namespace_id = $1 AND id < (SELECT max(id) FROM audit_event WHERE action = 'export.completed')",
      [keyOf(ownNamespace)],
    );
    expect(inNamespace.length).toBeGreaterThan(0);
    expect(view.manifest).toMatchObject({ count: inNamespace.length, filter: { namespaceId: keyOf(ownNamespace) } });
    expect((await download(view.files[0]!.downloadUrl!, scoped.headers)).status).toBe(200);

    // The whole log, or another namespace's events: refused, and not even readable.
    const whole = await app.graphql(REQUEST, { format: "JSONL" }, scoped.headers);
    expect(whole.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const other = await app.graphql(REQUEST, { format: "JSONL", filter: { namespaceId: namespaceIds[2] } }, scoped.headers);
    expect(["FORBIDDEN", "NOT_FOUND"]).toContain(other.errors?.[0]?.extensions?.code);
    const global = await finished((await request("JSONL", { actor: "nobody@example.com" })).id);
    // Not theirs: answered exactly like an export that does not exist, so existence does not leak.
    const notTheirs = await download(global.files[0]!.downloadUrl!, scoped.headers);
    const unknownUrl = global.files[0]!.downloadUrl!.replace(global.id, encodeNodeId("Export", randomUUID()));
    const unknown = await download(unknownUrl, scoped.headers);
    expect(notTheirs.status).toBe(404);
    expect(unknown.status).toBe(404);
    const elsewhere = await finished((await request("JSONL", { namespaceId: namespaceIds[2] })).id);
    expect((await download(elsewhere.files[0]!.downloadUrl!, scoped.headers)).status).toBe(404);
    // A compliance report follows provenance anywhere: it needs a global binding.
    const artifact = await writeLinearModelArtifact(dir, [1, 2], 0);
    const registered = await gql(
      `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id } } }`,
      {
        input: {
          namespace: "export-1",
          model: "scoped",
          artifactUri: artifact.uri,
          artifactSha256: artifact.sha256,
          signature: artifact.signature,
        },
      },
      "ADMIN",
    );
    expect(registered.errors).toBeUndefined();
    const before = await app.countRows(["compliance_export", "job_record"]);
    const report = await app.graphql(
      `mutation($id: ID) { requestModelComplianceReport(modelVersionId: $id) { id } }`,
      { id: registered.data!.registerModelVersion.modelVersion.id },
      scoped.headers,
    );
    expect(report.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await app.countRows(["compliance_export", "job_record"])).toEqual(before);
  });

  it("lists exports newest first and refuses callers without the AUDITOR role", async () => {
    const listed = await gql(`{ exports(first: 3, kind: AUDIT_LOG) { totalCount edges { node { id kind createdAt } } } }`);
    expect(listed.errors).toBeUndefined();
    const nodes = listed.data!.exports.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(3);
    expect(nodes.map((node: any) => node.createdAt)).toEqual([...nodes.map((node: any) => node.createdAt)].sort().reverse());

    const before = await app.countRows(WRITE_TABLES);
    const denied = await gql(REQUEST, { format: "CSV" }, "VIEWER");
    expect(denied.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const deniedRead = await gql(`{ exports(first: 1) { edges { node { id } } } }`, {}, "VIEWER");
    expect(deniedRead.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const after = await app.countRows(WRITE_TABLES);
    // A denied attempt may itself be audited; nothing else is written.
    expect({ ...after, audit_event: 0, graph_outbox: 0 }).toEqual({ ...before, audit_event: 0, graph_outbox: 0 });
  });

  it("rejects bad input with typed errors and writes nothing", async () => {
    const before = await app.countRows(WRITE_TABLES);
    const cases: Array<[Record<string, unknown>, string | undefined]> = [
      [{ format: "XML" }, undefined],
      [{ format: "CSV", filter: { since: "2026-11-02T00:00:00Z", until: "2026-11-01T00:00:00Z" } }, "filter.until"],
      [{ format: "CSV", filter: { since: "2026-11-01T00:00:00Z", until: "2026-11-01T00:00:00Z" } }, "filter.until"],
      [{ format: "CSV", filter: { since: "yesterday" } }, undefined],
      [{ format: "CSV", filter: { targetId: "not-an-id" } }, "filter.targetId"],
      [{ format: "CSV", filter: { namespaceId: encodeNodeId("Model", randomUUID()) } }, "filter.namespaceId"],
      [{ format: "CSV", filter: { targetType: "Spaceship" } }, "filter.targetType"],
      [{ format: "CSV", filter: { targetType: "Model", targetId: namespaceIds[0] } }, "filter.targetType"],
      [{ format: "CSV", filter: { actor: "" } }, undefined],
    ];
    for (const [variables, field] of cases) {
      const response = await gql(REQUEST, variables);
      expect(response.errors, JSON.stringify(variables)).toHaveLength(1);
      expect(response.errors![0]!.extensions!.code, JSON.stringify(variables)).toBe("BAD_USER_INPUT");
      if (field) expect(response.errors![0]!.extensions!.field).toBe(field);
      expect(response.errors![0]!.message).not.toMatch(/prisma|SELECT|at .*\.ts/i);
    }
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
  });

  it("exports a model compliance report as report.json and report.pdf, checks its target and writes nothing on bad input", async () => {
    const artifact = await writeLinearModelArtifact(dir, [0.5, -1], 0.25);
    const registered = await gql(
      `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id } } }`,
      {
        input: {
          namespace: "export-0",
          model: "scorer",
          artifactUri: artifact.uri,
          artifactSha256: artifact.sha256,
          signature: artifact.signature,
        },
      },
      "ADMIN",
    );
    expect(registered.errors).toBeUndefined();
    const modelVersionId = registered.data!.registerModelVersion.modelVersion.id as string;
    const REPORT = `mutation($modelVersionId: ID, $deploymentId: ID) {
      requestModelComplianceReport(modelVersionId: $modelVersionId, deploymentId: $deploymentId) { ${EXPORT_FIELDS} }
    }`;

    const before = await app.countRows(WRITE_TABLES);
    const bad: Array<[Record<string, unknown>, string, string]> = [
      [{}, "BAD_USER_INPUT", "modelVersionId"],
      [{ modelVersionId, deploymentId: encodeNodeId("Deployment", randomUUID()) }, "BAD_USER_INPUT", "deploymentId"],
      [{ modelVersionId: namespaceIds[0] }, "BAD_USER_INPUT", "modelVersionId"],
      [{ modelVersionId: encodeNodeId("ModelVersion", randomUUID()) }, "NOT_FOUND", "modelVersionId"],
      [{ deploymentId: encodeNodeId("Deployment", randomUUID()) }, "NOT_FOUND", "deploymentId"],
    ];
    for (const [variables, code, field] of bad) {
      const response = await gql(REPORT, variables);
      expect(response.errors?.[0]?.extensions, JSON.stringify(variables)).toMatchObject({ code, field });
    }
    expect(await app.countRows(WRITE_TABLES)).toEqual(before);
    expect((await gql(REPORT, { modelVersionId }, "VIEWER")).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const requested = await gql<{ requestModelComplianceReport: ExportView }>(REPORT, { modelVersionId });
    expect(requested.errors).toBeUndefined();
    expect(requested.data!.requestModelComplianceReport).toMatchObject({
      kind: "COMPLIANCE_REPORT",
      formats: ["JSON", "PDF"],
      filter: { modelVersionId },
    });
    const view = await finished(requested.data!.requestModelComplianceReport.id);
    expect(view.error).toBeNull();
    expect(view.files.map((file) => [file.name, file.mediaType])).toEqual([
      ["report.json", "application/json"],
      ["report.pdf", "application/pdf"],
      ["manifest.json", "application/json"],
    ]);
    const folder = await downloadAll(view);
    const report = JSON.parse(await readFile(join(folder, "report.json"), "utf8"));
    expect(report.target).toMatchObject({ kind: "MODEL_VERSION", nodeId: modelVersionId });
    expect(complianceReportDigest(report)).toBe(report.digest);
    const pdf = await readFile(join(folder, "report.pdf"));
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    try {
      expect((await parser.getText()).text).toMatch(/scorer/);
    } finally {
      await parser.destroy();
    }
    const manifest = JSON.parse(await readFile(join(folder, "manifest.json"), "utf8"));
    expect(manifest).toMatchObject({ kind: "COMPLIANCE_REPORT", reportDigest: report.digest });
    expect(manifest.files.map((file: { name: string; sha256: string }) => [file.name, file.sha256])).toEqual([
      ["report.json", sha256(await readFile(join(folder, "report.json")))],
      ["report.pdf", sha256(pdf)],
    ]);
  });
});
