// A synthetic lineage graph shaped like a real ML platform, for bench/lineage.ts.
//
// Shape (shares of the node budget; about 5 edges per node):
//   commits 2 %  ·  raw dataset versions 10 % (4 versions per raw dataset; which dataset a pipeline
//   reads is Zipf-distributed, so a few raw datasets are read by a large part of the platform)
//   ETL runs 6 % reading 3–9 raw versions each (wide fan-in), every third one also reading 1–3
//   curated versions made earlier (a second tier), each writing 1–2 curated versions (≈ 8 %)
//   features 10 % in feature sets of 20, each feature sourced from 1–2 curated versions
//   sweeps 5 % (parent runs) with 2–18 child runs each (≈ 50 %); a sweep picks a feature set
//   (Zipf: a few feature sets are reused by many runs), train/validation/test curated versions
//   (Zipf) and a commit; every child uses 2–5 of the set's features
//   model versions ≈ 8 %: 1–2 per sweep, produced by its best children
//   deployments 1 %: 1–4 revisions each, a revision serving one model version (100 %) or two
//   (a canary or A/B split); earlier revisions' SERVES edges are closed (validTo), so `asOf` matters.
//
// Deterministic from the seed: node and edge ids are hashes of (seed, kind, index), and one PRNG
// stream drives every choice in a fixed order, so every pass over the graph yields the same rows.
// Nothing is held per edge: passes stream rows in batches (a 1M-node pass keeps a few MB of state).
import type { LineageEdgeKind, LineageGraphEdge, LineageNodeType } from "../graph/lineage-store.js";

export const LINEAGE_BENCH_SIZES = { "10k": 10_000, "100k": 100_000, "1M": 1_000_000 } as const;
export type LineageBenchSize = keyof typeof LINEAGE_BENCH_SIZES;

export const DEFAULT_LINEAGE_SEED = 20261125;

export interface LineageGraphSpec {
  /** Lineage nodes to aim for (the result is within a few percent). */
  nodes: number;
  /** @defaultValue DEFAULT_LINEAGE_SEED */
  seed?: number;
}

/** Entity tables the generator fills, in an order that satisfies their foreign keys. */
export const ENTITY_TABLES = [
  "namespace",
  "code_commit",
  "dataset",
  "dataset_version",
  "feature_set",
  "feature",
  "job",
  "run",
  "model",
  "model_version",
  "deployment",
  "deployment_revision",
] as const;
export type EntityTable = (typeof ENTITY_TABLES)[number];

/** One entity row by column name; JSON columns hold JSON text, times are Dates. */
export type EntityRow = Record<string, string | number | Date | null>;

export interface EntityRows {
  table: EntityTable;
  rows: EntityRow[];
}

/** Counts of a finished pass. */
export interface LineageGraphStats {
  nodes: Record<LineageNodeType, number>;
  totalNodes: number;
  edges: Record<LineageEdgeKind, number>;
  totalEdges: number;
  /** Of which closed (validTo set): superseded deployment revisions. */
  closedEdges: number;
  entityRows: Record<EntityTable, number>;
}

/** Nodes worth asking about, chosen from a finished pass. */
export interface LineageBenchTargets {
  /** Every deployment (row key). */
  deployments: string[];
  /** Raw dataset versions by number of direct consumers, most consumed first (row keys), with the count. */
  popularRawDatasetVersions: { id: string; consumers: number }[];
}

