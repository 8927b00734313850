import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startApp } from "../app.js";
import { loadConfig } from "../config.js";
import { systemMeta } from "../identity/identity.service.js";
import { createLogger } from "../lib/logger.js";

// The embedded default keeps its data in a folder (./.pedigree unless PEDIGREE_DATA_DIR is set):
// what was registered before a restart is there after it.
describe("embedded mode persistence", () => {
  it("survives a restart of the service on the same data folder", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pedigree-persist-"));
    const config = { ...loadConfig({}), port: 0, host: "127.0.0.1", dataDir, databaseUrl: undefined };
    const logger = createLogger("silent");
    let token = "";
    const post = (url: string, query: string) =>
      fetch(`${url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      }).then((response) => response.json() as Promise<{ data: Record<string, any> }>);
    try {
      const first = await startApp({ config, logger });
      expect(first.db.mode).toBe("embedded");
      // As the quick start does: a local admin's token, which must still work after the restart.
      token = (await first.services.identity.ensureLocalAdmin(systemMeta("test")))!.issued.secret;
      await post(first.url, `mutation { registerNamespace(input: { name: "kept", description: "before restart" }) { created } }`);
      await first.close();

      const second = await startApp({ config, logger });
      expect(second.db.migrations.applied).toEqual([]);
      const result = await post(second.url, `{ namespace(name: "kept") { description } }`);
      await second.close();
      expect(result.data.namespace).toEqual({ description: "before restart" });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
