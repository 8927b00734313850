import type {
  LineageGraph,
  LineageGraphNode,
  LineageNodeKey,
  LineageNodeType,
  LineagePath,
  TraverseOptions,
} from "../../graph/lineage-store.js";
import type { Database } from "../db/database.js";
import { InputInvalidError } from "../errors/common-errors.js";
import type { LineageEdge } from "./lineage-edge.js";
import type { LineageEdgeRepository } from "./lineage-edge.repository.js";
import type { LineageNodeGuard } from "./lineage-node-guard.js";
import type { LineageConsistency, LineageReadSource } from "./lineage-read-router.js";
import type { GraphProjectionStatus, LineageRuntime } from "./lineage-runtime.js";

/** Caps on what one lineage request may ask for (configurable, within the stores' hard bounds). */
export interface LineageLimits {
  /** @defaultValue 10 */
  maxDepth: number;
  /** @defaultValue 2000 */
  maxNodes: number;
}

export const DEFAULT_LINEAGE_LIMITS: LineageLimits = { maxDepth: 10, maxNodes: 2_000 };

/** A node as the client named it. */
export interface LineageRoot extends LineageNodeKey {
  /** The id as the client sent it, for NOT_FOUND messages. */
  shownAs: string;
}

export interface LineageQuery extends Omit<TraverseOptions, "root"> {
  root: LineageRoot;
  consistency?: LineageConsistency;
}

/** Every answer says which store gave it and how fresh it is. */
export interface LineageAnswer<T> {
  result: T;
  source: LineageReadSource;
}

export interface ImpactQuery {
  root: LineageRoot;
  asOf?: Date | undefined;
  maxDepth: number;
  limit: number;
  consistency?: LineageConsistency;
}

/** A deployment's traffic share held by a model version over [validFrom, validTo). */
export interface ServingShare {
  modelVersionId: string;
  percent: number;
  validFrom: Date;
  validTo: Date | null;
}

export interface ImpactedDeployment {
  deploymentId: string;
  /** True when an impacted model version served traffic on it at `asOf`. */
  servingAt: boolean;
  /** Percent of its traffic served by impacted model versions at `asOf`. */
  trafficPercent: number;
  /** Every share an impacted model version held on it up to `asOf`, oldest first. */
  shares: ServingShare[];
}

export interface Impact {
  root: LineageNodeKey;
  asOf: Date;
  runs: LineageGraphNode[];
  modelVersions: LineageGraphNode[];
  deployments: ImpactedDeployment[];
  truncated: boolean;
}

export interface ProvenanceQuery {
  /** Exactly one of the two. */
  deployment?: LineageRoot | undefined;
  modelVersion?: LineageRoot | undefined;
  asOf?: Date | undefined;
  maxDepth: number;
  limit: number;
  consistency?: LineageConsistency;
}

export interface ProvenanceDatasetVersion {
  id: string;
  depth: number;
  /** Role of the input where a run of the provenance read it (TRAIN, VALIDATION, TEST, OTHER). */
  role: string | null;
  /** Id of the run that read it with that role. */
  readByRunId: string | null;
}

export interface ModelVersionProvenance {
  modelVersionId: string;
  /** Share of the deployment's traffic at `asOf`; null when asked for a model version. */
  trafficPercent: number | null;
  /** Runs upstream, producing run(s) first (depth 1). */
  runs: LineageGraphNode[];
  datasetVersions: ProvenanceDatasetVersion[];
  features: LineageGraphNode[];
  commits: LineageGraphNode[];
  graph: LineageGraph;
}

export interface Provenance {
  asOf: Date;
  deploymentId: string | null;
  modelVersions: ModelVersionProvenance[];
  truncated: boolean;
}

export interface LineagePathQuery {
  from: LineageRoot;
  to: LineageRoot;
  asOf?: Date | undefined;
  maxDepth: number;
  edgeKinds?: TraverseOptions["edgeKinds"];
  consistency?: LineageConsistency;
}

export interface LineagePathAnswer {
  /** DOWNSTREAM when `to` is downstream of `from`, UPSTREAM when upstream; path null when neither. */
  direction: "DOWNSTREAM" | "UPSTREAM" | null;
  /** Nodes and edges in the order data flowed. */
  path: LineagePath | null;
}

const IMPACT_ROOT_TYPES: readonly LineageNodeType[] = [
  "DATASET_VERSION",
  "DATASET_FIELD",
  "FEATURE",
  "CODE_COMMIT",
  "RUN",
  "MODEL_VERSION",
];

const percentOf = (edge: LineageEdge): number => {
  const percent = edge.properties?.percent;
  return typeof percent === "number" ? percent : 0;
};

const validAt = (edge: LineageEdge, asOf: Date) =>
  edge.validFrom.getTime() <= asOf.getTime() && (edge.validTo === null || edge.validTo.getTime() > asOf.getTime());

