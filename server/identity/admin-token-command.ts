import { parseArgs } from "node:util";
import { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { PedigreeError } from "../errors/pedigree-error.js";
import { createRepositories } from "../repositories.js";
import { generateApiTokenSecret } from "./api-token-secret.js";
import { IdentityService, systemMeta } from "./identity.service.js";

export interface CommandOutput {
  /** Receives the token only (so `$(npm run -s admin:token -- --email …)` captures just it). */
  stdout: (line: string) => void;
  /** Explanations and errors. */
  stderr: (line: string) => void;
}

const USAGE = `Usage: npm run admin:token -- --email you@example.com [--name "laptop"] [--expires-in-days 90]
       npm run admin:token -- --generate    (prints a fresh token for PEDIGREE_ADMIN_TOKEN; stores nothing)`;

/**
 * `npm run admin:token`: creates the admin user (or reuses it, adding a global ADMIN role) and
 * prints a new API token once. `openDb` is called only when the database is needed. Returns the
 * exit code.
 */
export async function runAdminTokenCommand(args: string[], openDb: () => Promise<Database>, out: CommandOutput): Promise<number> {
  let values: {
    email?: string | undefined;
    name?: string | undefined;
    "expires-in-days"?: string | undefined;
    generate?: boolean | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        email: { type: "string" },
        name: { type: "string" },
        "expires-in-days": { type: "string" },
        generate: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }));
  } catch (error) {
    out.stderr(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    out.stderr(USAGE);
    return 0;
  }
  if (values.generate) {
    out.stdout(generateApiTokenSecret());
    return 0;
  }
  if (!values.email) {
    out.stderr(`--email is required.\n${USAGE}`);
    return 2;
  }
  let expiresAt: Date | undefined;
  if (values["expires-in-days"] !== undefined) {
    const days = Number(values["expires-in-days"]);
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      out.stderr("--expires-in-days must be a whole number of days between 1 and 3650.");
      return 2;
    }
    expiresAt = new Date(Date.now() + days * 86_400_000);
  }
  const db = await openDb();
  try {
    const repos = createRepositories(db);
    const identity = new IdentityService(
      db,
      repos.identity,
      new ChangeRecorder(repos.lineageEdges, repos.auditEvents, repos.graphOutbox, repos.nodeNamespaces),
    );
    const { user, createdUser, issued } = await identity.issueAdminToken(systemMeta("cli:admin-token"), {
      email: values.email,
      name: values.name ?? "admin token",
      expiresAt,
    });
    out.stderr(
      `${createdUser ? "Created" : "Reused"} admin ${user.email}. New API token "${issued.token.name}"` +
        `${issued.token.expiresAt ? `, expires ${issued.token.expiresAt.toISOString()}` : ""}. It is shown only now:`,
    );
    out.stdout(issued.secret);
    out.stderr("Send it as `Authorization: Bearer <token>`.");
    return 0;
  } catch (error) {
    if (error instanceof PedigreeError) {
      out.stderr(error.message);
      return 2;
    }
    throw error;
  } finally {
    await db.close();
  }
}
