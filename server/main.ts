import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type PedigreeApp, startApp } from "./app.js";
import { loadConfig } from "./config.js";
import { DataDirLockedError } from "./db/embedded-postgres.js";
import { seedDemo } from "./demo/demo-seed.js";
import { systemMeta } from "./identity/identity.service.js";

/** Start-up failures a user can fix, explained in one line instead of a stack trace. */
function explainStartupFailure(error: unknown, port: number): string | undefined {
  if (error instanceof DataDirLockedError) return error.message;
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE") return `Port ${port} is already in use. Stop the other server or set PORT to a free port.`;
  if (code === "ECONNREFUSED")
    return "Cannot reach the PostgreSQL server in DATABASE_URL. Is it running? (Unset DATABASE_URL to run embedded.)";
  if (code === "28P01") return "PostgreSQL rejected the user or password in DATABASE_URL.";
  if (code === "3D000") return "The database named in DATABASE_URL does not exist. Create it first (createdb).";
  return undefined;
}

let config: ReturnType<typeof loadConfig>;
let app: PedigreeApp;
try {
  config = loadConfig();
  app = await startApp({ config });
} catch (error) {
  const explanation = explainStartupFailure(error, Number(process.env.PORT ?? 4000));
  console.error(`Pedigree could not start: ${explanation ?? (error as Error).message}`);
  if (!explanation) console.error(error);
  process.exit(1);
}

if (process.argv.includes("--demo")) {
  // The seed calls the API like any client: with a short-lived token of a user that may edit and deploy.
  const seeder = await app.services.identity.issueDemoSeedToken(systemMeta("system:demo-seed"));
  const summary = await seedDemo(`${app.url}/graphql`, { token: seeder.secret });
  app.logger.info(summary, "demo data loaded");
}
app.logger.info(
  { url: `${app.url}/graphql`, database: app.db.mode, dataDir: app.db.mode === "embedded" ? config.dataDir : undefined },
  `Pedigree is serving GraphQL at ${app.url}/graphql`,
);

// Embedded quick start: the first start creates a local admin and shows its token once, on the
// console only (never through the logger, whose output may be collected).
if (app.db.mode === "embedded" && !config.adminEmail) {
  const local = await app.services.identity.ensureLocalAdmin(systemMeta("system:quick-start"));
  if (local) {
    console.log(
      [
        "",
        `Created the local admin ${local.user.email}. Its API token is shown only now — keep it:`,
        "",
        `  ${local.issued.secret}`,
        "",
        `Use it as:  curl -H 'Authorization: Bearer <token>' ${app.url}/graphql …`,
        "Lost it? Stop the server and run: npm run admin:token -- --email admin@localhost",
        "",
      ].join("\n"),
    );
  }
}

// The explorer (web/, Next.js) runs beside the API in the embedded quick start, so `npm start` is
// still one command; scripts/web.sh builds it on the first start. With a server database it is its
// own process (`npm run web`). PEDIGREE_WEB=on|off overrides either default.
function startExplorer(apiUrl: string): ChildProcess {
  const repoRoot = fileURLToPath(new URL("..", import.meta.url));
  const child = spawn("bash", ["scripts/web.sh", "start"], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      PEDIGREE_API_URL: process.env.PEDIGREE_API_URL ?? apiUrl.replace("//localhost:", "//127.0.0.1:"),
      PEDIGREE_WEB_PARENT_PID: String(process.pid),
    },
  });
  child.on("exit", (code, signal) => {
    if (code !== 0 && signal === null) app.logger.error({ code }, "the explorer (web/) stopped; the API keeps serving");
  });
  console.log(`Explorer: http://localhost:${process.env.PEDIGREE_WEB_PORT ?? 3000} (sign in with an API token)`);
  return child;
}
const explorer =
  (process.env.PEDIGREE_WEB ?? (app.db.mode === "embedded" ? "on" : "off")) === "on" ? startExplorer(app.url) : undefined;

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    app.logger.info({ signal }, "shutting down");
    explorer?.kill("SIGTERM");
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        app.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      });
  });
}
