import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import type { ValidationRule } from "graphql";

/** Limits every operation must respect, on HTTP and (later) WebSocket alike. */
export interface QueryLimits {
  /** @defaultValue 12 */
  maxDepth: number;
  /** @defaultValue 15 */
  maxAliases: number;
  /** @defaultValue 20000 */
  maxCost: number;
  /** Parser token limit, against huge documents. @defaultValue 5000 */
  maxTokens: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 15, maxCost: 20_000, maxTokens: 5_000 };

export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, exposeLimits: true }),
    maxAliasesRule({ n: limits.maxAliases, exposeLimits: true }),
    costLimitRule({ maxCost: limits.maxCost, exposeLimits: true }),
  ] as ValidationRule[];
}