// Shares of the node budget of the kinds whose count is fixed up front (the others follow from them).
const SHARE = { commits: 0.02, rawVersions: 0.1, etlRuns: 0.06, features: 0.1, sweeps: 0.05, deployments: 0.01 } as const;
const MODELS_PER_NODE = 0.008;
const NAMESPACES = ["platform", "search", "ads", "risk", "recsys", "growth", "vision", "nlp"] as const;
const RAW_VERSIONS_PER_DATASET = 4;
const FEATURES_PER_SET = 20;
const ETL_RUNS_PER_JOB = 12;
/** Zipf exponents: raw dataset popularity, feature set reuse, curated training data popularity. */
const ZIPF_RAW = 1.0;
const ZIPF_FEATURE_SET = 1.0;
const ZIPF_CURATED = 0.8;
/** Every timestamp falls in 2025, so lineage "now" sees the current edges. */
const TIME_START = Date.UTC(2025, 0, 1);
const TIME_SPAN = Date.UTC(2025, 11, 31) - TIME_START;

// Salts that keep the id spaces of the generator's kinds apart.
const SALT = {
  namespace: 1,
  commit: 2,
  rawDataset: 3,
  rawVersion: 4,
  curatedDataset: 5,
  curatedVersion: 6,
  etlJob: 7,
  etlRun: 8,
  featureSet: 9,
  feature: 10,
  model: 11,
  trainJob: 12,
  parentRun: 13,
  childRun: 14,
  modelVersion: 15,
  deployment: 16,
  revision: 17,
  edge: 18,
  digest: 19,
} as const;

// ---------------------------------------------------------------------------------------------
// Deterministic ids and randomness
// ---------------------------------------------------------------------------------------------

/** MurmurHash3's 32-bit finaliser: a bijection on 32-bit integers with good avalanche. */
function fmix32(input: number): number {
  let h = input >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));
const byteHex = (value: number, shift: number) => BYTE_HEX[(value >>> shift) & 0xff]!;
/** The low `width` hex digits (8, 4 or 3) of a 32-bit value. */
function hex(value: number, width: 8 | 4 | 3): string {
  const low = byteHex(value, 8) + byteHex(value, 0);
  if (width === 8) return byteHex(value, 24) + byteHex(value, 16) + low;
  return width === 4 ? low : low.slice(1);
}

/** 128 pseudo-random bits for (seed, salt, index): the first word is a bijection of the index. */
function hashWords(seed: number, salt: number, index: number): [number, number, number, number] {
  const base = fmix32(seed ^ Math.imul(salt, 0x9e3779b9));
  const a = fmix32(index ^ base);
  const b = fmix32(a ^ Math.imul(salt + 1, 0x68e31da4));
  const c = fmix32(b + 0x1b56c4e9);
  const d = fmix32(c ^ base ^ index);
  return [a, b, c, d];
}

