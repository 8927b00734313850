import { readFileSync } from "node:fs";
import neo4j, { type Driver, type Integer, type ManagedTransaction } from "neo4j-driver";
import {
  checkShortestPathOptions,
  checkTraverseOptions,
  type LineageEdgeKind,
  type LineageGraph,
  type LineageGraphEdge,
  type LineageGraphNode,
  type LineageNodeKey,
  type LineageNodeType,
  type LineagePath,
  type LineageStep,
  type LineageStore,
  searchShortestPath,
  type ShortestPathOptions,
  type TraverseOptions,
} from "../lineage-store.js";

const query = (name: string) => readFileSync(new URL(`./queries/${name}.cypher`, import.meta.url), "utf8");

const QUERIES = {
  createNodeKeyConstraint: query("create-node-key-constraint"),
  createEdgeIdConstraint: query("create-edge-id-constraint"),
  awaitIndexes: query("await-indexes"),
  recordEdges: query("record-edges"),
  deleteAll: query("delete-all"),
  expandDownstream: query("expand-downstream"),
  expandUpstream: query("expand-upstream"),
  reachUpstream: query("reach-upstream"),
  edgesBetween: query("edges-between"),
  expandDownstreamEdges: query("expand-downstream-edges"),
  edgesById: query("edges-by-id"),
} as const;

/** Edges written per transaction: big enough to amortise the round trip, small enough to keep locks short. */
const RECORD_BATCH_SIZE = 1_000;

/** Seconds open() waits for the constraints' indexes to come online. */
const INDEX_WAIT_SECONDS = 60;

export interface Neo4jLineageStoreOptions {
  /** Bolt URL of the server, e.g. `bolt://127.0.0.1:57687` (`neo4j://…` for a cluster). */
  url: string;
  /** User for basic authentication. @defaultValue none: the server runs without authentication */
  user?: string;
  /** Password for `user`. @defaultValue "" */
  password?: string;
  /**
   * Upper bound on connecting, acquiring a connection and retrying a transaction, so that a server
   * that is down fails a call in seconds instead of the driver's 30–60 s defaults.
   * @defaultValue 5000
   */
  timeoutMs?: number;
}

/**
 * The lineage graph as a Neo4j projection of the Postgres system of record.
 *
 * Model: every node is one `LineageNode` with `key = "<type>:<id>"` (unique) plus `type` and `id`;
 * every edge is one `LINEAGE` relationship with a unique `id`. One label rather than a label per
 * type, because the walk crosses types at every step: a frontier of mixed types is one index seek
 * per key, and one uniqueness constraint covers every type (per-type labels would need one
 * constraint each and a query per label, since Cypher labels cannot be parameters). `properties`
 * is a JSON string (Neo4j properties cannot be maps); times are epoch milliseconds stored as
 * integers, so validity comparisons are exact and need no time-zone handling.
 */
export class Neo4jLineageStore implements LineageStore {
  readonly name = "neo4j";

  private constructor(private readonly driver: Driver) {}

