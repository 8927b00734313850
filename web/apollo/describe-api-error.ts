import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";

/** What went wrong with an API call, in the terms the UI acts on. */
export interface ApiProblem {
  /** UNAUTHENTICATED: no or bad token (sign in again); FORBIDDEN: the token's roles don't allow it. */
  kind: "UNAUTHENTICATED" | "FORBIDDEN" | "NETWORK" | "API";
  /** One sentence for a person. */
  message: string;
}

interface ErrorBody {
  errors?: { message?: string; extensions?: { code?: string; reason?: string } }[];
}

const REASONS: Record<string, string> = {
  MISSING: "No API token was sent.",
  MALFORMED: "The API token is not well formed (it starts with pdg_).",
  UNKNOWN: "The API token is not known to this server.",
  EXPIRED: "The API token has expired.",
  REVOKED: "The API token was revoked.",
};

function fromExtensions(code: string | undefined, reason: string | undefined, message: string): ApiProblem | undefined {
  if (code === "UNAUTHENTICATED") {
    const why = (reason && REASONS[reason]) ?? message;
    return { kind: "UNAUTHENTICATED", message: `${why} Sign in with a valid token.` };
  }
  if (code === "FORBIDDEN") return { kind: "FORBIDDEN", message: `Your token is not allowed to do this: ${message}` };
  return undefined;
}

function parseBody(text: string): ErrorBody | undefined {
  try {
    return JSON.parse(text) as ErrorBody;
  } catch {
    return undefined;
  }
}

/** Turns an Apollo error (HTTP 401/403 bodies, GraphQL errors, network failures) into an ApiProblem. */
export function describeApiError(error: unknown): ApiProblem {
  if (CombinedGraphQLErrors.is(error)) {
    for (const graphQLError of error.errors) {
      const extensions = graphQLError.extensions as { code?: string; reason?: string } | undefined;
      const problem = fromExtensions(extensions?.code, extensions?.reason, graphQLError.message);
      if (problem) return problem;
    }
    return { kind: "API", message: error.errors.map((graphQLError) => graphQLError.message).join(" ") };
  }
  if (ServerError.is(error)) {
    const first = parseBody(error.bodyText)?.errors?.[0];
    const problem = fromExtensions(first?.extensions?.code, first?.extensions?.reason, first?.message ?? "");
    if (problem) return problem;
    if (error.statusCode === 401) return { kind: "UNAUTHENTICATED", message: "The API refused the token. Sign in again." };
    if (error.statusCode === 403) return { kind: "FORBIDDEN", message: "Your token is not allowed to do this." };
    return { kind: "API", message: first?.message ?? `The API answered HTTP ${error.statusCode}.` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: "NETWORK", message: `Cannot reach the Pedigree API (${message}).` };
}
