import { describe, expect, it } from "vitest";
import { NodeIdInvalidError } from "../errors/common-errors.js";
import { encodeNodeId, parseNodeId, tryDecodeNodeId } from "./node-id.js";

const UUID = "3801526b-c8bd-4960-8ce0-cefd2cb03300";

describe("global node ids", () => {
  it("round-trips kind and key through an opaque base64url id", () => {
    const id = encodeNodeId("DatasetVersion", UUID);
    expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(tryDecodeNodeId(id)).toEqual({ kind: "DatasetVersion", key: UUID });
    expect(tryDecodeNodeId(encodeNodeId("AuditEvent", 42))).toEqual({ kind: "AuditEvent", key: "42" });
  });

  it("rejects unknown kinds, malformed keys and oversized input", () => {
    expect(tryDecodeNodeId(Buffer.from(`Secret:${UUID}`).toString("base64url"))).toBeUndefined();
    expect(tryDecodeNodeId(Buffer.from("Run:1; DROP TABLE run").toString("base64url"))).toBeUndefined();
    expect(tryDecodeNodeId(Buffer.from("AuditEvent:abc").toString("base64url"))).toBeUndefined();
    expect(tryDecodeNodeId("x".repeat(200))).toBeUndefined();
    expect(tryDecodeNodeId("not base64 ✗")).toBeUndefined();
  });

  it("parses an argument of the expected kind and names the field otherwise", () => {
    expect(parseNodeId(encodeNodeId("Run", UUID), "Run", "input.runId")).toBe(UUID);
    const wrongKind = () => parseNodeId(encodeNodeId("Model", UUID), "Run", "input.runId");
    expect(wrongKind).toThrow(NodeIdInvalidError);
    expect(wrongKind).toThrow('Field "input.runId" must be the id of a Run');
  });
});
