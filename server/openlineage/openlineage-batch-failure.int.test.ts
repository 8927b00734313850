import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccessDeniedError } from "../access/access.errors.js";
import { type BatchedChange, ChangeRecorder, type PreparedChanges } from "../audit/change-recorder.js";
import { withPgTransaction } from "../db/sql-session.js";
import { systemMeta } from "../identity/identity.service.js";
import { createRepositories } from "../repositories.js";
import { type TestApp, startTestApp } from "../testing/test-app.js";
import { type BatchEntry, OpenLineageBatchApplier } from "./openlineage-batch.js";
import { OpenLineageBatchRepository } from "./openlineage-batch.repository.js";
import { eventHash } from "./openlineage-facets.js";
import type { KindedEvent, RunEvent } from "./openlineage-event.js";
import { OpenLineageRepository } from "./openlineage.repository.js";
import { OPENLINEAGE_WRITE_TABLES, postLineage, runEvent, schemaFacet } from "./openlineage-testing.js";

/** A recorder whose audit preparation is refused while the batch's writes are still being sent. */
class RefusingRecorder extends ChangeRecorder {
  override async prepareBatch(_changes: readonly BatchedChange[]): Promise<PreparedChanges> {
    await new Promise((resolve) => setImmediate(resolve));
    throw new AccessDeniedError("dataset.symlink_added on Dataset", ["EDITOR"], "in this namespace");
  }
}

// A batch fails as a whole when its audit events cannot be prepared: the rollback waits for the
// writes already under way, so none of them lands outside the transaction.
describe("OpenLineage batch refused while writing", () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it("writes nothing, not even the statements sent before the refusal", async () => {
    const repos = createRepositories(app.db);
    const recorder = new RefusingRecorder(repos.lineageEdges, repos.auditEvents, repos.graphOutbox, repos.nodeNamespaces);
    const applier = new OpenLineageBatchApplier(new OpenLineageBatchRepository(), new OpenLineageRepository(app.db), recorder);
    const entries: BatchEntry[] = Array.from({ length: 40 }, (_, index) => {
      const event = runEvent({
        eventType: index % 2 ? "COMPLETE" : "START",
        eventTime: new Date(Date.UTC(2026, 2, 1, 0, index)).toISOString(),
        namespace: "refused-batch",
        job: `job.${index % 5}`,
        inputs: [{ namespace: "refused-batch", name: `in.${index % 3}`, facets: schemaFacet([["id", "int"]]) }],
        outputs: [{ namespace: "refused-batch", name: `out.${index % 4}`, facets: schemaFacet([["id", "int"]]) }],
      }) as unknown as RunEvent;
      const kinded: KindedEvent = { kind: "RUN", event };
      return { meta: systemMeta("refused-batch-test"), kinded, hash: eventHash(event) };
    });
    // The namespace exists: statements that outran a rollback would not fail on its foreign key.
    const seeded = await postLineage(
      app,
      runEvent({
        eventType: "START",
        eventTime: new Date(Date.UTC(2026, 1, 1)).toISOString(),
        namespace: "refused-batch",
        job: "seed",
      }),
      { headers: (await app.tokenFor("ADMIN")).headers },
    );
    expect(seeded.status).toBe(201);
    const before = await app.countRows(OPENLINEAGE_WRITE_TABLES);
    await expect(withPgTransaction(app.db, (session) => applier.apply(session, entries, null))).rejects.toThrow(
      AccessDeniedError,
    );
    // Statements that outran the rollback would have been committed one by one by now.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await app.countRows(OPENLINEAGE_WRITE_TABLES)).toEqual(before);
  });
});
