import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeNodeId } from "../graphql/node-id.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { auditEventHash } from "./audit-chain.js";

const VERIFY = `query($from: DateTime, $to: DateTime) {
  verifyAuditChain(from: $from, to: $to) {
    ok eventsChecked firstEventId lastEventId headHash
    brokenLink { eventId sequence problem expected actual message }
  }
}`;

interface Verification {
  ok: boolean;
  eventsChecked: number;
  firstEventId: string | null;
  lastEventId: string | null;
  headHash: string | null;
  brokenLink: {
    eventId: string;
    sequence: number | null;
    problem: string;
    expected: string;
    actual: string;
    message: string;
  } | null;
}

interface EventRow {
  id: number;
  sequence: number;
  hash: string;
  prev_hash: string;
  action: string;
  actor: string;
}

describe("audit hash chain", () => {
  let app: TestApp;

  const sql = async <T extends object>(text: string, values: unknown[] = []) =>
    (await app.db.pool.query(text, values)).rows as T[];
  const events = () => sql<EventRow>("SELECT id, sequence, hash, prev_hash, action, actor FROM audit_event ORDER BY id");
  const globalId = (id: number) => encodeNodeId("AuditEvent", id);
  const verify = async (variables: Record<string, unknown> = {}) => {
    const response = await app.graphql<{ verifyAuditChain: Verification }>(VERIFY, variables);
    expect(response.errors).toBeUndefined();
    return response.data!.verifyAuditChain;
  };
  /** Runs raw SQL with the append-only trigger disabled, as someone with the table owner's rights could. */
  const tamper = async (statements: Array<string | [string, unknown[]]>) => {
    await sql("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
    for (const statement of statements) {
      if (typeof statement === "string") await sql(statement);
      else await sql(...statement);
    }
    await sql("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
  };

  beforeEach(async () => {
    app = await startTestApp();
    for (let i = 0; i < 6; i += 1) {
      const response = await app.graphql(
        `mutation { registerNamespace(input: { name: "chain-${i}", description: "é ✓ ${i}" }) { created } }`,
        {},
        { "x-pedigree-actor": `user-${i}` },
      );
      expect(response.errors).toBeUndefined();
    }
  });
  afterEach(async () => {
    await app.close();
  });

  it("chains every appended event and verifies the whole chain and a time range", async () => {
    const rows = await events();
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows.map((row) => Number(row.sequence))).toEqual(rows.map((_, index) => index + 1));
    expect(rows[0]!.prev_hash).toBe("0".repeat(64));
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(new Set(rows.map((row) => row.hash)).size).toBe(rows.length);

    const whole = await verify();
    expect(whole).toMatchObject({ ok: true, eventsChecked: rows.length, brokenLink: null, headHash: rows.at(-1)!.hash });

    // A range starts from the event before it: only the events in it are read.
    const [third] = await sql<{ occurred_at: Date }>("SELECT occurred_at FROM audit_event WHERE id = $1", [rows[2]!.id]);
    const later = await verify({ from: third!.occurred_at.toISOString() });
    expect(later.ok).toBe(true);
    expect(later.eventsChecked).toBeLessThanOrEqual(rows.length - 2);
    expect(later.eventsChecked).toBeGreaterThan(0);
    expect(await verify({ to: "2000-01-01T00:00:00Z" })).toMatchObject({ ok: true, eventsChecked: 0, headHash: null });
  });

  it("refuses UPDATE, DELETE and TRUNCATE of audit events", async () => {
    const before = await events();
    await expect(sql("UPDATE audit_event SET actor = 'mallory' WHERE id = $1", [before[0]!.id])).rejects.toThrow(
      /audit_event is append-only: UPDATE is not allowed/,
    );
    await expect(sql("DELETE FROM audit_event WHERE id = $1", [before[1]!.id])).rejects.toThrow(
      /audit_event is append-only: DELETE is not allowed/,
    );
    await expect(sql("TRUNCATE audit_event")).rejects.toThrow(/audit_event is append-only: TRUNCATE is not allowed/);
    await expect(app.db.prisma.auditEvent.deleteMany({})).rejects.toThrow(/append-only/);
    expect(await events()).toEqual(before);
    expect((await verify()).ok).toBe(true);
  });

  it("catches a changed field at the changed event", async () => {
    const rows = await events();
    const target = rows[2]!;
    const [original] = await sql<{ after: unknown }>("SELECT after FROM audit_event WHERE id = $1", [target.id]);
    await tamper([`UPDATE audit_event SET after = jsonb_set(after, '{description}', '"forged"') WHERE id = ${target.id}`]);
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.brokenLink).toMatchObject({ eventId: globalId(target.id), problem: "CONTENT_HASH_MISMATCH", sequence: 3 });
    expect(result.eventsChecked).toBe(3);
    expect(result.headHash).toBe(rows[1]!.hash);

    // Put back as it was: the chain verifies again.
    await tamper([["UPDATE audit_event SET after = $1::jsonb WHERE id = $2", [JSON.stringify(original!.after), target.id]]]);
    expect((await verify()).ok).toBe(true);
    await tamper([`UPDATE audit_event SET actor = 'mallory' WHERE id = ${rows[4]!.id}`]);
    expect((await verify()).brokenLink).toMatchObject({ eventId: globalId(rows[4]!.id), problem: "CONTENT_HASH_MISMATCH" });
  });

  it("catches a deleted event at the event after it (missing sequence number)", async () => {
    const rows = await events();
    const next = globalId(rows[3]!.id);
    await tamper([`DELETE FROM audit_event WHERE id = ${rows[2]!.id}`]);
    const result = await verify();
    expect(result.brokenLink).toMatchObject({ eventId: next, problem: "SEQUENCE_MISMATCH", expected: "3", actual: "4" });
    expect(result.brokenLink!.message).toMatch(/sequence numbers 3\.\.3 are missing/);
  });

  it("catches a forged event, even one whose own hash was recomputed correctly", async () => {
    const rows = await events();
    // Appended at the end with a made-up hash.
    await tamper([
      `INSERT INTO audit_event (actor, action, target_type, target_id, sequence, prev_hash, hash)
       VALUES ('mallory', 'model_version.deleted', 'ModelVersion', 'x', ${rows.length + 1}, '${rows.at(-1)!.hash}', '${"f".repeat(64)}')`,
    ]);
    let result = await verify();
    const forgedId = (await events()).at(-1)!.id;
    expect(result.brokenLink).toMatchObject({ eventId: globalId(forgedId), problem: "CONTENT_HASH_MISMATCH" });
    await tamper([`DELETE FROM audit_event WHERE id = ${forgedId}`]);

    // Put in place of event 3 with a correct sequence, previous hash and content hash: the next
    // event still names the original event 3's hash.
    const victim = rows[2]!;
    const [original] = await sql<Record<string, unknown>>("SELECT * FROM audit_event WHERE id = $1", [victim.id]);
    const occurredAt = original!.occurred_at as Date;
    const forgedHash = auditEventHash(
      {
        sequence: 3,
        occurredAt,
        actor: "mallory",
        tokenId: null,
        role: null,
        action: "namespace.registered",
        targetType: "Namespace",
        targetId: String(original!.target_id),
        namespaceId: null,
        before: null,
        after: { forged: true },
        requestId: null,
        clientAddress: null,
      },
      rows[1]!.hash,
    );
    await tamper([
      `DELETE FROM audit_event WHERE id = ${victim.id}`,
      `INSERT INTO audit_event (id, occurred_at, actor, action, target_type, target_id, after, sequence, prev_hash, hash)
       VALUES (${victim.id}, '${occurredAt.toISOString()}', 'mallory', 'namespace.registered', 'Namespace', '${String(original!.target_id)}',
               '{"forged": true}', 3, '${rows[1]!.hash}', '${forgedHash}')`,
    ]);
    result = await verify();
    expect(result.brokenLink).toMatchObject({
      eventId: globalId(rows[3]!.id),
      problem: "PREVIOUS_HASH_MISMATCH",
      expected: forgedHash,
      actual: victim.hash,
    });
  });

  it("catches reordered events", async () => {
    const rows = await events();
    const [a, b] = [rows[1]!, rows[4]!];
    const columns =
      "occurred_at, actor, token_id, role, action, target_type, target_id, namespace_id, before, after, request_id, client_address";
    const swap = (chain: boolean) => {
      const moved = chain ? `${columns}, prev_hash, hash` : columns;
      const assignments = moved
        .split(", ")
        .map((column) => `${column} = other.${column}`)
        .join(", ");
      return [
        // Sequence numbers are unique: clear them while the rows trade places.
        ...(chain ? [`UPDATE audit_event SET sequence = NULL WHERE id IN (${a.id}, ${b.id})`] : []),
        `UPDATE audit_event SET ${assignments} FROM (SELECT * FROM audit_event WHERE id IN (${a.id}, ${b.id})) AS other
         WHERE audit_event.id IN (${a.id}, ${b.id}) AND other.id <> audit_event.id`,
        ...(chain
          ? [
              `UPDATE audit_event SET sequence = ${b.sequence} WHERE id = ${a.id}`,
              `UPDATE audit_event SET sequence = ${a.sequence} WHERE id = ${b.id}`,
            ]
          : []),
      ];
    };
    // Content swapped, chain fields left in place: the first moved event no longer matches its hash.
    await tamper(swap(false));
    expect((await verify()).brokenLink).toMatchObject({ eventId: globalId(a.id), problem: "CONTENT_HASH_MISMATCH" });
    await tamper(swap(false));
    expect((await verify()).ok).toBe(true);

    // Whole events swapped (hashes and sequence numbers too): the sequence is out of order.
    await tamper(swap(true));
    expect((await verify()).brokenLink).toMatchObject({
      eventId: globalId(a.id),
      problem: "SEQUENCE_MISMATCH",
      expected: "2",
      actual: "5",
    });
  });

  it("keeps one valid chain under 20 concurrent mutations", async () => {
    const before = (await events()).length;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        app.graphql(`mutation { registerNamespace(input: { name: "parallel-${i}" }) { created } }`),
      ),
    );
    expect(results.map((result) => result.errors)).toEqual(results.map(() => undefined));
    const rows = await events();
    expect(rows.length).toBe(before + 20);
    expect(rows.map((row) => Number(row.sequence))).toEqual(rows.map((_, index) => index + 1));
    expect(await verify()).toMatchObject({ ok: true, eventsChecked: rows.length });
  });
});
