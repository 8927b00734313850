#!/usr/bin/env node
// Checks a downloaded audit export offline: `node scripts/verify-audit-export.mjs <dir>`, where <dir>
// holds manifest.json and the data file it names (audit-events.jsonl or audit-events.csv).
// Plain Node (no packages): it recomputes the file's SHA-256, counts its events, recomputes every
// event's hash from its canonical document (RFC 8785, docs/audit.md), checks every chain link
// between consecutive sequence numbers inside the file, and compares the first/last sequence and
// chain hashes with the manifest. Prints `ok: …` and exits 0, or `FAILED: <why>` and exits 1.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("hex");
/** RFC 8785 canonical JSON for the values JSON can hold (the same function as docs/audit.md). */
const canonical = (value) =>
  Array.isArray(value)
    ? `[${value.map(canonical)}]`
    : value && typeof value === "object"
      ? `{${Object.keys(value)
          .sort()
          .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)}}`
      : JSON.stringify(value);

class ExportCheckError extends Error {}
const fail = (message) => {
  throw new ExportCheckError(message);
};

async function fileSha256(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest("hex");
}

async function* jsonlEvents(path) {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Number.POSITIVE_INFINITY })) {
    line += 1;
    if (text === "") continue;
    try {
      yield { where: `line ${line}`, event: JSON.parse(text) };
    } catch {
      fail(`line ${line} is not JSON`);
    }
  }
}

/**
 * RFC 4180 records, streamed: fields are { value, quoted } so that an empty unquoted field (null)
 * differs from "" (an empty string), as the export writes them.
 */
async function* csvRecords(path) {
  let field = "";
  let quoted = false;
  let inQuotes = false;
  let quoteSeen = false; // a quote inside quotes: either the closing one or the first of a pair
  let record = [];
  let pendingCr = false;
  const endField = () => {
    record.push({ value: field, quoted });
    field = "";
    quoted = false;
  };
  for await (const chunk of createReadStream(path, "utf8")) {
    for (const char of chunk) {
      if (inQuotes) {
        if (quoteSeen) {
          quoteSeen = false;
          if (char === '"') {
            field += '"';
            continue;
          }
          inQuotes = false; // the quote closed the field; fall through to handle `char`
        } else if (char === '"') {
          quoteSeen = true;
          continue;
        } else {
          field += char;
          continue;
        }
      }
      if (pendingCr) {
        pendingCr = false;
        if (char === "\n") {
          endField();
          yield record;
          record = [];
          continue;
        }
        fail("a CR outside quotes is not followed by LF");
      }
      if (char === '"') {
        if (field !== "" || quoted) fail("a quote appears inside an unquoted field");
        inQuotes = true;
        quoted = true;
      } else if (char === ",") endField();
      else if (char === "\r") pendingCr = true;
      else if (char === "\n") {
        endField();
        yield record;
        record = [];
      } else field += char;
    }
  }
  if (inQuotes && !quoteSeen) fail("the file ends inside a quoted field");
  if (field !== "" || quoted || record.length > 0) {
    endField();
    yield record;
  }
}

const CSV_NUMBER_COLUMNS = new Set(["sequence"]);
const CSV_JSON_COLUMNS = new Set(["before", "after"]);

async function* csvEvents(path, expectedColumns) {
  let header;
  let line = 0;
  for await (const record of csvRecords(path)) {
    line += 1;
    if (!header) {
      header = record.map((field) => field.value);
      if (expectedColumns && header.join(",") !== expectedColumns.join(",")) {
        fail(`the CSV header ${header.join(",")} is not the manifest's columns ${expectedColumns.join(",")}`);
      }
      continue;
    }
    if (record.length !== header.length) fail(`record ${line} has ${record.length} fields, the header ${header.length}`);
    const event = {};
    header.forEach((column, index) => {
      const { value, quoted } = record[index];
      if (value === "" && !quoted) event[column] = null;
      else if (CSV_NUMBER_COLUMNS.has(column)) event[column] = Number(value);
      else if (CSV_JSON_COLUMNS.has(column)) {
        try {
          event[column] = JSON.parse(value);
        } catch {
          fail(`record ${line}: column ${column} is not JSON`);
        }
      } else event[column] = value;
    });
    yield { where: `record ${line}`, event };
  }
}

