import type { Database } from "../db/database.js";
import type { NamespaceRepository } from "../namespace/namespace.repository.js";
import type { JobRecord, JobRepository } from "./job.repository.js";
import type { RunRecord } from "./run-record.js";
import type { RunRepository } from "./run.repository.js";

/**
 * Jobs and runs by the names their clients know them by: a job by namespace and name, a run by the
 * id its client sent (an OpenLineage runId, a training script's own id). Reads only; hiding what the
 * caller may not read is the visibility middleware's work.
 */
export class RunLookupService {
  constructor(
    private readonly db: Database,
    private readonly repos: { namespaces: NamespaceRepository; jobs: JobRepository; runs: RunRepository },
  ) {}

  async findJob(namespace: string, name: string): Promise<JobRecord | null> {
    const found = await this.repos.namespaces.findByName(undefined, namespace);
    return found ? this.repos.jobs.findByName(this.db.prisma, found.id, name) : null;
  }

  findRunByExternalId(externalId: string): Promise<RunRecord | null> {
    return this.repos.runs.findByExternalId(this.db.prisma, externalId);
  }
}
