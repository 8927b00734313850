import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  type ChainedAuditContent,
  auditDocumentTemplate,
  auditEventHash,
  canonicalAuditDocument,
  chainedAuditHash,
} from "./audit-chain.js";

/**
 * Batch writers canonicalize events before they know their place in the chain and fill sequence and
 * previous hash in later: the result must be byte for byte the reference document, or the chain
 * they write would fail verification.
 */

const contents: ChainedAuditContent[] = [
  {
    sequence: 1,
    occurredAt: new Date("2026-03-01T00:00:00.123Z"),
    actor: "alice",
    tokenId: "3F2504E0-4F89-11D3-9A0C-0305E82C3301",
    role: "EDITOR",
    action: "run.started",
    targetType: "Run",
    targetId: "0b5c…",
    namespaceId: "6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
    before: null,
    after: { status: "RUNNING", params: { lr: 0.001, layers: [64, 32], "z-key": true, "A-key": null }, name: "é ☃ 𝄞" },
    requestId: "req-1",
    clientAddress: "127.0.0.1",
  },
  {
    sequence: 9_007_199_254_740_991,
    occurredAt: new Date(0),
    actor: 'token:ci "quoted" \\ backslash\n',
    tokenId: null,
    role: null,
    action: "dataset_version.completed",
    targetType: "DatasetVersion",
    targetId: "x",
    namespaceId: null,
    before: { rowCount: 1e21, sizeBytes: 0.1, fields: [] },
    after: { rowCount: -0, nested: { b: [{ d: 1, c: 2 }], a: "" } },
    requestId: null,
    clientAddress: null,
  },
];

describe("audit document templates", () => {
  it.each(contents.map((content, index) => [index, content] as const))(
    "fill in to the reference document (%i)",
    (_index, content) => {
      const { sequence, ...unchained } = content;
      const prevHash = createHash("sha256").update(String(sequence)).digest("hex");
      const template = auditDocumentTemplate(unchained);
      const filled =
        template.texts[0] +
        template.slots
          .map((slot, i) => (slot === "sequence" ? String(sequence) : JSON.stringify(prevHash)) + template.texts[i + 1])
          .join("");
      expect(filled).toBe(canonicalAuditDocument(content, prevHash));
      expect(chainedAuditHash(template, sequence, prevHash)).toBe(auditEventHash(content, prevHash));
    },
  );

  it("takes snapshots canonicalized beforehand", () => {
    const { sequence, ...unchained } = contents[0]!;
    const prevHash = "0".repeat(64);
    const snapshots = { before: "null", after: canonicalAuditDocument({ ...contents[0]!, after: null }, prevHash) };
    const template = auditDocumentTemplate({ ...unchained, after: JSON.parse(snapshots.after) }, snapshots);
    expect(chainedAuditHash(template, sequence, prevHash)).toBe(
      auditEventHash({ ...contents[0]!, after: JSON.parse(snapshots.after) }, prevHash),
    );
  });

  it("a different sequence or previous hash changes the hash", () => {
    const { sequence, ...unchained } = contents[0]!;
    const template = auditDocumentTemplate(unchained);
    const hash = chainedAuditHash(template, sequence, "a".repeat(64));
    expect(chainedAuditHash(template, sequence + 1, "a".repeat(64))).not.toBe(hash);
    expect(chainedAuditHash(template, sequence, "b".repeat(64))).not.toBe(hash);
  });
});