/** Lineage reads: the graph around a node, impact, provenance and paths, from whichever store should answer. */
export class LineageService {
  private readonly limits: LineageLimits;

  constructor(
    private readonly db: Database,
    private readonly runtime: LineageRuntime,
    private readonly guard: LineageNodeGuard,
    private readonly edges: LineageEdgeRepository,
  ) {
    this.limits = runtime.limits;
  }

  projectionStatus(): Promise<GraphProjectionStatus> {
    return this.runtime.status();
  }

  /** The lineage graph around a node; NOT_FOUND when the node does not exist. */
  async lineage(query: LineageQuery): Promise<LineageAnswer<LineageGraph>> {
    this.checkBounds(query.maxDepth, query.limit);
    await this.requireNodes(query.root);
    const { root, consistency, ...options } = query;
    return this.runtime.reads.read(consistency ?? "EVENTUAL", (store) =>
      store.traverse({ ...options, root: { type: root.type, id: root.id } }),
    );
  }

  /**
   * Everything downstream of a node that a bad input would have touched: runs, model versions, and
   * every deployment that served one of them up to `asOf`, marked when it still served at `asOf`.
   */
  async impact(query: ImpactQuery): Promise<LineageAnswer<Impact>> {
    if (!IMPACT_ROOT_TYPES.includes(query.root.type)) {
      throw new InputInvalidError(
        "nodeId",
        "must be a dataset version, field, feature, code commit, run or model version; a deployment has nothing downstream (ask for its provenance).",
      );
    }
    this.checkBounds(query.maxDepth, query.limit);
    await this.requireNodes(query.root);
    const asOf = query.asOf ?? new Date();
    const root = { type: query.root.type, id: query.root.id };
    const answer = await this.runtime.reads.read(query.consistency ?? "EVENTUAL", (store) =>
      // Deployments come from the SERVES history below, so that one that served last week shows too.
      store.traverse({
        root,
        direction: "DOWNSTREAM",
        maxDepth: query.maxDepth,
        limit: query.limit,
        asOf,
        edgeKinds: ["CONSUMED", "PRODUCED", "SOURCE_OF", "USED", "BUILT_FROM", "PARENT_OF", "DERIVES"],
        nodeTypes: ["RUN", "MODEL_VERSION"],
      }),
    );
    const graph = answer.result;
    const reached = graph.nodes.filter((node) => node.depth > 0);
    const modelVersions = reached.filter((node) => node.type === "MODEL_VERSION");
    // A model version as the root is not in its own impact, but its deployments are.
    const servingCandidates = [...(root.type === "MODEL_VERSION" ? [root.id] : []), ...modelVersions.map((node) => node.id)];
    const serves = await this.edges.servesFrom(servingCandidates, asOf);
    return {
      source: answer.source,
      result: {
        root,
        asOf,
        runs: reached.filter((node) => node.type === "RUN"),
        modelVersions,
        deployments: groupByDeployment(serves, asOf),
        truncated: graph.truncated,
      },
    };
  }

