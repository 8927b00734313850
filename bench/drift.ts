// Drift computation at scale (issue 4): 50 features × 1,000,000 current rows against baselines
// built from 100,000 training rows each, all synthetic and seeded (pure-rand). Prints the time of
// computeDriftReport and the memory it needs.
//
//   npx tsx bench/drift.ts [--rows 1000000] [--features 50] [--categorical 0] [--training-rows 100000]
//                          [--mode columns|stream] [--chunk 65536] [--out file.json]
//
// --mode columns (default) holds every current column in memory (Float64Array: 8 bytes a value)
// and times one computeDriftReport call; --mode stream generates the rows in chunks and feeds
// createDriftReportAccumulator, timing only the drift work: memory then stays bounded whatever
// the row count. Every fifth feature is shifted by 0.5 σ, so the report has drifted features.
// Peak RSS is the process's (process.resourceUsage().maxRSS), so run one mode per process.
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { buildColumnBaselines } from "../server/monitoring/drift/baseline.js";
import type { ColumnKind, ColumnValues } from "../server/monitoring/drift/column-values.js";
import { computeDriftReport, createDriftReportAccumulator, type DriftReport } from "../server/monitoring/drift/drift-report.js";
import { categoricalColumn, normalColumn } from "../server/monitoring/drift/synthetic.js";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "1000000" },
    features: { type: "string", default: "50" },
    categorical: { type: "string", default: "0" },
    "training-rows": { type: "string", default: "100000" },
    mode: { type: "string", default: "columns" },
    chunk: { type: "string", default: "65536" },
    out: { type: "string" },
  },
});
const rows = Number(args.rows);
const featureCount = Number(args.features);
const categoricalCount = Number(args.categorical);
const trainingRows = Number(args["training-rows"]);
const chunkRows = Number(args.chunk);
const mode = args.mode === "stream" ? "stream" : "columns";

const CATEGORIES = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"];
const CATEGORY_WEIGHTS = CATEGORIES.map((_, index) => 12 - index);
const SHIFTED_WEIGHTS = CATEGORY_WEIGHTS.map((weight, index) => (index < 3 ? weight * 4 : weight));

interface Feature {
  name: string;
  kind: ColumnKind;
  drifts: boolean;
}

const features: Feature[] = Array.from({ length: featureCount }, (_, index) => ({
  name: `f${String(index).padStart(2, "0")}`,
  kind: index >= featureCount - categoricalCount ? "categorical" : "numeric",
  drifts: index % 5 === 0,
}));

/** Rows [start, start + size) of a feature's training (part 0) or current (part 1) data. */
function generate(feature: Feature, index: number, part: 0 | 1, size: number, chunk: number): ColumnValues {
  const seed = ((index + 1) * 1_000_003 + part * 7_919 + chunk * 104_729) | 0;
  const shifted = part === 1 && feature.drifts;
  if (feature.kind === "categorical")
    return categoricalColumn(size, seed, CATEGORIES, shifted ? SHIFTED_WEIGHTS : CATEGORY_WEIGHTS);
  return normalColumn(size, seed, 100 + index + (shifted ? 0.5 * 15 : 0), 15);
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const memory = () => process.memoryUsage();

console.log(
  `date ${new Date().toISOString()}; ${cpus().length} × ${cpus()[0]?.model}; ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`,
);
console.log(
  `${featureCount} features (${categoricalCount} categorical) × ${rows.toLocaleString("en-US")} rows, mode ${mode}` +
    (mode === "stream" ? `, chunks of ${chunkRows.toLocaleString("en-US")} rows` : ""),
);

let started = performance.now();
const baselines = buildColumnBaselines(
  Object.fromEntries(
    features.map((feature, index) => [
      feature.name,
      { kind: feature.kind, values: generate(feature, index, 0, trainingRows, 0) },
    ]),
  ),
);
const baselineMs = performance.now() - started;
console.log(
  `baselines: ${featureCount} × ${trainingRows.toLocaleString("en-US")} training rows in ${baselineMs.toFixed(0)} ms; ` +
    `${(JSON.stringify(baselines).length / 1024).toFixed(0)} KiB of JSON`,
);

let report: DriftReport;
let driftMs: number;
let generateMs = 0;
const before = memory();
if (mode === "columns") {
  started = performance.now();
  const columns = Object.fromEntries(features.map((feature, index) => [feature.name, generate(feature, index, 1, rows, 0)]));
  generateMs = performance.now() - started;
  const loaded = memory();
  console.log(
    `current data generated in ${generateMs.toFixed(0)} ms; rss ${mib(loaded.rss)}, arrayBuffers ${mib(loaded.arrayBuffers)}`,
  );
  started = performance.now();
  report = computeDriftReport(baselines, columns);
  driftMs = performance.now() - started;
} else {
  const accumulator = createDriftReportAccumulator(baselines);
  driftMs = 0;
  for (let start = 0, chunk = 0; start < rows; start += chunkRows, chunk++) {
    const size = Math.min(chunkRows, rows - start);
    const generating = performance.now();
    const batch = Object.fromEntries(features.map((feature, index) => [feature.name, generate(feature, index, 1, size, chunk)]));
    const adding = performance.now();
    accumulator.add(batch);
    driftMs += performance.now() - adding;
    generateMs += adding - generating;
  }
  started = performance.now();
  report = accumulator.result();
  driftMs += performance.now() - started;
}
const after = memory();
const peakRss = process.resourceUsage().maxRSS * 1024;
const values = featureCount * rows;

console.log(
  `computeDriftReport: ${driftMs.toFixed(0)} ms for ${values.toLocaleString("en-US")} values ` +
    `(${(((values / driftMs) * 1_000) / 1e6).toFixed(1)} M values/s, ${(driftMs / featureCount).toFixed(1)} ms a feature)`,
);
console.log(
  `memory: peak rss ${mib(peakRss)}; heapUsed ${mib(before.heapUsed)} → ${mib(after.heapUsed)}; ` +
    `arrayBuffers ${mib(after.arrayBuffers)}`,
);
console.log(
  `drifted: ${report.driftedFeatures.length} of ${report.features.length} (${report.driftedFeatures.join(", ")}); ` +
    `expected ${features.filter((feature) => feature.drifts).length}`,
);

if (args.out) {
  writeFileSync(
    args.out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        cpus: cpus().length,
        node: process.version,
        mode,
        features: featureCount,
        categorical: categoricalCount,
        rows,
        trainingRows,
        baselineMs,
        generateMs,
        driftMs,
        peakRssBytes: peakRss,
        heapUsedBefore: before.heapUsed,
        heapUsedAfter: after.heapUsed,
        driftedFeatures: report.driftedFeatures,
      },
      null,
      2,
    ),
  );
}