export async function verifyAuditExport(dir) {
  let manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8"));
  } catch (error) {
    fail(`cannot read ${join(dir, "manifest.json")}: ${error.message}`);
  }
  if (typeof manifest.file !== "string" || manifest.file.includes("/") || manifest.file.includes("\\")) {
    fail("the manifest names no data file");
  }
  const path = join(dir, manifest.file);
  const digest = await fileSha256(path).catch((error) => fail(`cannot read ${path}: ${error.message}`));
  if (digest !== manifest.sha256) fail(`${manifest.file} hashes to ${digest}, the manifest says ${manifest.sha256}`);

  const events = manifest.format === "CSV" ? csvEvents(path, manifest.columns) : jsonlEvents(path);
  let count = 0;
  let links = 0;
  let first;
  let previous;
  for await (const { where, event } of events) {
    const { hash, ...document } = event;
    const at = `${where} (sequence ${document.sequence})`;
    if (typeof hash !== "string" || typeof document.sequence !== "number") fail(`${at}: no hash or sequence`);
    if (sha256(canonical({ v: 1, ...document })) !== hash) {
      fail(`${at}: content does not match its hash (the event was changed)`);
    }
    if (previous) {
      if (document.sequence <= previous.sequence)
        fail(`${at}: sequence is not after ${previous.sequence} (reordered or repeated)`);
      if (document.sequence === previous.sequence + 1) {
        if (document.prevHash !== previous.hash) fail(`${at}: prevHash does not link to sequence ${previous.sequence}'s hash`);
        links += 1;
      } else if (manifest.contiguous) {
        fail(`${at}: sequence numbers ${previous.sequence + 1}..${document.sequence - 1} are missing`);
      }
    }
    first ??= { sequence: document.sequence, prevHash: document.prevHash };
    previous = { sequence: document.sequence, hash };
    count += 1;
  }
  if (count !== manifest.count) fail(`${manifest.file} holds ${count} events, the manifest says ${manifest.count}`);
  if (count > 0) {
    if (first.sequence !== manifest.firstSequence)
      fail(`the first event is sequence ${first.sequence}, the manifest says ${manifest.firstSequence}`);
    if (first.prevHash !== manifest.firstPrevHash)
      fail(`the first event's prevHash ${first.prevHash} is not the manifest's firstPrevHash`);
    if (previous.sequence !== manifest.lastSequence)
      fail(`the last event is sequence ${previous.sequence}, the manifest says ${manifest.lastSequence}`);
    if (previous.hash !== manifest.lastHash) fail(`the last event's hash ${previous.hash} is not the manifest's lastHash`);
  }
  return { count, links, manifest };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node scripts/verify-audit-export.mjs <dir holding manifest.json and the data file>");
    process.exit(2);
  }
  try {
    const { count, links, manifest } = await verifyAuditExport(dir);
    const range = count > 0 ? `sequences ${manifest.firstSequence}..${manifest.lastSequence}` : "no events";
    console.log(
      `ok: ${count} events (${range}), ${links} chain links checked inside the file, sha256 ${manifest.sha256}, ` +
        `first prevHash ${manifest.firstPrevHash}, last hash ${manifest.lastHash}`,
    );
    if (manifest.chainVerification && manifest.chainVerification.ok === false) {
      console.log(`note: the server reported a broken chain when exporting: ${manifest.chainVerification.brokenLink?.message}`);
    }
  } catch (error) {
    if (!(error instanceof ExportCheckError)) throw error;
    console.error(`FAILED: ${error.message}`);
    process.exit(1);
  }
}
