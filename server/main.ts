import { startApp } from "./app.js";
import { loadConfig } from "./config.js";
import { seedDemo } from "./demo/demo-seed.js";

const config = loadConfig();
const app = await startApp({ config });
if (process.argv.includes("--demo")) {
  const summary = await seedDemo(`${app.url}/graphql`);
  app.logger.info(summary, "demo data loaded");
}
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
