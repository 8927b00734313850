/**
 * `npm run admin:token -- --email you@example.com`: the first (or another) admin and a new API
 * token, printed once. Reads the same environment as the server (DATABASE_URL or the embedded data
 * folder; stop an embedded server first, its data folder is locked while it runs).
 */
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { DataDirLockedError } from "../db/embedded-postgres.js";
import { runAdminTokenCommand } from "./admin-token-command.js";

const config = loadConfig();
try {
  const code = await runAdminTokenCommand(
    process.argv.slice(2),
    () => openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }),
    { stdout: (line) => process.stdout.write(`${line}\n`), stderr: (line) => process.stderr.write(`${line}\n`) },
  );
  process.exitCode = code;
} catch (error) {
  console.error(`admin:token failed: ${error instanceof DataDirLockedError ? error.message : (error as Error).message}`);
  process.exitCode = 1;
}
