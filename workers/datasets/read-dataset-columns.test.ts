import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ColumnRequest } from "./column-accumulators.js";
import { DatasetReadError } from "./dataset-errors.js";
import { localPathOf } from "./dataset-location.js";
import { readDatasetColumns } from "./read-dataset-columns.js";

const feature = (name: string): ColumnRequest => ({ name, kind: "numeric", describedAs: `Feature "${name}"` });
const label = (name: string): ColumnRequest => ({ name, kind: "label", describedAs: `Class label "${name}"` });
const numericTarget = (name: string): ColumnRequest => ({ name, kind: "numeric", describedAs: `Regression target "${name}"` });

describe("reading dataset columns", () => {
  let dir: string;
  const file = async (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  const csv = async (name: string, content: string) => ({ path: await file(name, content), format: "CSV" as const });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "pedigree-datasets-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function failure(promise: Promise<unknown>): Promise<DatasetReadError> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DatasetReadError);
    return error as DatasetReadError;
  }

  it("keeps only the requested CSV columns, in request order, with text or numeric labels", async () => {
    const source = await csv("ok.csv", '\uFEFFa,skip,b,y,n\n1,zz,2.5,cat,0\n-3,"q,uoted",1e2,dog,1\n\n 4 ,x,.5,cat,1\n');
    const table = await readDatasetColumns(source, [feature("b"), feature("a"), label("y"), label("n")]);
    expect(table.rowCount).toBe(3);
    expect([...(table.columns[0] as Float64Array)]).toEqual([2.5, 100, 0.5]);
    expect([...(table.columns[1] as Float64Array)]).toEqual([1, -3, 4]);
    expect(table.columns[2]).toEqual(["cat", "dog", "cat"]);
    expect(table.columns[3]).toBeInstanceOf(Float64Array);
    expect([...(table.columns[3] as Float64Array)]).toEqual([0, 1, 1]);
  });

  it("names the column, the data row and the line of an empty, NaN or text cell", async () => {
    const empty = await failure(readDatasetColumns(await csv("empty-cell.csv", "a,y\n1,0\n,1\n"), [feature("a"), label("y")]));
    expect(empty.message).toMatch(
      /^Feature "a" is empty in data row 2 \(line 3\) of .*empty-cell\.csv; drop or impute missing values/,
    );
    expect(empty).toMatchObject({ column: "a", row: 2 });

    const nan = await failure(readDatasetColumns(await csv("nan.csv", "a,y\n1,0\n2,1\nNaN,0\n"), [feature("a"), label("y")]));
    expect(nan.message).toContain('Feature "a" is not a number ("NaN") in data row 3 (line 4)');

    const text = await failure(
      readDatasetColumns(await csv("text-target.csv", "a,y\n1,2.5\n2,high\n"), [feature("a"), numericTarget("y")]),
    );
    expect(text.message).toContain('Regression target "y" is not a number ("high") in data row 2 (line 3)');

    const noLabel = await failure(readDatasetColumns(await csv("no-label.csv", "a,y\n1,x\n2,\n"), [feature("a"), label("y")]));
    expect(noLabel.message).toContain('Class label "y" is empty in data row 2');
  });

  it("refuses unknown columns, ragged rows, empty files, missing files and oversized files", async () => {
    const unknown = await failure(readDatasetColumns(await csv("cols.csv", "a,b\n1,2\n"), [feature("a"), feature("c")]));
    expect(unknown.message).toMatch(/Column "c" is not in dataset file .*cols\.csv; its columns are "a", "b"\./);

    const ragged = await failure(readDatasetColumns(await csv("ragged.csv", "a,b\n1,2\n3\n"), [feature("a")]));
    expect(ragged.message).toMatch(/is not valid CSV: .*line 3/);

    const empty = await failure(readDatasetColumns(await csv("empty.csv", ""), [feature("a")]));
    expect(empty.message).toContain("is empty");

    const headerOnly = await failure(readDatasetColumns(await csv("header.csv", "a\n"), [feature("a")]));
    expect(headerOnly.message).toContain("has no data rows");

    const missing = await failure(readDatasetColumns({ path: join(dir, "nope.csv"), format: "CSV" }, [feature("a")]));
    expect(missing.message).toMatch(/Dataset file .*nope\.csv does not exist\./);

    const big = await failure(
      readDatasetColumns(await csv("big.csv", "a,b\n1,2\n3,4\n5,6\n"), [feature("a"), feature("b")], { maxCells: 4 }),
    );
    expect(big.message).toContain("has more than 2 rows");
  });

  it("reads Parquet columns across row groups, and names a null cell's row", async () => {
    const rows = 25;
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: "x", data: Float64Array.from({ length: rows }, (_, r) => r / 2), type: "DOUBLE" },
        { name: "n", data: Int32Array.from({ length: rows }, (_, r) => r), type: "INT32" },
        { name: "species", data: Array.from({ length: rows }, (_, r) => (r % 2 ? "a" : "b")), type: "STRING" },
      ],
      rowGroupSize: 10,
    });
    const source = { path: await file("ok.parquet", new Uint8Array(buffer)), format: "PARQUET" as const };
    const table = await readDatasetColumns(source, [feature("n"), feature("x"), label("species")]);
    expect(table.rowCount).toBe(rows);
    expect([...(table.columns[0] as Float64Array)]).toEqual(Array.from({ length: rows }, (_, r) => r));
    expect((table.columns[1] as Float64Array)[24]).toBe(12);
    expect((table.columns[2] as string[]).slice(0, 3)).toEqual(["b", "a", "b"]);

    const withNull = parquetWriteBuffer({
      columnData: [
        { name: "x", data: [1, 2, null, 4], type: "DOUBLE", nullable: true },
        { name: "y", data: [0, 1, 0, 1], type: "INT32" },
      ],
    });
    const nullSource = { path: await file("null.parquet", new Uint8Array(withNull)), format: "PARQUET" as const };
    const error = await failure(readDatasetColumns(nullSource, [feature("x"), label("y")]));
    expect(error.message).toMatch(/^Feature "x" is empty in data row 3 of .*null\.parquet; drop or impute/);
  });

  it("calls a file that is not Parquet corrupt", async () => {
    const source = { path: await file("garbage.parquet", "this is not parquet at all, just text"), format: "PARQUET" as const };
    const error = await failure(readDatasetColumns(source, [feature("x")]));
    expect(error.message).toMatch(/is not a readable Parquet file: /);
  });

  it("accepts file: URIs and absolute paths as local, nothing else", () => {
    expect(localPathOf("file:///data/x.csv")).toBe("/data/x.csv");
    expect(localPathOf("file://localhost/data/x.csv")).toBe("/data/x.csv");
    expect(localPathOf("/data/x.csv")).toBe("/data/x.csv");
    expect(localPathOf("data/x.csv")).toBeUndefined();
    expect(localPathOf("https://example.com/x.csv")).toBeUndefined();
    expect(localPathOf("s3://bucket/x.parquet")).toBeUndefined();
    expect(localPathOf("file://remote-host/x.csv")).toBeUndefined();
  });
});