  /** Connects (failing now if the server is unreachable) and creates the constraints, idempotently. */
  static async open(options: Neo4jLineageStoreOptions): Promise<Neo4jLineageStore> {
    const auth = options.user === undefined ? undefined : neo4j.auth.basic(options.user, options.password ?? "");
    const timeoutMs = options.timeoutMs ?? 5_000;
    const driver = neo4j.driver(options.url, auth, {
      connectionTimeout: timeoutMs,
      connectionAcquisitionTimeout: timeoutMs,
      maxTransactionRetryTime: timeoutMs,
    });
    try {
      await driver.verifyConnectivity().catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Neo4j lineage store: cannot reach ${options.url}: ${reason}`, { cause: error });
      });
      // Schema changes cannot share a transaction with anything else: one auto-commit each.
      const session = driver.session({ defaultAccessMode: neo4j.session.WRITE });
      try {
        await session.run(QUERIES.createNodeKeyConstraint);
        await session.run(QUERIES.createEdgeIdConstraint);
        await session.run(QUERIES.awaitIndexes, { timeoutSeconds: neo4j.int(INDEX_WAIT_SECONDS) });
      } finally {
        await session.close();
      }
    } catch (error) {
      await driver.close();
      throw error;
    }
    return new Neo4jLineageStore(driver);
  }

  /** Writes in transactions of RECORD_BATCH_SIZE edges; after a failure, earlier batches stay (recording again is safe). */
  async recordEdges(edges: readonly LineageGraphEdge[]): Promise<void> {
    if (edges.length === 0) return;
    const rows = edges.map(toEdgeRow);
    const session = this.driver.session({ defaultAccessMode: neo4j.session.WRITE });
    try {
      for (let start = 0; start < rows.length; start += RECORD_BATCH_SIZE) {
        const batch = rows.slice(start, start + RECORD_BATCH_SIZE);
        await session.executeWrite(async (tx) => {
          await tx.run(QUERIES.recordEdges, { edges: batch });
        });
      }
    } finally {
      await session.close();
    }
  }

  /**
   * Breadth-first, one query per level (variable-length Cypher patterns enumerate paths, which
   * explodes on dense graphs); the visited set lives here. BOTH is the upward walk and the downward
   * walk merged, each node at its smaller depth. Each walk goes one level past maxDepth only to
   * learn whether the depth limit left nodes out.
   */
  async traverse(options: TraverseOptions): Promise<LineageGraph> {
    checkTraverseOptions(options);
    const rootKey = nodeKey(options.root);
    const nodeTypes = options.nodeTypes;
    const params: WalkParams = {
      rootKey,
      maxDepth: options.maxDepth,
      limit: options.limit,
      asOf: epochMillis(options.asOf ?? new Date(), "asOf"),
      kinds: options.edgeKinds ? [...options.edgeKinds] : null,
      wantedTypes: nodeTypes ? [...nodeTypes] : null,
      isWanted: nodeTypes ? (type) => nodeTypes.includes(type) : () => true,
    };
    const session = this.driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(async (tx) => {
        const walks: Walk[] = [];
        const capped = options.direction !== "BOTH";
        if (options.direction !== "UPSTREAM") walks.push(await walk(tx, QUERIES.expandDownstream, params, capped));
        if (options.direction !== "DOWNSTREAM") {
          walks.push((await reachUpstream(tx, params)) ?? (await walk(tx, QUERIES.expandUpstream, params, capped)));
        }
        const reached = new Map<string, LineageGraphNode>();
        for (const { found } of walks) {
          for (const [key, node] of found) {
            const known = reached.get(key);
            if (!known || node.depth < known.depth) reached.set(key, node);
          }
        }
        const beyondDepth = walks.some(({ beyond }) => beyond.some((key) => !reached.has(key)));
        const matching = [...reached.entries()]
          .filter(([, n]) => params.isWanted(n.type))
          .sort(([, a], [, b]) => compareNodes(a, b));
        const kept = matching.slice(0, options.limit - 1);
        const nodes = [{ type: options.root.type, id: options.root.id, depth: 0 }, ...kept.map(([, n]) => n)];
        const edgeResult = await tx.run(QUERIES.edgesBetween, {
          keys: [rootKey, ...kept.map(([key]) => key)],
          asOf: params.asOf,
          kinds: params.kinds,
        });
        const edges = edgeResult.records.map((record) => toGraphEdge(record.toObject() as EdgeRecord));
        edges.sort((a, b) => compareStrings(a.id, b.id));
        return { nodes, edges, truncated: beyondDepth || matching.length > kept.length };
      });
    } finally {
      await session.close();
    }
  }

  /**
   * Breadth-first, one query per level in one read transaction, like traverse(); parent pointers and
   * the tie rule live in searchShortestPath, shared with the Postgres store, so both answer alike
   * (Cypher's shortestPath() picks among equally short paths arbitrarily). The path's full edges
   * are loaded once at the end.
   */
  async shortestPath(options: ShortestPathOptions): Promise<LineagePath | null> {
    checkShortestPathOptions(options);
    const asOf = epochMillis(options.asOf ?? new Date(), "asOf");
    const kinds = options.edgeKinds ? [...options.edgeKinds] : null;
    const session = this.driver.session({ defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(async (tx) => {
        const skeleton = await searchShortestPath(options, async (frontier) => {
          const result = await tx.run(QUERIES.expandDownstreamEdges, { frontier: frontier.map(nodeKey), asOf, kinds });
          return result.records.map((record): LineageStep => {
            const step = record.toObject() as StepRecord;
            return {
              id: step.id,
              upstream: { type: step.upstreamType, id: step.upstreamId },
              downstream: { type: step.downstreamType, id: step.downstreamId },
            };
          });
        });
        if (!skeleton) return null;
        if (skeleton.edgeIds.length === 0) return { nodes: skeleton.nodes, edges: [] };
        const result = await tx.run(QUERIES.edgesById, { ids: skeleton.edgeIds });
        const byId = new Map(
          result.records.map((record) => {
            const edge = toGraphEdge(record.toObject() as EdgeRecord);
            return [edge.id, edge] as const;
          }),
        );
        const edges = skeleton.edgeIds.map((id) => {
          const edge = byId.get(id);
          if (!edge) throw new Error(`Lineage edge ${id} disappeared while its shortest path was being read`);
          return edge;
        });
        return { nodes: skeleton.nodes, edges };
      });
    } finally {
      await session.close();
    }
  }

  /** Deletes every node and edge of the projection (a rebuild starts from nothing). */
  async deleteAll(): Promise<void> {
    const session = this.driver.session({ defaultAccessMode: neo4j.session.WRITE });
    try {
      await session.run(QUERIES.deleteAll);
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

interface WalkParams {
  rootKey: string;
  maxDepth: number;
  limit: number;
  asOf: Integer;
  kinds: LineageEdgeKind[] | null;
  wantedTypes: LineageNodeType[] | null;
  isWanted: (type: LineageNodeType) => boolean;
}

interface Walk {
  /** Nodes reached within maxDepth (root excluded), by key, at their smallest depth in this walk. */
  found: Map<string, LineageGraphNode>;
  /** Keys first reached at maxDepth + 1. */
  beyond: string[];
}

/** Rows the one-statement upstream reach may return before the store walks level by level instead. */
const reachRowCap = (limit: number) => Math.max(256, limit * 4);

/**
 * The upstream walk in one statement: every node within maxDepth + 1 hops at its smallest depth.
 * Undefined when the closure is too big to read whole (the rows hit the cap); the caller then walks
 * level by level, which can stop at the limit.
 */
async function reachUpstream(tx: ManagedTransaction, params: WalkParams): Promise<Walk | undefined> {
  const rowCap = reachRowCap(params.limit);
  const statement = QUERIES.reachUpstream.replace("{1,MAX_HOPS}", `{1,${params.maxDepth + 1}}`);
  const result = await tx.run(statement, {
    rootKey: params.rootKey,
    asOf: params.asOf,
    kinds: params.kinds,
    rowCap: neo4j.int(rowCap),
  });
  if (result.records.length >= rowCap) return undefined;
  const found = new Map<string, LineageGraphNode>();
  const beyond: string[] = [];
  for (const record of result.records) {
    const key = record.get("key") as string;
    const depth = (record.get("depth") as Integer).toNumber();
    if (depth > params.maxDepth) beyond.push(key);
    else found.set(key, { type: record.get("type") as LineageNodeType, id: record.get("id") as string, depth });
  }
  return { found, beyond };
}

/**
 * One direction's breadth-first walk, one query per level. A capped walk (one direction) lets the
 * level query cut the level at which the answer overflows: only the wanted nodes that can still
 * make the answer, plus one to show the cut, come back. BOTH merges two walks, so each must report
 * its levels whole (a node dropped here may be reached at a smaller depth by the other walk).
 */
async function walk(tx: ManagedTransaction, expandQuery: string, params: WalkParams, capped: boolean): Promise<Walk> {
  const found = new Map<string, LineageGraphNode>();
  const beyond: string[] = [];
  const visited = new Set([params.rootKey]);
  let frontier = [params.rootKey];
  let wanted = 0;
  for (let depth = 1; depth <= params.maxDepth + 1 && frontier.length > 0; depth++) {
    const pastMaxDepth = depth > params.maxDepth;
    const result = await tx.run(expandQuery, {
      frontier,
      visited: [...visited],
      asOf: params.asOf,
      kinds: params.kinds,
      // Past maxDepth one node of any type is enough to know the depth limit cut the answer.
      wantedTypes: pastMaxDepth ? null : params.wantedTypes,
      room: capped ? (pastMaxDepth ? 0 : params.limit - 1 - wanted) : null,
    });
    const next: string[] = [];
    for (const record of result.records) {
      const key = record.get("key") as string;
      if (visited.has(key)) continue;
      visited.add(key);
      if (pastMaxDepth) {
        beyond.push(key);
        continue;
      }
      const type = record.get("type") as LineageNodeType;
      found.set(key, { type, id: record.get("id") as string, depth });
      next.push(key);
      if (params.isWanted(type)) wanted++;
    }
    // `limit` matching nodes besides the root already overflow the limit, and anything deeper
    // would sort after them: the rest of the walk cannot change the answer.
    if (wanted >= params.limit) break;
    frontier = next;
  }
  return { found, beyond };
}

/** The row record-edges.cypher expects. */
interface EdgeRow {
  id: string;
  upstreamKey: string;
  upstreamType: LineageNodeType;
  upstreamId: string;
  downstreamKey: string;
  downstreamType: LineageNodeType;
  downstreamId: string;
  kind: LineageEdgeKind;
  role: string | null;
  properties: string;
  validFrom: Integer;
  validTo: Integer | null;
}

/** The row expand-downstream-edges.cypher returns. */
interface StepRecord {
  id: string;
  upstreamType: LineageNodeType;
  upstreamId: string;
  downstreamType: LineageNodeType;
  downstreamId: string;
}

/** The row edges-between.cypher and edges-by-id.cypher return. */
interface EdgeRecord {
  id: string;
  upstreamType: LineageNodeType;
  upstreamId: string;
  downstreamType: LineageNodeType;
  downstreamId: string;
  kind: LineageEdgeKind;
  role: string | null;
  properties: string;
  validFrom: Integer | number;
  validTo: Integer | number | null;
}

function nodeKey(node: LineageNodeKey): string {
  return `${node.type}:${node.id}`;
}

function toEdgeRow(edge: LineageGraphEdge): EdgeRow {
  return {
    id: edge.id,
    upstreamKey: nodeKey(edge.upstream),
    upstreamType: edge.upstream.type,
    upstreamId: edge.upstream.id,
    downstreamKey: nodeKey(edge.downstream),
    downstreamType: edge.downstream.type,
    downstreamId: edge.downstream.id,
    kind: edge.kind,
    role: edge.role ?? null,
    properties: JSON.stringify(edge.properties ?? {}),
    validFrom: epochMillis(edge.validFrom, `Edge "${edge.id}": validFrom`),
    validTo: edge.validTo ? epochMillis(edge.validTo, `Edge "${edge.id}": validTo`) : null,
  };
}

/** Epoch milliseconds as a Neo4j integer; refuses an invalid Date (neo4j.int(NaN) would silently be 0). */
function epochMillis(date: Date, field: string): Integer {
  const millis = date instanceof Date ? date.getTime() : Number.NaN;
  if (!Number.isFinite(millis)) throw new RangeError(`${field} must be a valid Date; got ${String(date)}`);
  return neo4j.int(millis);
}

function toGraphEdge(record: EdgeRecord): LineageGraphEdge {
  return {
    id: record.id,
    upstream: { type: record.upstreamType, id: record.upstreamId },
    downstream: { type: record.downstreamType, id: record.downstreamId },
    kind: record.kind,
    role: record.role ?? null,
    properties: parseProperties(record.properties, record.id),
    validFrom: new Date(toNumber(record.validFrom)),
    validTo: record.validTo === null ? null : new Date(toNumber(record.validTo)),
  };
}

function parseProperties(json: string | null, edgeId: string): Record<string, unknown> {
  const value: unknown = json === null ? {} : JSON.parse(json);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`Edge "${edgeId}" in Neo4j has properties that are not a JSON object: ${json}`);
  }
  return value as Record<string, unknown>;
}

function toNumber(value: Integer | number): number {
  return neo4j.isInt(value) ? (value as Integer).toNumber() : (value as number);
}

/** By depth, then id (code-unit order, as the contract and Postgres' C collation sort), then type. */
function compareNodes(a: LineageGraphNode, b: LineageGraphNode): number {
  return a.depth - b.depth || compareStrings(a.id, b.id) || compareStrings(a.type, b.type);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
