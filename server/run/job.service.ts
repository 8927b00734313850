import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { NamespaceService } from "../namespace/namespace.service.js";
import type { JobFilter, JobRecord, JobRepository } from "./job.repository.js";
import { JobNotFoundError } from "./run.errors.js";

export interface JobDefinition {
  namespace: string;
  name: string;
  jobType?: string | null | undefined;
  description?: string | null | undefined;
}

export class JobService {
  constructor(
    private readonly db: Database,
    private readonly jobs: JobRepository,
    private readonly namespaces: NamespaceService,
    private readonly recorder: ChangeRecorder,
  ) {}

  /** Registers a job by namespace + name; an existing one is returned unchanged. */
  register(meta: RequestMeta, definition: JobDefinition) {
    return runInTransaction(this.db, (tx) => this.ensure(tx, meta, definition));
  }

  /** The job, created in the caller's transaction (with its namespace) when new. */
  async ensure(tx: Transaction, meta: RequestMeta, definition: JobDefinition): Promise<{ job: JobRecord; created: boolean }> {
    const namespace = await this.namespaces.ensure(tx, meta, definition.namespace);
    const existing = await this.jobs.findByName(tx, namespace.id, definition.name);
    if (existing) return { job: existing, created: false };
    const job = await this.jobs.create(tx, {
      namespaceId: namespace.id,
      name: definition.name,
      jobType: definition.jobType ?? null,
      description: definition.description ?? null,
    });
    await this.recorder.record(tx, meta, {
      action: "job.registered",
      target: { kind: "Job", id: job.id, namespaceId: namespace.id },
      after: job,
    });
    return { job, created: true };
  }

  update(meta: RequestMeta, id: string, input: { jobType?: string | null | undefined; description?: string | null | undefined }) {
    return runInTransaction(this.db, (tx) => this.updateIn(tx, meta, id, input));
  }

  /** `update` in the caller's transaction (OpenLineage job facets name the job type and documentation). */
  async updateIn(
    tx: Transaction,
    meta: RequestMeta,
    id: string,
    input: { jobType?: string | null | undefined; description?: string | null | undefined },
  ): Promise<JobRecord> {
    const before = await this.jobs.findByIdForUpdate(tx, id);
    if (!before) throw new JobNotFoundError(id, "input.id");
    const after = await this.jobs.update(tx, id, input);
    await this.recorder.record(tx, meta, {
      action: "job.updated",
      target: { kind: "Job", id, namespaceId: after.namespaceId },
      before,
      after,
    });
    return after;
  }

  /** Namespace of a job, for audit events of its runs. */
  async namespaceOf(tx: Transaction, jobId: string): Promise<string | null> {
    return (await this.jobs.findById(tx, jobId))?.namespaceId ?? null;
  }

  async list(filter: JobFilter, page: PageRequest, field: "name" | "createdAt" | "updatedAt", direction: SortDirection) {
    const result = await paginate<JobRecord>(page, field, direction, (query) => this.jobs.list(filter, query));
    return { page: result, count: () => this.jobs.count(filter) };
  }
}