  /**
   * What stood behind a deployment (every model version in its traffic split at `asOf`) or behind
   * one model version: the runs, exact dataset versions with roles, features and commits upstream.
   */
  async provenance(query: ProvenanceQuery): Promise<LineageAnswer<Provenance>> {
    if ((query.deployment === undefined) === (query.modelVersion === undefined)) {
      throw new InputInvalidError("deploymentId", "give exactly one of deploymentId and modelVersionId.");
    }
    this.checkBounds(query.maxDepth, query.limit);
    const asOf = query.asOf ?? new Date();
    let served: Array<{ modelVersionId: string; percent: number | null }>;
    if (query.deployment) {
      await this.requireNodes({ ...query.deployment, field: "deploymentId" });
      const split = await this.edges.servesIntoAt(query.deployment.id, asOf);
      served = split.map((edge) => ({ modelVersionId: edge.upstream.id, percent: percentOf(edge) }));
      served.sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0) || compareIds(a.modelVersionId, b.modelVersionId));
    } else {
      const modelVersion = query.modelVersion as LineageRoot;
      await this.requireNodes({ ...modelVersion, field: "modelVersionId" });
      served = [{ modelVersionId: modelVersion.id, percent: null }];
    }
    const answer = await this.runtime.reads.read(query.consistency ?? "EVENTUAL", (store) =>
      Promise.all(
        served.map(({ modelVersionId }) =>
          store.traverse({
            root: { type: "MODEL_VERSION", id: modelVersionId },
            direction: "UPSTREAM",
            maxDepth: query.maxDepth,
            limit: query.limit,
            asOf,
          }),
        ),
      ),
    );
    const modelVersions = served.map((share, index) =>
      summarizeProvenance(share.modelVersionId, share.percent, answer.result[index] as LineageGraph),
    );
    return {
      source: answer.source,
      result: {
        asOf,
        deploymentId: query.deployment?.id ?? null,
        modelVersions,
        truncated: modelVersions.some((entry) => entry.graph.truncated),
      },
    };
  }

  /** A shortest path between two nodes along the flow of data, in whichever direction connects them. */
  async path(query: LineagePathQuery): Promise<LineageAnswer<LineagePathAnswer>> {
    if (!Number.isInteger(query.maxDepth) || query.maxDepth < 1 || query.maxDepth > this.limits.maxDepth) {
      throw new InputInvalidError("maxDepth", `must be between 1 and ${this.limits.maxDepth}; got ${query.maxDepth}.`);
    }
    await this.requireNodes({ ...query.from, field: "from" }, { ...query.to, field: "to" });
    const from = { type: query.from.type, id: query.from.id };
    const to = { type: query.to.type, id: query.to.id };
    const common = {
      maxDepth: query.maxDepth,
      ...(query.asOf ? { asOf: query.asOf } : {}),
      ...(query.edgeKinds ? { edgeKinds: query.edgeKinds } : {}),
    };
    return this.runtime.reads.read(query.consistency ?? "EVENTUAL", async (store): Promise<LineagePathAnswer> => {
      const downstream = await store.shortestPath({ ...common, from, to });
      if (downstream) return { direction: "DOWNSTREAM", path: downstream };
      const upstream = await store.shortestPath({ ...common, from: to, to: from });
      if (upstream) return { direction: "UPSTREAM", path: upstream };
      return { direction: null, path: null };
    });
  }

  private checkBounds(depth: number, limit: number): void {
    if (!Number.isInteger(depth) || depth < 1 || depth > this.limits.maxDepth) {
      throw new InputInvalidError("depth", `must be between 1 and ${this.limits.maxDepth}; got ${depth}.`);
    }
    if (!Number.isInteger(limit) || limit < 1 || limit > this.limits.maxNodes) {
      throw new InputInvalidError("limit", `must be between 1 and ${this.limits.maxNodes}; got ${limit}.`);
    }
  }

  private async requireNodes(...roots: Array<LineageRoot & { field?: string }>): Promise<void> {
    await this.guard.requireAll(
      this.db.prisma,
      roots.map((root) => ({ type: root.type, id: root.id, shownAs: root.shownAs, field: root.field ?? "nodeId" })),
    );
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function groupByDeployment(serves: LineageEdge[], asOf: Date): ImpactedDeployment[] {
  const byDeployment = new Map<string, ImpactedDeployment>();
  for (const edge of serves) {
    const deploymentId = edge.downstream.id;
    const entry = byDeployment.get(deploymentId) ?? { deploymentId, servingAt: false, trafficPercent: 0, shares: [] };
    const percent = percentOf(edge);
    entry.shares.push({ modelVersionId: edge.upstream.id, percent, validFrom: edge.validFrom, validTo: edge.validTo });
    if (validAt(edge, asOf) && percent > 0) {
      entry.servingAt = true;
      entry.trafficPercent += percent;
    }
    byDeployment.set(deploymentId, entry);
  }
  // Serving ones first (most traffic first), then the rest, each by id: stable for clients and tests.
  return [...byDeployment.values()].sort(
    (a, b) =>
      Number(b.servingAt) - Number(a.servingAt) ||
      b.trafficPercent - a.trafficPercent ||
      compareIds(a.deploymentId, b.deploymentId),
  );
}

function summarizeProvenance(modelVersionId: string, trafficPercent: number | null, graph: LineageGraph): ModelVersionProvenance {
  const depthOf = new Map(graph.nodes.map((node) => [`${node.type}:${node.id}`, node.depth]));
  const ofType = (type: LineageNodeType) => graph.nodes.filter((node) => node.type === type);
  // The role a dataset version was read with, by the closest run that read it.
  const readBy = new Map<string, { role: string | null; runId: string; runDepth: number }>();
  for (const edge of graph.edges) {
    if (edge.kind !== "CONSUMED" || edge.upstream.type !== "DATASET_VERSION") continue;
    const runDepth = depthOf.get(`RUN:${edge.downstream.id}`) ?? Number.POSITIVE_INFINITY;
    const known = readBy.get(edge.upstream.id);
    if (!known || runDepth < known.runDepth || (runDepth === known.runDepth && compareIds(edge.downstream.id, known.runId) < 0)) {
      readBy.set(edge.upstream.id, { role: edge.role, runId: edge.downstream.id, runDepth });
    }
  }
  return {
    modelVersionId,
    trafficPercent,
    runs: ofType("RUN"),
    datasetVersions: ofType("DATASET_VERSION").map((node) => ({
      id: node.id,
      depth: node.depth,
      role: readBy.get(node.id)?.role ?? null,
      readByRunId: readBy.get(node.id)?.runId ?? null,
    })),
    features: ofType("FEATURE"),
    commits: ofType("CODE_COMMIT"),
    graph,
  };
}
