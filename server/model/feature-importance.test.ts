import { describe, expect, it } from "vitest";
import { featureImportanceOf } from "./feature-importance.js";

describe("featureImportanceOf", () => {
  it("lists featureImportance.* metrics most important first, ties by name, ignoring other metrics", () => {
    expect(
      featureImportanceOf({
        accuracy: 0.9,
        "featureImportance.b": 0.1,
        "featureImportance.a": 0.1,
        "featureImportance.c": 0.3,
        "featureImportance.d": -0.01,
      }),
    ).toEqual([
      { feature: "c", importance: 0.3 },
      { feature: "a", importance: 0.1 },
      { feature: "b", importance: 0.1 },
      { feature: "d", importance: -0.01 },
    ]);
  });

  it("is empty without importance metrics", () => {
    expect(featureImportanceOf({ accuracy: 0.9 })).toEqual([]);
  });
});
