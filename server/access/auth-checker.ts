import type { AuthCheckerFn } from "type-graphql";
import type { RequestContext } from "../graphql/context.js";
import { UnauthenticatedError } from "../identity/identity.errors.js";
import { AccessDeniedError } from "./access.errors.js";
import type { RoleName } from "./role.js";

const ROOT_OPERATIONS: Record<string, "query" | "mutation" | "subscription"> = {
  Query: "query",
  Mutation: "mutation",
  Subscription: "subscription",
};

/**
 * The one gate of the GraphQL API: type-graphql calls it for every field marked
 * `@Authorized(...roles)`. Anonymous callers (when the anonymous role is off) get UNAUTHENTICATED;
 * callers whose bindings grant none of the roles, or not in the namespaces the operation names,
 * get FORBIDDEN; things named in namespaces they cannot read are NOT_FOUND. It throws rather than
 * return false so that every refusal says why.
 */
export const pedigreeAuthChecker: AuthCheckerFn<RequestContext, RoleName> = async ({ context, args, info }, roles) => {
  const operation = ROOT_OPERATIONS[info.parentType.name];
  const name = operation ? `${operation} ${info.fieldName}` : `${info.parentType.name}.${info.fieldName}`;
  if (!context.actor.userId && context.access.held.length === 0) throw new UnauthenticatedError("MISSING");
  if (!operation) {
    // A guarded field of an object type (e.g. audit history on an entity): the role anywhere.
    if (!context.access.grantsAnywhere(roles)) throw new AccessDeniedError(name, roles, "anywhere; you hold none that does");
    return true;
  }
  await context.services.access.authorize(
    context,
    context.access,
    {
      name,
      writes: operation === "mutation",
      checkNamespaces: operation !== "query",
      args,
      argumentDefinitions: info.parentType.getFields()[info.fieldName]?.args ?? [],
    },
    roles,
  );
  // The change recorder checks the namespace of every change this operation writes against these.
  if (operation === "mutation") context.operationRoles = roles;
  return true;
};
