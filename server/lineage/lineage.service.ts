import type { LineageGraph, LineageNodeKey, LineageStore, TraverseOptions } from "../../graph/lineage-store.js";
import type { Database } from "../db/database.js";
import { InputInvalidError } from "../errors/common-errors.js";
import type { LineageNodeGuard } from "./lineage-node-guard.js";

/** Caps on what one lineage request may ask for (configurable, within the stores' hard bounds). */
export interface LineageLimits {
  /** @defaultValue 10 */
  maxDepth: number;
  /** @defaultValue 2000 */
  maxNodes: number;
}

export const DEFAULT_LINEAGE_LIMITS: LineageLimits = { maxDepth: 10, maxNodes: 2_000 };

export interface LineageQuery extends Omit<TraverseOptions, "root"> {
  root: LineageNodeKey;
  /** The id as the client sent it, for the NOT_FOUND message. */
  shownAs: string;
}

export class LineageService {
  constructor(
    private readonly db: Database,
    private readonly store: LineageStore,
    private readonly guard: LineageNodeGuard,
    private readonly limits: LineageLimits = DEFAULT_LINEAGE_LIMITS,
  ) {}

  /** The lineage graph around a node; NOT_FOUND when the node does not exist. */
  async lineage(query: LineageQuery): Promise<LineageGraph> {
    if (!Number.isInteger(query.maxDepth) || query.maxDepth < 1 || query.maxDepth > this.limits.maxDepth) {
      throw new InputInvalidError("depth", `must be between 1 and ${this.limits.maxDepth}; got ${query.maxDepth}.`);
    }
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > this.limits.maxNodes) {
      throw new InputInvalidError("limit", `must be between 1 and ${this.limits.maxNodes}; got ${query.limit}.`);
    }
    await this.guard.requireAll(this.db.prisma, [{ ...query.root, shownAs: query.shownAs, field: "nodeId" }]);
    const { shownAs: _shownAs, ...options } = query;
    return this.store.traverse(options);
  }
}
