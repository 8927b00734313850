import { startApp } from "./app.js";
import { loadConfig } from "./config.js";

const config = loadConfig();
const app = await startApp({ config });
app.logger.info(
  { url: `${app.url}/graphql`, database: app.db.mode, dataDir: app.db.mode === "embedded" ? config.dataDir : undefined },
  `Pedigree is serving GraphQL at ${app.url}/graphql`,
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    app.logger.info({ signal }, "shutting down");
    app
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        app.logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      });
  });
}
