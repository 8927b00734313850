// Training time (issue 4): logistic regression and an MLP on 100k rows × 50 features of seeded
// synthetic data, through the same train() and exportOnnx() the training worker calls. Each model
// runs in its own child process so its peak RSS is its own.
//
//   npx tsx bench/training.ts [--rows 100000] [--features 50] [--max-epochs 20] [--patience 3]
//                             [--batch-size 32] [--hidden 64,32] [--models logistic_regression,mlp]
//
// Wall time covers train() as a whole (split, standardization, epochs with one validation pass each,
// final metrics, permutation importance on ≤ 2,000 validation rows × 5 repeats); rows/s counts
// training rows × epochs over the time until the last epoch ended (split and standardization fall in
// the first epoch's share).
import { spawnSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { exportOnnx } from "../workers/training/onnx/export.js";
import { syntheticClassification } from "../workers/training/synthetic-data.js";
import { train } from "../workers/training/train.js";
import type { ModelKind, TrainingSpec } from "../workers/training/types.js";
import { fmt } from "./lib/stats.js";

const { values: args } = parseArgs({
  options: {
    rows: { type: "string", default: "100000" },
    features: { type: "string", default: "50" },
    "max-epochs": { type: "string", default: "20" },
    patience: { type: "string", default: "3" },
    "batch-size": { type: "string", default: "32" },
    hidden: { type: "string", default: "64,32" },
    models: { type: "string", default: "logistic_regression,mlp" },
    child: { type: "string" },
  },
});

interface ChildResult {
  model: ModelKind;
  generateMs: number;
  trainMs: number;
  epochMs: number;
  /** After the last epoch: final train/validation metrics and permutation importance. */
  afterEpochsMs: number;
  epochs: number;
  bestEpoch: number;
  trainRows: number;
  validationAccuracy: number;
  exportMs: number;
  onnxBytes: number;
  peakRssMiB: number;
}

const SEED = 2024;

async function runChild(model: ModelKind): Promise<ChildResult> {
  const rows = Number(args.rows);
  const features = Number(args.features);
  let started = performance.now();
  const data = syntheticClassification({ rows, features, seed: SEED, labelNoise: 0.5 });
  const generateMs = performance.now() - started;
  const spec: TrainingSpec = {
    model,
    seed: SEED,
    maxEpochs: Number(args["max-epochs"]),
    batchSize: Number(args["batch-size"]),
    earlyStopping: { patience: Number(args.patience) },
    ...(model === "mlp" ? { task: "classification", hiddenLayers: args.hidden.split(",").map(Number) } : {}),
  };
  let epochMs = 0;
  let epochStarted = performance.now();
  started = performance.now();
  const trained = await train(spec, data, {
    onEpoch: () => {
      epochMs += performance.now() - epochStarted;
      epochStarted = performance.now();
    },
  });
  const trainMs = performance.now() - started;
  const afterEpochsMs = performance.now() - epochStarted;
  started = performance.now();
  const onnx = exportOnnx(trained);
  const exportMs = performance.now() - started;
  const validation = trained.metrics.validation;
  return {
    model,
    generateMs,
    trainMs,
    epochMs,
    afterEpochsMs,
    epochs: trained.epochs.length,
    bestEpoch: trained.bestEpoch,
    trainRows: trained.split.trainRows,
    validationAccuracy: validation.task === "regression" ? Number.NaN : validation.accuracy,
    exportMs,
    onnxBytes: onnx.length,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
  };
}

if (args.child) {
  console.log(JSON.stringify(await runChild(args.child as ModelKind)));
} else {
  console.log(
    `date ${new Date().toISOString()}; ${cpus().length} × ${cpus()[0]?.model}; ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`,
  );
  console.log(
    `training: ${args.rows} rows × ${args.features} features (seed ${SEED}, 80/20 split), batch ${args["batch-size"]}, Adam, ` +
      `≤ ${args["max-epochs"]} epochs, early stopping patience ${args.patience}; MLP hidden [${args.hidden}] ReLU`,
  );
  const childArgs = process.argv.slice(2);
  for (const model of args.models.split(",")) {
    const result = spawnSync(process.execPath, ["--import", "tsx", "bench/training.ts", ...childArgs, "--child", model], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    if (result.status !== 0) process.exit(result.status ?? 1);
    const r = JSON.parse(result.stdout.trim().split("\n").at(-1)!) as ChildResult;
    const rowsPerSecond = (r.trainRows * r.epochs) / (r.epochMs / 1000);
    console.log(
      `${r.model.padEnd(20)} wall ${fmt(r.trainMs / 1000)} s  epochs ${r.epochs} (best ${r.bestEpoch})  ` +
        `${fmt(r.epochMs / r.epochs / 1000, 3)} s/epoch  ${Math.round(rowsPerSecond).toLocaleString("en-US")} rows/s  ` +
        `metrics+importance ${fmt(r.afterEpochsMs / 1000)} s  ` +
        `val accuracy ${fmt(r.validationAccuracy, 4)}  peak RSS ${fmt(r.peakRssMiB, 0)} MiB  ` +
        `ONNX ${r.onnxBytes} B in ${fmt(r.exportMs, 1)} ms  (data generation ${fmt(r.generateMs / 1000)} s)`,
    );
  }
}
