import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScratchDatabase, createScratchDatabase, testDatabaseKind } from "../testing/test-database.js";
import { type Database, openDatabase } from "./database.js";
import { rowSource } from "./row-source.js";

/** Rows written through `rowSource` come back as given, in order, on PGlite and on Postgres. */
describe("rowSource", () => {
  let db: Database;
  let scratch: ScratchDatabase | undefined;

  beforeAll(async () => {
    if (testDatabaseKind() === "postgres") scratch = await createScratchDatabase();
    db = await openDatabase({ url: scratch?.url, dataDir: undefined });
    await db.pool.query(`CREATE TYPE row_source_color AS ENUM ('RED', 'BLUE');
      CREATE TABLE row_source_probe (id serial PRIMARY KEY, name text, at timestamptz, color row_source_color, amount int8,
                                     raw json, doc jsonb)`);
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  const columns = [
    { name: "name", type: "text" },
    { name: "at", type: "timestamptz" },
    { name: "color", type: "row_source_color" },
    { name: "amount", type: "int8" },
    { name: "raw", type: "json" },
    { name: "doc", type: "jsonb" },
  ];

  it("inserts every row in the given order, with NULLs, JSON text kept as sent and documents as JSON", async () => {
    const at = new Date("2026-03-01T12:34:56.789Z");
    const rows = [
      [
        'first "quoted" \\ {braces}, commas',
        at,
        "RED",
        9_007_199_254_740_991,
        '{"b": 1,  "a": [null, "x"]}',
        '{"z":1,"a":{"n":null}}',
      ],
      [null, null, null, null, null, null],
      ["ünïcødé ☃ 𝄞\nnew line\ttab", at, "BLUE", -1, "[]", '"a string document"'],
    ];
    const source = rowSource(columns, rows);
    expect(source.params).toHaveLength(columns.length);
    await db.pool.query(
      `INSERT INTO row_source_probe (name, at, color, amount, raw, doc) SELECT ${source.select} FROM ${source.from} ORDER BY ${source.position}`,
      source.params,
    );
    const stored = await db.pool.query(
      "SELECT name, at, color::text, amount::text, raw::text, doc FROM row_source_probe ORDER BY id",
    );
    expect(stored.rows).toEqual([
      {
        name: rows[0]![0],
        at,
        color: "RED",
        amount: "9007199254740991",
        raw: '{"b": 1,  "a": [null, "x"]}',
        doc: { z: 1, a: { n: null } },
      },
      { name: null, at: null, color: null, amount: null, raw: null, doc: null },
      { name: rows[2]![0], at, color: "BLUE", amount: "-1", raw: "[]", doc: "a string document" },
    ]);
  });

  it("serves UPDATE … FROM with parameters numbered after the caller's own", async () => {
    const source = rowSource(
      [
        { name: "name", type: "text" },
        { name: "doc", type: "jsonb" },
      ],
      [['first "quoted" \\ {braces}, commas', '{"updated":true}']],
      "u",
      2,
    );
    const updated = await db.pool.query(
      `UPDATE row_source_probe p SET doc = u.doc, amount = $1 FROM (SELECT ${source.select} FROM ${source.from}) u WHERE p.name = u.name`,
      [7, ...source.params],
    );
    expect(updated.rowCount).toBe(1);
    const row = await db.pool.query("SELECT amount::int, doc FROM row_source_probe WHERE doc ? 'updated'");
    expect(row.rows).toEqual([{ amount: 7, doc: { updated: true } }]);
  });

  it("inserts nothing for no rows", async () => {
    const source = rowSource(columns, []);
    const inserted = await db.pool.query(
      `INSERT INTO row_source_probe (name, at, color, amount, raw, doc) SELECT ${source.select} FROM ${source.from}`,
      source.params,
    );
    expect(inserted.rowCount).toBe(0);
  });
});
