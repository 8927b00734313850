import { costLimitRule } from "@escape.tech/graphql-armor-cost-limit";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import type { GraphQLError, ValidationContext, ValidationRule } from "graphql";

/** Limits every operation must respect, on HTTP and WebSocket alike. */
export interface QueryLimits {
  /** @defaultValue 12 */
  maxDepth: number;
  /** @defaultValue 15 */
  maxAliases: number;
  /** @defaultValue 250000 (graphql-armor units: objects weighted by 1.5^depth) */
  maxCost: number;
  /** Parser token limit, against huge documents. @defaultValue 5000 */
  maxTokens: number;
  /** Directives (`@include`, `@skip`, …) in one operation, fragments included. @defaultValue 25 */
  maxDirectives?: number;
}

export const DEFAULT_MAX_DIRECTIVES = 25;

export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxCost: 250_000,
  maxTokens: 5_000,
  maxDirectives: DEFAULT_MAX_DIRECTIVES,
};

// The armor rules throw by default, which Apollo treats as an unexpected failure; reporting the
// error through the validation context answers it as a GRAPHQL_VALIDATION_FAILED error instead.
const reportInsteadOfThrow = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, exposeLimits: true, ...reportInsteadOfThrow }),
    maxAliasesRule({ n: limits.maxAliases, exposeLimits: true, ...reportInsteadOfThrow }),
    costLimitRule({ maxCost: limits.maxCost, exposeLimits: true, ...reportInsteadOfThrow }),
    maxDirectivesRule({ n: limits.maxDirectives ?? DEFAULT_MAX_DIRECTIVES, exposeLimits: true, ...reportInsteadOfThrow }),
  ] as ValidationRule[];
}
