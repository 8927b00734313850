import { loadConfig } from "../config.js";
import { storeChurnModel } from "./demo-model-artifacts.js";
import { GraphQLClient } from "./graphql-client.js";

/**
 * Loads a small but realistic lineage through the public API: raw clickstream data → a feature
 * pipeline → two hyperparameter sweeps at two commits → three model versions → a staging and a
 * production deployment, production running a 90/10 canary. Safe to run again: every step is an
 * idempotent registration, and the deployments are only rolled out when first created.
 * The model versions are real ONNX files in the artifact folder, so they are READY and the
 * deployments answer predict.
 */
export const DEMO_NAMESPACE = "acme-ml";

const digest = (label: string) => {
  let hash = 0x811c9dc5;
  for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  return `sha256:${hash.toString(16).padStart(8, "0").repeat(8)}`;
};

/** Deterministic pseudo-random numbers, so the demo curves are the same on every machine. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const M = {
  registerVersion: `mutation($input: RegisterDatasetVersionInput!) { registerDatasetVersion(input: $input) { datasetVersion { id } } }`,
  startRun: `mutation($input: StartRunInput!) { startRun(input: $input) { created run { id } } }`,
  updateRun: `mutation($input: UpdateRunInput!) { updateRun(input: $input) { id } }`,
  logMetrics: `mutation($input: LogMetricsInput!) { logMetrics(input: $input) { accepted } }`,
  commit: `mutation($input: RegisterCodeCommitInput!) { registerCodeCommit(input: $input) { codeCommit { id } } }`,
  featureSet: `mutation($input: RegisterFeatureSetInput!) { registerFeatureSet(input: $input) { featureSet { id } } }`,
  feature: `mutation($input: RegisterFeatureInput!) { registerFeature(input: $input) { feature { id } } }`,
  modelVersion: `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id version } } }`,
  alias: `mutation($input: SetModelAliasInput!) { setModelAlias(input: $input) { __typename } }`,
  deployment: `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { created deployment { id } } }`,
  traffic: `mutation($input: SetDeploymentTrafficInput!) { setDeploymentTraffic(input: $input) { revision } }`,
  columnLineage: `mutation($input: RegisterColumnLineageInput!) { registerColumnLineage(input: $input) { addedEdges } }`,
};

export interface DemoSummary {
  namespace: string;
  datasetVersions: number;
  runs: number;
  modelVersions: number;
  deployments: string[];
}

export interface DemoSeedOptions {
  /**
   * Where the model artifacts are written; the server must be able to read them there (it
   * verifies each file's SHA-256 when the version is registered). @defaultValue the artifact
   * folder of this process's configuration (PEDIGREE_ARTIFACT_DIR, else <PEDIGREE_DATA_DIR>/artifacts)
   */
  artifactDir?: string;
  /** API token to seed with (EDITOR and DEPLOYER at least); none for servers that serve anonymous callers. */
  token?: string;
}

