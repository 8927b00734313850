import { describe, expect, it } from "vitest";
import { cooperativeMap } from "./cooperative-map.js";

describe("cooperativeMap", () => {
  it("maps in order, with indexes, like Array.prototype.map", async () => {
    const items = Array.from({ length: 200 }, (_, i) => i);
    expect(await cooperativeMap(items, (item, index) => `${item}:${index}`, 7)).toEqual(
      items.map((item, index) => `${item}:${index}`),
    );
    expect(await cooperativeMap([], (item: number) => item)).toEqual([]);
  });

  it("lets I/O callbacks run between slices", async () => {
    const seen: string[] = [];
    setImmediate(() => seen.push("other work"));
    await cooperativeMap(
      Array.from({ length: 10 }, (_, i) => i),
      (item) => seen.push(`item ${item}`),
      5,
    );
    expect(seen.indexOf("other work")).toBe(5);
  });

  it("passes a thrown error on and stops there", async () => {
    const called: number[] = [];
    await expect(
      cooperativeMap(
        [1, 2, 3, 4],
        (item) => {
          called.push(item);
          if (item === 3) throw new Error("bad item 3");
          return item;
        },
        2,
      ),
    ).rejects.toThrow("bad item 3");
    expect(called).toEqual([1, 2, 3]);
  });
});