/** A version-4-shaped UUID for (seed, salt, index); distinct indexes of one salt never collide. */
export function benchUuid(seed: number, salt: number, index: number): string {
  const [a, b, c, d] = hashWords(seed, salt, index);
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b, 3)}-${hex(((c >>> 16) & 0x3fff) | 0x8000, 4)}-${hex(c, 4)}${hex(d, 8)}`;
}

/** Hex digest of `length` characters (≤ 64) for (seed, salt, index). */
function digestHex(seed: number, salt: number, index: number, length: number): string {
  let out = "";
  for (let lane = 0; out.length < length; lane++)
    out += hashWords(seed, salt + lane * 1_000, index)
      .map((w) => hex(w, 8))
      .join("");
  return out.slice(0, length);
}

/** Mulberry32: a tiny seeded PRNG (period 2^32, plenty for a few tens of millions of draws). */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Draws ranks 0…n-1 with probability ∝ 1/(rank+1)^s (inverse CDF by binary search). */
class ZipfSampler {
  private readonly cumulative: Float64Array;

  constructor(
    readonly size: number,
    exponent: number,
  ) {
    this.cumulative = new Float64Array(size);
    let total = 0;
    for (let rank = 0; rank < size; rank++) {
      total += 1 / (rank + 1) ** exponent;
      this.cumulative[rank] = total;
    }
  }

  sample(random: () => number): number {
    const target = random() * this.cumulative[this.size - 1]!;
    let low = 0;
    let high = this.size - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.cumulative[mid]! < target) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** `count` distinct values from `draw` (falls back to scanning when draws keep colliding). */
function distinct(count: number, universe: number, draw: () => number): number[] {
  const wanted = Math.min(count, universe);
  const picked = new Set<number>();
  for (let attempt = 0; picked.size < wanted && attempt < wanted * 20; attempt++) picked.add(draw());
  for (let value = 0; picked.size < wanted; value++) picked.add(value);
  return [...picked];
}

/** A run's latest_metrics column: `{ key: { value, step, timestamp } }`, as logMetrics keeps it. */
function latestMetrics(values: Record<string, number>, at: Date): string {
  const timestamp = at.toISOString();
  return JSON.stringify(Object.fromEntries(Object.entries(values).map(([key, value]) => [key, { value, step: 0, timestamp }])));
}

const between = (random: () => number, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

// ---------------------------------------------------------------------------------------------
// The graph
// ---------------------------------------------------------------------------------------------

/** What a pass yields; undefined for an item the pass was not asked for (only counted). */
type Emitted = { entity: EntityTable; row: EntityRow } | { edge: LineageGraphEdge } | undefined;

interface PassWants {
  entities: boolean;
  edges: boolean;
}

interface Plan {
  commits: number;
  rawVersions: number;
  rawDatasets: number;
  etlRuns: number;
  etlJobs: number;
  features: number;
  featureSets: number;
  sweeps: number;
  models: number;
  deployments: number;
}

function planFor(nodes: number): Plan {
  if (!Number.isInteger(nodes) || nodes < 1_000) throw new RangeError(`nodes must be an integer ≥ 1000; got ${nodes}`);
  const count = (share: number) => Math.max(1, Math.round(nodes * share));
  const rawVersions = count(SHARE.rawVersions);
  const etlRuns = count(SHARE.etlRuns);
  const features = count(SHARE.features);
  return {
    commits: count(SHARE.commits),
    rawVersions,
    rawDatasets: Math.ceil(rawVersions / RAW_VERSIONS_PER_DATASET),
    etlRuns,
    etlJobs: Math.max(1, Math.round(etlRuns / ETL_RUNS_PER_JOB)),
    features,
    featureSets: Math.ceil(features / FEATURES_PER_SET),
    sweeps: count(SHARE.sweeps),
    models: count(MODELS_PER_NODE),
    deployments: count(SHARE.deployments),
  };
}

const zeroNodes = (): Record<LineageNodeType, number> => ({
  DATASET_VERSION: 0,
  DATASET_FIELD: 0,
  FEATURE: 0,
  CODE_COMMIT: 0,
  RUN: 0,
  MODEL_VERSION: 0,
  DEPLOYMENT: 0,
});
const zeroEdges = (): Record<LineageEdgeKind, number> => ({
  CONSUMED: 0,
  PRODUCED: 0,
  SOURCE_OF: 0,
  USED: 0,
  BUILT_FROM: 0,
  SERVES: 0,
  PARENT_OF: 0,
  DERIVES: 0,
});
const zeroRows = (): Record<EntityTable, number> =>
  Object.fromEntries(ENTITY_TABLES.map((table) => [table, 0])) as Record<EntityTable, number>;

/**
 * The synthetic platform of `spec.nodes` lineage nodes. Each pass (edgeBatches, entityBatches)
 * regenerates the same graph from the seed; stats and targets come from the last finished pass.
 */
export class LineageGraphGenerator {
  readonly seed: number;
  readonly nodeBudget: number;
  private readonly plan: Plan;
  private finished: { stats: LineageGraphStats; rawConsumers: Int32Array; deployments: number } | undefined;

  constructor(spec: LineageGraphSpec) {
    this.seed = spec.seed ?? DEFAULT_LINEAGE_SEED;
    this.nodeBudget = spec.nodes;
    this.plan = planFor(spec.nodes);
  }

  /** Edges in batches of `size` (the last one shorter). */
  *edgeBatches(size: number): Generator<LineageGraphEdge[]> {
    let batch: LineageGraphEdge[] = [];
    for (const item of this.walk({ entities: false, edges: true })) {
      if (!item || !("edge" in item)) continue;
      batch.push(item.edge);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /**
   * Entity rows in groups of about `size` rows, each group listed in ENTITY_TABLES order: inserting
   * the groups in order, and the tables of a group in order, never breaks a foreign key.
   */
  *entityBatches(size: number): Generator<EntityRows[]> {
    const buffers = new Map<EntityTable, EntityRow[]>(ENTITY_TABLES.map((table) => [table, []]));
    let buffered = 0;
    const drain = (): EntityRows[] => {
      const group: EntityRows[] = [];
      for (const table of ENTITY_TABLES) {
        const rows = buffers.get(table)!;
        if (rows.length > 0) group.push({ table, rows });
        buffers.set(table, []);
      }
      buffered = 0;
      return group;
    };
    for (const item of this.walk({ entities: true, edges: false })) {
      if (!item || !("entity" in item)) continue;
      buffers.get(item.entity)!.push(item.row);
      if (++buffered >= size) yield drain();
    }
    if (buffered > 0) yield drain();
  }

  /** Counts of the last finished pass (runs a pass when none has finished yet). */
  stats(): LineageGraphStats {
    return this.finishedPass().stats;
  }

  /** Targets for the benchmark's queries (runs a pass when none has finished yet). */
  targets(popularCount: number): LineageBenchTargets {
    const { rawConsumers, deployments } = this.finishedPass();
    const ranked = Array.from(rawConsumers.keys()).sort((a, b) => rawConsumers[b]! - rawConsumers[a]! || a - b);
    return {
      deployments: Array.from({ length: deployments }, (_, index) => benchUuid(this.seed, SALT.deployment, index)),
      popularRawDatasetVersions: ranked.slice(0, popularCount).map((index) => ({
        id: benchUuid(this.seed, SALT.rawVersion, index),
        consumers: rawConsumers[index]!,
      })),
    };
  }

  private finishedPass() {
    if (!this.finished) for (const _ of this.walk({ entities: false, edges: false }));
    return this.finished!;
  }

  /**
   * One pass over the whole graph, in creation order. Rows and edges not wanted are counted but not
   * built; everything that draws from the random stream runs in every pass, so all passes agree.
   */
  private *walk(wants: PassWants): Generator<Emitted> {
    const { seed, plan } = this;
    const random = mulberry32(seed);
    const id = (salt: number, index: number) => benchUuid(seed, salt, index);
    const nodes = zeroNodes();
    const edges = zeroEdges();
    const rows = zeroRows();
    let closedEdges = 0;
    let edgeIndex = 0;
    // Creation times advance with every node made, over 2025.
    let sequence = 0;
    const expectedNodes = this.nodeBudget;
    const tick = (type: LineageNodeType): Date => {
      nodes[type]++;
      sequence++;
      return new Date(TIME_START + Math.floor((Math.min(sequence, expectedNodes) / expectedNodes) * TIME_SPAN * 0.97));
    };
    const entity = (table: EntityTable, makeRow: () => EntityRow): Emitted => {
      rows[table]++;
      return wants.entities ? { entity: table, row: makeRow() } : undefined;
    };
    const edge = (
      upstream: [LineageNodeType, string],
      downstream: [LineageNodeType, string],
      kind: LineageEdgeKind,
      validFrom: Date,
      extra: { role?: string; properties?: Record<string, unknown>; validTo?: Date | null } = {},
    ): Emitted => {
      edges[kind]++;
      if (extra.validTo) closedEdges++;
      const index = edgeIndex++;
      if (!wants.edges) return undefined;
      return {
        edge: {
          id: id(SALT.edge, index),
          upstream: { type: upstream[0], id: upstream[1] },
          downstream: { type: downstream[0], id: downstream[1] },
          kind,
          role: extra.role ?? null,
          properties: extra.properties ?? {},
          validFrom,
          validTo: extra.validTo ?? null,
        },
      };
    };
    const namespaceId = (index: number) => id(SALT.namespace, index % NAMESPACES.length);

    for (const [index, name] of NAMESPACES.entries()) {
      yield entity("namespace", () => ({
        id: id(SALT.namespace, index),
        name: `bench-${name}`,
        created_at: new Date(TIME_START),
      }));
    }

    // Commits.
    for (let c = 0; c < plan.commits; c++) {
      const at = tick("CODE_COMMIT");
      yield entity("code_commit", () => ({
        id: id(SALT.commit, c),
        namespace_id: namespaceId(c),
        repository: `git@git.example.com:${NAMESPACES[c % NAMESPACES.length]}/repo-${c % 7}.git`,
        sha: digestHex(seed, SALT.commit, c, 40),
        branch: c % 5 === 0 ? `feature/change-${c}` : "main",
        author: `engineer-${c % 97}@example.com`,
        message: `change ${c}`,
        committed_at: at,
        created_at: at,
      }));
    }
    const commitOf = (index: number): [LineageNodeType, string] => ["CODE_COMMIT", id(SALT.commit, index)];

    // Raw dataset versions: RAW_VERSIONS_PER_DATASET versions per raw dataset.
    const formats = ["PARQUET", "DELTA", "ICEBERG", "CSV"] as const;
    for (let v = 0; v < plan.rawVersions; v++) {
      const dataset = Math.floor(v / RAW_VERSIONS_PER_DATASET);
      const at = tick("DATASET_VERSION");
      if (v % RAW_VERSIONS_PER_DATASET === 0) {
        yield entity("dataset", () => ({
          id: id(SALT.rawDataset, dataset),
          namespace_id: namespaceId(dataset),
          name: `raw/source-${dataset}`,
          created_at: at,
        }));
      }
      const version = (v % RAW_VERSIONS_PER_DATASET) + 1;
      yield entity("dataset_version", () => ({
        id: id(SALT.rawVersion, v),
        dataset_id: id(SALT.rawDataset, dataset),
        version,
        uri: `s3://lake/raw/source-${dataset}/v${version}/`,
        format: formats[dataset % formats.length]!,
        digest: `sha256:${digestHex(seed, SALT.digest, v, 64)}`,
        row_count: 1_000 + ((v * 7919) % 10_000_000),
        size_bytes: 1_000_000 + ((v * 104_729) % 10_000_000_000),
        snapshot_ref: `snapshot-${v}`,
        created_at: at,
      }));
    }
    // Which raw dataset a pipeline reads is Zipf-distributed; the version within it is uniform.
    const rawDatasetPopularity = new ZipfSampler(plan.rawDatasets, ZIPF_RAW);
    const drawRawVersion = () => {
      const dataset = rawDatasetPopularity.sample(random);
      const versions = Math.min(RAW_VERSIONS_PER_DATASET, plan.rawVersions - dataset * RAW_VERSIONS_PER_DATASET);
      return dataset * RAW_VERSIONS_PER_DATASET + Math.floor(random() * versions);
    };
    const rawConsumers = new Int32Array(plan.rawVersions);

    // ETL runs: wide fan-in of raw versions, every third also reads curated versions (second tier).
    const curatedVersionCount = new Int32Array(plan.etlJobs * 2);
    let curated = 0;
    for (let j = 0; j < plan.etlJobs; j++) {
      yield entity("job", () => ({
        id: id(SALT.etlJob, j),
        namespace_id: namespaceId(0),
        name: `etl/pipeline-${j}`,
        job_type: "ETL",
        created_at: new Date(TIME_START),
      }));
    }
    for (let e = 0; e < plan.etlRuns; e++) {
      const runId = id(SALT.etlRun, e);
      const job = e % plan.etlJobs;
      const commit = Math.floor(random() * plan.commits);
      const secondTier = e % 3 === 2 && curated >= 4;
      const rawInputs = secondTier ? between(random, 1, 4) : between(random, 3, 9);
      const curatedInputs = secondTier ? distinct(between(random, 1, 3), curated, () => Math.floor(random() * curated)) : [];
      const raws = distinct(rawInputs, plan.rawVersions, drawRawVersion);
      const outputs = random() < 1 / 3 ? 2 : 1;
      const at = tick("RUN");
      yield entity("run", () => ({
        id: runId,
        job_id: id(SALT.etlJob, job),
        parent_run_id: null,
        commit_id: id(SALT.commit, commit),
        status: "COMPLETED",
        hyperparameters: "{}",
        latest_metrics: latestMetrics({ rows_written: 10_000 + (e % 1_000) * 1_000 }, at),
        started_at: at,
        ended_at: at,
        created_at: at,
      }));
      const run: [LineageNodeType, string] = ["RUN", runId];
      for (const raw of raws) {
        rawConsumers[raw]!++;
        yield edge(["DATASET_VERSION", id(SALT.rawVersion, raw)], run, "CONSUMED", at);
      }
      for (const input of curatedInputs) yield edge(["DATASET_VERSION", id(SALT.curatedVersion, input)], run, "CONSUMED", at);
      yield edge(commitOf(commit), run, "BUILT_FROM", at);
      for (let slot = 0; slot < outputs; slot++) {
        const dataset = job * 2 + slot;
        const version = ++curatedVersionCount[dataset]!;
        const versionId = id(SALT.curatedVersion, curated);
        const madeAt = tick("DATASET_VERSION");
        if (version === 1) {
          yield entity("dataset", () => ({
            id: id(SALT.curatedDataset, dataset),
            namespace_id: namespaceId(0),
            name: `curated/pipeline-${job}-${slot === 0 ? "main" : "aux"}`,
            created_at: madeAt,
          }));
        }
        yield entity("dataset_version", () => ({
          id: versionId,
          dataset_id: id(SALT.curatedDataset, dataset),
          version,
          uri: `s3://lake/curated/pipeline-${job}-${slot}/v${version}/`,
          format: "DELTA",
          digest: `sha256:${digestHex(seed, SALT.digest + 100, curated, 64)}`,
          row_count: 10_000 + ((curated * 7919) % 1_000_000),
          size_bytes: 1_000_000 + ((curated * 104_729) % 1_000_000_000),
          snapshot_ref: `delta-version-${version}`,
          created_at: madeAt,
        }));
        yield edge(run, ["DATASET_VERSION", versionId], "PRODUCED", madeAt);
        curated++;
      }
    }
    const curatedPopularity = new ZipfSampler(curated, ZIPF_CURATED);

    // Feature sets of FEATURES_PER_SET features over 2–3 curated versions each.
    let setSources: number[] = [];
    const dtypes = ["float64", "int64", "string", "bool", "embedding[64]"] as const;
    for (let f = 0; f < plan.features; f++) {
      const set = Math.floor(f / FEATURES_PER_SET);
      const at = tick("FEATURE");
      if (f % FEATURES_PER_SET === 0) {
        setSources = distinct(between(random, 2, 3), curated, () => curatedPopularity.sample(random));
        yield entity("feature_set", () => ({
          id: id(SALT.featureSet, set),
          namespace_id: namespaceId(set),
          name: `features/set-${set}`,
          created_at: at,
        }));
      }
      const featureId = id(SALT.feature, f);
      yield entity("feature", () => ({
        id: featureId,
        feature_set_id: id(SALT.featureSet, set),
        name: `feature_${f % FEATURES_PER_SET}`,
        dtype: dtypes[f % dtypes.length]!,
        transformation_ref: `transforms/set_${set}.py#feature_${f % FEATURES_PER_SET}`,
        created_at: at,
      }));
      const sources = distinct(between(random, 1, 2), setSources.length, () => Math.floor(random() * setSources.length));
      for (const source of sources) {
        yield edge(["DATASET_VERSION", id(SALT.curatedVersion, setSources[source]!)], ["FEATURE", featureId], "SOURCE_OF", at);
      }
    }

    // Models (one training job each), then sweeps: a parent run, its children, 1–2 model versions.
    for (let m = 0; m < plan.models; m++) {
      yield entity("model", () => ({
        id: id(SALT.model, m),
        namespace_id: namespaceId(m),
        name: `model-${m}`,
        created_at: new Date(TIME_START),
      }));
      yield entity("job", () => ({
        id: id(SALT.trainJob, m),
        namespace_id: namespaceId(m),
        name: `train/model-${m}`,
        job_type: "TRAINING",
        created_at: new Date(TIME_START),
      }));
    }
    const featureSetPopularity = new ZipfSampler(plan.featureSets, ZIPF_FEATURE_SET);
    const versionsOfModel: number[][] = Array.from({ length: plan.models }, () => []);
    let children = 0;
    let modelVersions = 0;
    const roles = ["TRAIN", "VALIDATION", "TEST"] as const;
    for (let s = 0; s < plan.sweeps; s++) {
      const model = Math.floor(random() * plan.models);
      const commit = Math.floor(random() * plan.commits);
      const featureSet = featureSetPopularity.sample(random);
      const setSize = Math.min(FEATURES_PER_SET, plan.features - featureSet * FEATURES_PER_SET);
      const data = distinct(3, curated, () => curatedPopularity.sample(random));
      const childCount = between(random, 2, 18);
      const parentId = id(SALT.parentRun, s);
      const startedAt = tick("RUN");
      yield entity("run", () => ({
        id: parentId,
        job_id: id(SALT.trainJob, model),
        parent_run_id: null,
        commit_id: id(SALT.commit, commit),
        status: "COMPLETED",
        hyperparameters: JSON.stringify({ search: "bayesian", trials: childCount }),
        latest_metrics: "{}",
        started_at: startedAt,
        ended_at: startedAt,
        created_at: startedAt,
      }));
      const parent: [LineageNodeType, string] = ["RUN", parentId];
      yield edge(commitOf(commit), parent, "BUILT_FROM", startedAt);
      const producers = random() < 0.6 ? 2 : 1;
      const firstChild = children;
      for (let k = 0; k < childCount; k++) {
        const childId = id(SALT.childRun, children++);
        const at = tick("RUN");
        // Drawn here, not in the row factory: every pass must consume the random stream alike.
        const auc = 0.7 + random() * 0.29;
        const hyperparameters = {
          learning_rate: Number((0.001 + random() * 0.1).toFixed(4)),
          max_depth: between(random, 3, 12),
          n_estimators: between(random, 50, 800),
        };
        yield entity("run", () => ({
          id: childId,
          job_id: id(SALT.trainJob, model),
          parent_run_id: parentId,
          commit_id: id(SALT.commit, commit),
          status: "COMPLETED",
          hyperparameters: JSON.stringify(hyperparameters),
          latest_metrics: latestMetrics({ auc: Number(auc.toFixed(4)), logloss: Number((1 - auc).toFixed(4)) }, at),
          started_at: at,
          ended_at: at,
          created_at: at,
        }));
        const child: [LineageNodeType, string] = ["RUN", childId];
        yield edge(parent, child, "PARENT_OF", at);
        for (const [index, input] of data.entries()) {
          yield edge(["DATASET_VERSION", id(SALT.curatedVersion, input)], child, "CONSUMED", at, { role: roles[index]! });
        }
        const used = distinct(between(random, 2, 5), setSize, () => Math.floor(random() * setSize));
        for (const feature of used) {
          yield edge(["FEATURE", id(SALT.feature, featureSet * FEATURES_PER_SET + feature)], child, "USED", at);
        }
        yield edge(commitOf(commit), child, "BUILT_FROM", at);
      }
      for (let p = 0; p < Math.min(producers, childCount); p++) {
        const sourceRun = id(SALT.childRun, firstChild + p);
        const versionId = id(SALT.modelVersion, modelVersions);
        const version = versionsOfModel[model]!.push(modelVersions);
        const at = tick("MODEL_VERSION");
        const auc = 0.8 + random() * 0.19;
        yield entity("model_version", () => ({
          id: versionId,
          model_id: id(SALT.model, model),
          version,
          artifact_uri: `s3://models/model-${model}/v${version}/model.onnx`,
          artifact_sha256: digestHex(seed, SALT.modelVersion + 200, modelVersions, 64),
          metrics: JSON.stringify({ auc: Number(auc.toFixed(4)) }),
          source_run_id: sourceRun,
          created_at: at,
        }));
        yield edge(["RUN", sourceRun], ["MODEL_VERSION", versionId], "PRODUCED", at);
        modelVersions++;
      }
    }

    // Deployments: 1–4 revisions, each serving one version or a split of two; older revisions closed.
    const servable = versionsOfModel.flatMap((versions, model) => (versions.length > 0 ? [model] : []));
    const environments = ["production", "staging", "canary"] as const;
    const splits = [
      [90, 10],
      [80, 20],
      [50, 50],
    ] as const;
    for (let d = 0; d < plan.deployments; d++) {
      const model = servable[Math.floor(random() * servable.length)]!;
      const versions = versionsOfModel[model]!;
      const deploymentId = id(SALT.deployment, d);
      const createdAt = tick("DEPLOYMENT");
      yield entity("deployment", () => ({
        id: deploymentId,
        namespace_id: namespaceId(model),
        name: `deployment-${d}`,
        environment: environments[d % environments.length]!,
        created_at: createdAt,
      }));
      const revisions = between(random, 1, 4);
      const plans = Array.from({ length: revisions }, () => {
        const main = versions[Math.floor(random() * versions.length)]!;
        if (versions.length < 2 || random() >= 0.3) return [{ version: main, percent: 100 }];
        let other = main;
        while (other === main) other = versions[Math.floor(random() * versions.length)]!;
        const split = splits[Math.floor(random() * splits.length)]!;
        return [
          { version: main, percent: split[0] },
          { version: other, percent: split[1] },
        ];
      });
      // Revisions spread over the rest of the year after the deployment was created.
      const remaining = TIME_START + TIME_SPAN - createdAt.getTime();
      const revisionTimes = plans.map((_, r) => new Date(createdAt.getTime() + Math.floor((remaining * r) / (revisions + 1))));
      for (const [r, shares] of plans.entries()) {
        const from = revisionTimes[r]!;
        const to = revisionTimes[r + 1] ?? null;
        yield entity("deployment_revision", () => ({
          id: id(SALT.revision, d * 4 + r),
          deployment_id: deploymentId,
          revision: r + 1,
          traffic_split: JSON.stringify(
            shares.map((s) => ({ modelVersionId: id(SALT.modelVersion, s.version), percent: s.percent })),
          ),
          actor: "bench@example.com",
          reason: r === 0 ? "launch" : "rollout",
          created_at: from,
        }));
        for (const share of shares) {
          yield edge(["MODEL_VERSION", id(SALT.modelVersion, share.version)], ["DEPLOYMENT", deploymentId], "SERVES", from, {
            properties: { percent: share.percent },
            validTo: to,
          });
        }
      }
    }

    const totalNodes = Object.values(nodes).reduce((a, b) => a + b, 0);
    this.finished = {
      stats: { nodes, totalNodes, edges, totalEdges: edgeIndex, closedEdges, entityRows: rows },
      rawConsumers,
      deployments: plan.deployments,
    };
  }
}
