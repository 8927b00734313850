import { describe, expect, it } from "vitest";
import { InputInvalidError } from "../errors/common-errors.js";
import { type PageQuery, paginate, paginateInMemory, pageSize } from "./paginate.js";

interface Row {
  id: string;
  name: string;
  createdAt: Date;
}

const rows: Row[] = Array.from({ length: 5 }, (_, i) => ({
  id: `00000000-0000-4000-8000-00000000000${i}`,
  name: `n${i}`,
  createdAt: new Date(Date.UTC(2026, 0, i + 1)),
}));

describe("paginate", () => {
  it("asks for one row more than the page to learn hasNextPage", async () => {
    const queries: PageQuery[] = [];
    const page = await paginate<Row>({ first: 2 }, "name", "asc", async (query) => {
      queries.push(query);
      return rows.slice(0, query.take);
    });
    expect(queries[0]).toEqual({ afterWhere: undefined, orderBy: [{ name: "asc" }, { id: "asc" }], take: 3 });
    expect(page.rows.map((row) => row.id)).toEqual([
      "00000000-0000-4000-8000-000000000000",
      "00000000-0000-4000-8000-000000000001",
    ]);
    expect(page.hasNextPage).toBe(true);
  });

  it("turns a cursor into a keyset condition on the ordering column and id (dates restored as dates)", async () => {
    const first = await paginate<Row>({ first: 1 }, "createdAt", "desc", async () => [rows[3]!, rows[2]!]);
    const cursor = first.cursorOf(first.rows[0]!);
    let seen: PageQuery | undefined;
    await paginate<Row>({ first: 1, after: cursor }, "createdAt", "desc", async (query) => {
      seen = query;
      return [];
    });
    expect(seen?.afterWhere).toEqual({
      OR: [
        { createdAt: { lt: rows[3]!.createdAt } },
        { createdAt: rows[3]!.createdAt, id: { lt: "00000000-0000-4000-8000-000000000003" } },
      ],
    });
  });

  it("refuses a cursor made for another ordering, and garbage", async () => {
    const page = await paginate<Row>({ first: 1 }, "name", "asc", async () => [rows[0]!]);
    const nameCursor = page.cursorOf(page.rows[0]!);
    await expect(paginate<Row>({ after: nameCursor }, "createdAt", "asc", async () => [])).rejects.toBeInstanceOf(
      InputInvalidError,
    );
    await expect(paginate<Row>({ after: "!!" }, "name", "asc", async () => [])).rejects.toThrow(/"after"/);
  });

  it.each([
    ["a non-UUID id", { field: "name", value: "a", isDate: false, id: "x'; DROP TABLE run; --" }, "name"],
    ["a number for a text column", { field: "name", value: 5, isDate: false, id: rows[0]!.id }, "name"],
    ["an invalid date", { field: "createdAt", value: "garbage", isDate: true, id: rows[0]!.id }, "createdAt"],
    ["a year out of range", { field: "createdAt", value: "0000-01-01T00:00:00Z", isDate: true, id: rows[0]!.id }, "createdAt"],
    ["an integer overflow", { field: "version", value: 1e12, isDate: false, id: rows[0]!.id }, "version"],
  ])("refuses a tampered cursor with %s", async (_label, cursor, field) => {
    const tampered = Buffer.from(JSON.stringify(cursor)).toString("base64url");
    await expect(paginate<Row>({ after: tampered }, field as keyof Row & string, "asc", async () => [])).rejects.toBeInstanceOf(
      InputInvalidError,
    );
  });

  it("bounds the page size", () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(0)).toBe(0);
    expect(() => pageSize(101)).toThrow(/"first" must be between 0 and 100; got 101/);
    expect(() => pageSize(-1)).toThrow(InputInvalidError);
  });

  it("pages in memory with keyset cursors", () => {
    const first = paginateInMemory(rows, { first: 2 }, "name", "asc");
    const second = paginateInMemory(rows, { first: 2, after: first.cursorOf(first.rows[1]!) }, "name", "asc");
    const third = paginateInMemory(rows, { first: 2, after: second.cursorOf(second.rows[1]!) }, "name", "asc");
    expect([first, second, third].map((page) => page.rows.map((row) => row.id))).toEqual([
      ["00000000-0000-4000-8000-000000000000", "00000000-0000-4000-8000-000000000001"],
      ["00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-000000000003"],
      ["00000000-0000-4000-8000-000000000004"],
    ]);
    expect([first.hasNextPage, second.hasNextPage, third.hasNextPage]).toEqual([true, true, false]);
    expect(JSON.parse(Buffer.from(first.cursorOf(first.rows[0]!), "base64url").toString("utf8"))).toEqual({
      field: "name",
      value: "n0",
      isDate: false,
      id: "00000000-0000-4000-8000-000000000000",
    });
  });

  it("keeps an in-memory cursor valid when a new newest row is inserted before it", () => {
    const id = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`;
    const versions = [3, 2, 1].map((version) => ({ id: id(version), version }));
    const first = paginateInMemory(versions, { first: 2 }, "version", "desc");
    expect(first.rows.map((row) => row.version)).toEqual([3, 2]);
    const after = first.cursorOf(first.rows[1]!);
    const grown = [{ id: id(4), version: 4 }, ...versions];
    const second = paginateInMemory(grown, { first: 2, after }, "version", "desc");
    expect(second.rows.map((row) => row.version)).toEqual([1]);
    expect(second.hasNextPage).toBe(false);
  });

  it("pages in memory after a date cursor, and refuses a cursor of another ordering", () => {
    const newestFirst = [...rows].reverse();
    const first = paginateInMemory(newestFirst, { first: 1 }, "createdAt", "desc");
    const second = paginateInMemory(newestFirst, { first: 2, after: first.cursorOf(first.rows[0]!) }, "createdAt", "desc");
    expect(second.rows.map((row) => row.name)).toEqual(["n3", "n2"]);
    expect(second.hasNextPage).toBe(true);
    expect(() => paginateInMemory(rows, { after: first.cursorOf(first.rows[0]!) }, "name", "asc")).toThrow(InputInvalidError);
  });
});
