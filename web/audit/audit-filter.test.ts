import { describe, expect, it } from "vitest";
import { EMPTY_AUDIT_FILTER, toAuditFilter } from "./audit-filter";

describe("toAuditFilter", () => {
  it("leaves blank fields out", () => {
    expect(toAuditFilter(EMPTY_AUDIT_FILTER)).toEqual({});
    expect(toAuditFilter({ ...EMPTY_AUDIT_FILTER, actor: "  " })).toEqual({});
  });

  it("trims text and turns local times into UTC instants", () => {
    const filter = toAuditFilter({
      actor: " ana ",
      action: "model_version.registered",
      targetId: "",
      since: "2026-11-08T10:00",
      until: "bad",
    });
    expect(filter).toEqual({
      actor: "ana",
      action: "model_version.registered",
      since: new Date("2026-11-08T10:00").toISOString(),
    });
  });
});
