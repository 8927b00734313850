import { describe, expect, it } from "vitest";
import { checkTrafficSplit } from "./traffic-split.js";

const share = (modelVersionId: string, percent: number) => ({ modelVersionId, percent });

describe("traffic split rules", () => {
  it("accepts shares summing to 100", () => {
    expect(() => checkTrafficSplit([share("a", 90), share("b", 10)])).not.toThrow();
    expect(() => checkTrafficSplit([share("a", 33.3), share("b", 33.3), share("c", 33.4)])).not.toThrow();
  });

  it.each([
    ["a sum other than 100", [share("a", 50), share("b", 40)]],
    ["a zero share", [share("a", 100), share("b", 0)]],
    ["a version twice", [share("a", 50), share("a", 50)]],
    ["no shares", []],
    ["more than ten shares", Array.from({ length: 11 }, (_, i) => share(`v${i}`, 100 / 11))],
  ])("rejects %s naming input.trafficSplit", (_label, shares) => {
    expect(() => checkTrafficSplit(shares)).toThrow(/input\.trafficSplit/);
  });
});