export async function seedDemo(graphqlUrl: string, options: DemoSeedOptions = {}): Promise<DemoSummary> {
  const artifactDir = options.artifactDir ?? loadConfig().artifactDir;
  const api = new GraphQLClient(
    graphqlUrl,
    options.token ? { authorization: `Bearer ${options.token}` } : { "x-pedigree-actor": "demo-seed" },
  );
  const namespace = DEMO_NAMESPACE;
  let runs = 0;

  const registerVersion = async (
    dataset: string,
    partition: string,
    format: string,
    rowCount: number,
    producedByRunId?: string,
  ) => {
    const data = await api.request(M.registerVersion, {
      input: {
        namespace,
        dataset,
        uri: `s3://acme-lake/${dataset}/${partition}`,
        format,
        digest: digest(`${dataset}/${partition}`),
        rowCount,
        schema: dataset.startsWith("raw/")
          ? [
              { name: "event_id", type: "string" },
              { name: "user_id", type: "int64" },
              { name: "event_type", type: "string" },
              { name: "ts", type: "timestamp" },
            ]
          : [
              { name: "user_id", type: "int64" },
              { name: "sessions_7d", type: "int32" },
              { name: "purchases_30d", type: "int32" },
              { name: "avg_session_minutes", type: "float64" },
              { name: "churned", type: "bool" },
            ],
        ...(producedByRunId ? { producedByRunId } : {}),
      },
    });
    return data.registerDatasetVersion.datasetVersion.id as string;
  };

  const startRun = async (input: Record<string, unknown>) => {
    const data = await api.request(M.startRun, { input: { namespace, ...input } });
    runs += 1;
    return { id: data.startRun.run.id as string, created: data.startRun.created as boolean };
  };
  const complete = (id: string) => api.request(M.updateRun, { input: { id, status: "COMPLETED" } });

  // Raw events land daily; an ingestion run writes each partition.
  const raw: string[] = [];
  for (const day of ["2026-11-01", "2026-11-08"]) {
    const ingest = await startRun({ job: "ingest-clickstream", jobType: "airflow task", externalId: `demo-ingest-${day}` });
    raw.push(await registerVersion("raw/clickstream_events", `dt=${day}`, "PARQUET", 48_211_930, ingest.id));
    if (ingest.created) await complete(ingest.id);
  }

  // The feature pipeline turns each raw partition into a daily feature table plus a held-out split.
  const features: string[] = [];
  const holdouts: string[] = [];
  for (const [index, rawVersion] of raw.entries()) {
    const build = await startRun({
      job: "build-user-features",
      jobType: "spark",
      externalId: `demo-features-${index}`,
      inputs: [{ datasetVersionId: rawVersion, role: "OTHER" }],
    });
    const daily = await registerVersion(
      "features/user_activity_daily",
      `v${index + 1}`,
      "DELTA",
      1_204_332 + index * 5_120,
      build.id,
    );
    features.push(daily);
    // Column-level lineage of the feature table: which raw columns each feature is computed from.
    const from = (field: string, type: string, subtype: string) => ({
      datasetVersionId: rawVersion,
      field,
      transformations: [{ type, subtype }],
    });
    await api.request(M.columnLineage, {
      input: {
        datasetVersionId: daily,
        runId: build.id,
        fields: [
          { field: "user_id", inputs: [from("user_id", "DIRECT", "IDENTITY")] },
          { field: "sessions_7d", inputs: [from("event_id", "DIRECT", "AGGREGATION"), from("ts", "INDIRECT", "WINDOW")] },
          { field: "purchases_30d", inputs: [from("event_type", "INDIRECT", "FILTER"), from("ts", "INDIRECT", "WINDOW")] },
          { field: "avg_session_minutes", inputs: [from("ts", "DIRECT", "AGGREGATION")] },
        ],
      },
    });
    holdouts.push(
      await registerVersion("features/user_activity_holdout", `v${index + 1}`, "DELTA", 120_433 + index * 512, build.id),
    );
    if (build.created) await complete(build.id);
  }
  const featureSet = (await api.request(M.featureSet, { input: { namespace, name: "user_activity", entityKeys: ["user_id"] } }))
    .registerFeatureSet.featureSet.id as string;
  const featureIds: string[] = [];
  for (const [name, dtype] of [
    ["sessions_7d", "int32"],
    ["purchases_30d", "int32"],
    ["avg_session_minutes", "float64"],
  ] as const) {
    const data = await api.request(M.feature, {
      input: {
        featureSetId: featureSet,
        name,
        dtype,
        transformationRef: `github.com/acme/features#${name}`,
        sourceDatasetVersionIds: features,
      },
    });
    featureIds.push(data.registerFeature.feature.id);
  }

  // Two sweeps, at two commits, each a parent run with children.
  const commits = [
    { sha: "4f2c9a1e7b3d5f60718293a4b5c6d7e8f9012345", message: "Baseline logistic regression" },
    { sha: "9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b", message: "Add session features and L2 tuning" },
  ];
  const modelVersions: Array<{ id: string; version: number }> = [];
  for (const [sweepIndex, commit] of commits.entries()) {
    const commitId = (
      await api.request(M.commit, {
        input: {
          namespace,
          repository: "github.com/acme/churn-model",
          sha: commit.sha,
          branch: "main",
          author: "dana@acme.io",
          message: commit.message,
        },
      })
    ).registerCodeCommit.codeCommit.id as string;
    const trainOn = features[sweepIndex]!;
    const sweep = await startRun({
      job: "train-churn",
      jobType: "training",
      externalId: `demo-sweep-${sweepIndex}`,
      commitId,
      hyperparameters: { search: "grid", metric: "val_auc" },
    });
    const grid = sweepIndex === 0 ? [0.1, 0.03, 0.01, 0.003] : [0.03, 0.01, 0.003];
    const children: Array<{ id: string; auc: number; lr: number }> = [];
    for (const [childIndex, lr] of grid.entries()) {
      const child = await startRun({
        job: "train-churn",
        jobType: "training",
        externalId: `demo-sweep-${sweepIndex}-trial-${childIndex}`,
        parentRunId: sweep.id,
        commitId,
        hyperparameters: { model: "logistic_regression", lr, l2: 0.001 * (childIndex + 1), epochs: 30, seed: 7 },
        inputs: [
          { datasetVersionId: trainOn, role: "TRAIN" },
          { datasetVersionId: holdouts[sweepIndex]!, role: "VALIDATION" },
        ],
        featureIds,
      });
      const next = random(1_000 * sweepIndex + childIndex + 1);
      const ceiling = 0.8 + sweepIndex * 0.04 - Math.abs(Math.log10(lr) + 2) * 0.03;
      const points = Array.from({ length: 30 }, (_, epoch) => {
        const progress = 1 - Math.exp(-(epoch + 1) / 6);
        return [
          { key: "loss", value: 0.69 - 0.4 * progress + next() * 0.01, step: epoch },
          { key: "val_auc", value: 0.5 + (ceiling - 0.5) * progress + next() * 0.004, step: epoch },
        ];
      }).flat();
      if (child.created) {
        await api.request(M.logMetrics, { input: { runId: child.id, points } });
        await complete(child.id);
      }
      children.push({ id: child.id, auc: points.at(-1)!.value, lr });
    }
    if (sweep.created) await complete(sweep.id);
    const ranked = [...children].sort((a, b) => b.auc - a.auc);
    const promoted = sweepIndex === 0 ? ranked.slice(0, 1) : ranked.slice(0, 2);
    for (const candidate of promoted) {
      // Fewer sessions and purchases mean churn; better trials weigh the features more sharply.
      const sharpness = 1 + sweepIndex * 0.2 - Math.abs(Math.log10(candidate.lr) + 2) * 0.1;
      const artifact = await storeChurnModel(artifactDir, {
        weights: [-0.25, -0.6, -0.03].map((weight) => weight * sharpness),
        bias: 1.2,
        sourceRunId: candidate.id,
      });
      const data = await api.request(M.modelVersion, {
        input: {
          namespace,
          model: "churn-classifier",
          artifactUri: artifact.uri,
          artifactSha256: artifact.sha256,
          signature: artifact.signature,
          metrics: { val_auc: Number(candidate.auc.toFixed(4)) },
          sourceRunId: candidate.id,
          description: `lr=${candidate.lr} from sweep ${sweepIndex + 1}`,
        },
      });
      modelVersions.push(data.registerModelVersion.modelVersion);
    }
  }
  const [v1, v2, v3] = modelVersions.sort((a, b) => a.version - b.version);
  await api.request(M.alias, { input: { modelVersionId: v2!.id, alias: "champion" } });
  await api.request(M.alias, { input: { modelVersionId: v3!.id, alias: "challenger" } });

  // Staging runs the challenger; production moved v1 → v2 and now canaries v3 at 10%.
  // Traffic is only rolled out when a deployment is new, so that a second seed changes nothing.
  const staging = await api.request(M.deployment, { input: { namespace, name: "churn-staging", environment: "staging" } });
  if (staging.createDeployment.created) {
    await api.request(M.traffic, {
      input: {
        deploymentId: staging.createDeployment.deployment.id,
        trafficSplit: [{ modelVersionId: v3!.id, percent: 100 }],
        reason: "Stage the challenger",
      },
    });
  }
  const production = await api.request(M.deployment, {
    input: { namespace, name: "churn-production", environment: "production" },
  });
  if (production.createDeployment.created) {
    const deploymentId = production.createDeployment.deployment.id;
    await api.request(M.traffic, {
      input: { deploymentId, trafficSplit: [{ modelVersionId: v1!.id, percent: 100 }], reason: "First release" },
    });
    await api.request(M.traffic, {
      input: { deploymentId, trafficSplit: [{ modelVersionId: v2!.id, percent: 100 }], reason: "Promote champion v2" },
    });
    await api.request(M.traffic, {
      input: {
        deploymentId,
        trafficSplit: [
          { modelVersionId: v2!.id, percent: 90 },
          { modelVersionId: v3!.id, percent: 10 },
        ],
        reason: "Canary challenger v3 at 10%",
      },
    });
  }
  return {
    namespace,
    datasetVersions: raw.length + features.length + holdouts.length,
    runs,
    modelVersions: modelVersions.length,
    deployments: ["churn-staging", "churn-production"],
  };
}
