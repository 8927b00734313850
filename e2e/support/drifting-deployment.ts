import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { callApi, waitForJob } from "./stack-api.js";
import type { TestStack } from "./stack.js";

const FEATURES = ["x0", "x1", "x2"] as const;

/** Deterministic standard normal samples (LCG + Box–Muller), the same on every machine. */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

export interface DriftingDeployment {
  deploymentId: string;
  deploymentName: string;
  modelVersionId: string;
  trainingJobId: string;
  runId: string;
}

/**
 * Everything through the public API, as a team would do it: a CSV training set registered as a
 * dataset version, a training job (which records the model version's baseline statistics), and a
 * deployment serving the trained version. The caller can open `trainingJobId` while it trains.
 */
export async function startDriftingDeployment(
  stack: TestStack,
  dir: string,
  name: string,
  onTrainingStarted?: (jobId: string) => Promise<void>,
): Promise<DriftingDeployment> {
  const next = normals(11);
  const lines = [[...FEATURES, "label"].join(",")];
  for (let row = 0; row < 600; row++) {
    const values = FEATURES.map(() => next());
    lines.push([...values.map((value) => value.toFixed(5)), values[0]! + values[1]! > 0 ? 1 : 0].join(","));
  }
  const csv = `${lines.join("\n")}\n`;
  const file = path.join(dir, `${name}.csv`);
  await writeFile(file, csv);
  const { registerDatasetVersion } = await callApi(
    stack,
    `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`,
    {
      input: {
        namespace: "acme-ml",
        dataset: `e2e/${name}`,
        uri: pathToFileURL(file).href,
        format: "CSV",
        digest: `sha256:${createHash("sha256").update(csv).digest("hex")}`,
        rowCount: 600,
        schema: [...FEATURES.map((feature) => ({ name: feature, type: "double" })), { name: "label", type: "int64" }],
      },
    },
  );
  const { startTraining } = await callApi(
    stack,
    `mutation($input: StartTrainingInput!) { startTraining(input: $input) { job { id } } }`,
    {
      input: {
        namespace: "acme-ml",
        model: name,
        trainDatasetVersionId: registerDatasetVersion.datasetVersion.id,
        featureColumns: [...FEATURES],
        target: "label",
        algorithm: "LOGISTIC_REGRESSION",
        seed: 1,
        hyperparameters: { task: "classification", maxEpochs: 40, earlyStopping: false },
      },
    },
  );
  const trainingJobId = startTraining.job.id as string;
  await onTrainingStarted?.(trainingJobId);
  const result = await waitForJob(stack, trainingJobId);
  const modelVersionId = result.modelVersionId as string;
  const { createDeployment } = await callApi(
    stack,
    `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { deployment { id } } }`,
    {
      input: {
        namespace: "acme-ml",
        name,
        environment: "production",
        trafficSplit: [{ modelVersionId, percent: 100 }],
        reason: "e2e: serve the trained version",
      },
    },
  );
  return {
    deploymentId: createDeployment.deployment.id,
    deploymentName: name,
    modelVersionId,
    trainingJobId,
    runId: result.runId as string,
  };
}

/** Scores `rows` predictions whose x0 is shifted by `shift` standard deviations (the drift). */
export async function predictShifted(
  stack: TestStack,
  deploymentName: string,
  rows: number,
  shift: number,
  seed: number,
): Promise<void> {
  const next = normals(seed);
  const input = Array.from({ length: rows }, () => ({ x0: next() + shift, x1: next(), x2: next() }));
  await callApi(stack, `mutation($input: PredictInput!) { predict(input: $input) { predictions { predictionId } } }`, {
    input: { namespace: "acme-ml", deployment: deploymentName, rows: input },
  });
}

/**
 * Runs monitoring over the last hour until it raises an alert (the prediction log is written
 * asynchronously, so the first window may not hold the newest rows yet). Returns the alert ids.
 */
export async function monitorUntilAlert(stack: TestStack, deploymentId: string, attempts = 10): Promise<string[]> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const { runMonitoring } = await callApi(
      stack,
      `mutation($input: RunMonitoringInput!) { runMonitoring(input: $input) { id } }`,
      {
        input: { deploymentId },
      },
    );
    const result = await waitForJob(stack, runMonitoring.id);
    const raised = (result.alertsRaised ?? []) as string[];
    if (raised.length > 0) return raised;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`monitoring raised no alert on ${deploymentId} after ${attempts} windows`);
}
