import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { ColumnLineageService } from "../dataset/column-lineage.service.js";
import type { DatasetVersionRecord } from "../dataset/dataset.repository.js";
import type { DatasetService } from "../dataset/dataset.service.js";
import type { Database } from "../db/database.js";
import { runInTransaction, type Transaction } from "../db/transaction.js";
import type { RequestMeta } from "../graphql/context.js";
import type { NewLineageEdge } from "../lineage/lineage-edge.js";
import type { NamespaceService } from "../namespace/namespace.service.js";
import type { JobRecord } from "../run/job.repository.js";
import type { JobService } from "../run/job.service.js";
import type { RunStatus } from "../run/run-record.js";
import { RunExternalIdConflictError } from "../run/run.errors.js";
import type { RunService } from "../run/run.service.js";
import { OpenLineageDatasetMapper } from "./openlineage-datasets.js";
import type {
  DatasetEvent,
  Facets,
  JobEvent,
  KindedEvent,
  OpenLineageJob,
  OpenLineageOutput,
  RunEvent,
} from "./openlineage-event.js";
import { eventHash, jobColumnsOf, runColumnsOf } from "./openlineage-facets.js";
import type { FacetNodeKind, OpenLineageRepository, StoredEvent } from "./openlineage.repository.js";
import { foldRunState } from "./run-state.js";

/** What ingesting one event did. */
export interface IngestResult {
  /** CREATED: applied now; DUPLICATE: the same event was applied before, nothing changed. */
  outcome: "CREATED" | "DUPLICATE";
  eventId: string;
  eventHash: string;
  kind: KindedEvent["kind"];
  jobId: string | null;
  runId: string | null;
  datasetId: string | null;
  runStatus: RunStatus | null;
  inputVersionIds: string[];
  outputVersionIds: string[];
}

interface Applied {
  namespaceId: string;
  jobId: string | null;
  runId: string | null;
  datasetId: string | null;
  runStatus: RunStatus | null;
  inputVersionIds: string[];
  outputVersionIds: string[];
  edges: NewLineageEdge[];
}

/** Services the mapping writes through (each records its own changes). */
export interface OpenLineageWriters {
  namespaces: NamespaceService;
  jobs: JobService;
  runs: RunService;
  datasets: DatasetService;
  columnLineage: ColumnLineageService;
}

/**
 * OpenLineage ingestion: one event, one transaction. Namespaces, jobs, runs, datasets and their
 * versions are written through their services (audit, outbox and lineage edges by the change
 * recorder); the raw event is stored under the hash of its canonical JSON, so the same event
 * twice changes nothing, and a run's state is folded from all its events, so arrival order
 * does not matter.
 */
export class OpenLineageService {
  constructor(
    private readonly db: Database,
    private readonly store: OpenLineageRepository,
    private readonly writers: OpenLineageWriters,
    private readonly recorder: ChangeRecorder,
  ) {}

  /** Stored events of a run, oldest event time first. */
  eventsOfRun(runId: string): Promise<StoredEvent[]> {
    return this.store.eventsOfRuns([runId]);
  }

  /** Current facets of a node by name. */
  async facetsOf(nodeKind: FacetNodeKind, nodeId: string): Promise<Record<string, unknown>> {
    return (await this.store.facetsOf(nodeKind, [nodeId])).get(nodeId) ?? {};
  }

  ingest(meta: RequestMeta, kinded: KindedEvent): Promise<IngestResult> {
    const hash = eventHash(kinded.event);
    return runInTransaction(this.db, async (tx) => {
      const stored = await this.store.findByHash(tx, hash);
      if (stored) {
        return {
          outcome: "DUPLICATE",
          eventId: stored.id,
          eventHash: hash,
          kind: kinded.kind,
          jobId: stored.jobId,
          runId: stored.runId,
          datasetId: stored.datasetId,
          runStatus: null,
          inputVersionIds: [],
          outputVersionIds: [],
        };
      }
      const at = new Date(kinded.event.eventTime);
      const mapper = new OpenLineageDatasetMapper(tx, meta, at, this.writers);
      const applied =
        kinded.kind === "RUN"
          ? await this.applyRunEvent(tx, meta, mapper, kinded.event, at)
          : kinded.kind === "JOB"
            ? await this.applyJobEvent(tx, meta, mapper, kinded.event)
            : await this.applyDatasetEvent(mapper, kinded.event);
      await this.store.upsertFacets(tx, mapper.facets);
      const eventType = kinded.kind === "RUN" ? (kinded.event.eventType ?? null) : null;
      const eventId = await this.store.insert(tx, {
        eventHash: hash,
        kind: kinded.kind,
        eventType,
        eventTime: at,
        namespaceId: applied.namespaceId,
        runId: applied.runId,
        jobId: applied.jobId,
        datasetId: applied.datasetId,
        payload: kinded.event,
      });
      const target =
        applied.runId !== null
          ? { kind: "Run" as const, id: applied.runId }
          : applied.jobId !== null
            ? { kind: "Job" as const, id: applied.jobId }
            : { kind: "Dataset" as const, id: applied.datasetId! };
      await this.recorder.record(tx, meta, {
        action: "openlineage_event.received",
        target: { ...target, namespaceId: applied.namespaceId },
        after: { eventId, eventHash: hash, kind: kinded.kind, eventType, eventTime: at, producer: kinded.event.producer },
        addEdges: applied.edges,
      });
      return { outcome: "CREATED", eventId, eventHash: hash, kind: kinded.kind, ...applied };
    });
  }

  private async applyRunEvent(
    tx: Transaction,
    meta: RequestMeta,
    mapper: OpenLineageDatasetMapper,
    event: RunEvent,
    at: Date,
  ): Promise<Applied> {
    // The run's row first: events of one run take turns from here to the commit.
    let run = await this.writers.runs.findByExternalIdForUpdate(tx, event.run.runId);
    const job = await this.applyJob(tx, meta, mapper, event.job);
    if (run && run.jobId !== job.id) throw new RunExternalIdConflictError(event.run.runId);
    const columns = runColumnsOf(event.run.facets);
    const parentRunId = columns.parent ? await this.parentRunId(tx, meta, columns.parent, event.run.runId) : null;
    const history = run ? await this.store.runEventStates(tx, run.id) : [];
    const state = foldRunState([...history, { eventType: event.eventType ?? null, eventTime: at }]);
    // Facet-backed columns follow the latest event that sends them.
    const latest = history.every((past) => past.eventTime <= at);
    const pick = <T>(sent: T | null, current: T | null) => (sent !== null && (latest || current === null) ? sent : current);
    const patch = {
      status: state.status,
      startedAt: state.startedAt,
      endedAt: state.endedAt,
      nominalTime: pick(columns.nominalTime, run?.nominalTime ?? null),
      errorMessage: pick(columns.errorMessage, run?.errorMessage ?? null),
      parentRunId: parentRunId ?? run?.parentRunId ?? null,
    };
    if (!run) {
      run = await this.writers.runs.createIn(
        tx,
        meta,
        job.namespaceId,
        { jobId: job.id, externalId: event.run.runId, commitId: null, hyperparameters: {}, ...patch },
        () => [],
        at,
      );
    } else {
      run = await this.writers.runs.mergeIn(tx, meta, job.namespaceId, run, patch);
    }
    const runId = run.id;
    mapper.queueFacets("Run", runId, event.run.facets);

    const consumed = new Map<string, DatasetVersionRecord>();
    for (const input of event.inputs ?? []) consumed.set(mapper.consumedKey(input), await mapper.inputVersion(input));
    const edges: NewLineageEdge[] = [...consumed.values()].map((version) => ({
      upstream: { type: "DATASET_VERSION", id: version.id },
      downstream: { type: "RUN", id: runId },
      kind: "CONSUMED",
      role: "OTHER",
    }));
    if (patch.parentRunId) {
      edges.push({ upstream: { type: "RUN", id: patch.parentRunId }, downstream: { type: "RUN", id: runId }, kind: "PARENT_OF" });
    }

    const outputVersionIds: string[] = [];
    for (const output of event.outputs ?? []) await mapper.dataset(output);
    if (state.status === "COMPLETED") {
      // A completed run wrote its outputs: as all its events describe them, latest facets winning.
      const outputs = mergeOutputs([...(await this.store.runEventPayloads(tx, runId)), { eventTime: at, payload: event }]);
      for (const output of outputs) {
        const { datasetVersion } = await mapper.outputVersion(output, runId);
        outputVersionIds.push(datasetVersion.id);
        await mapper.registerColumnLineage(output, datasetVersion, runId, consumed);
      }
    }
    return {
      namespaceId: job.namespaceId,
      jobId: job.id,
      runId,
      datasetId: null,
      runStatus: run.status,
      inputVersionIds: [...consumed.values()].map((version) => version.id),
      outputVersionIds,
      edges,
    };
  }

  private async applyJobEvent(tx: Transaction, meta: RequestMeta, mapper: OpenLineageDatasetMapper, event: JobEvent) {
    const job = await this.applyJob(tx, meta, mapper, event.job);
    for (const dataset of [...(event.inputs ?? []), ...(event.outputs ?? [])]) await mapper.dataset(dataset);
    return {
      namespaceId: job.namespaceId,
      jobId: job.id,
      runId: null,
      datasetId: null,
      runStatus: null,
      inputVersionIds: [],
      outputVersionIds: [],
      edges: [],
    };
  }

  private async applyDatasetEvent(mapper: OpenLineageDatasetMapper, event: DatasetEvent): Promise<Applied> {
    const { dataset, namespaceId } = await mapper.dataset(event.dataset);
    const version = await mapper.declaredVersion(event.dataset);
    return {
      namespaceId,
      jobId: null,
      runId: null,
      datasetId: dataset.id,
      runStatus: null,
      inputVersionIds: [],
      outputVersionIds: version ? [version.id] : [],
      edges: [],
    };
  }

  /** The job (created when new); its type and description follow the `jobType` and `documentation` facets. */
  private async applyJob(tx: Transaction, meta: RequestMeta, mapper: OpenLineageDatasetMapper, sent: OpenLineageJob) {
    await mapper.namespaceId(sent.namespace);
    const wanted = jobColumnsOf(sent.facets);
    let { job } = await this.writers.jobs.ensure(tx, meta, { namespace: sent.namespace, name: sent.name, ...wanted });
    if (differs(job, wanted)) job = await this.writers.jobs.updateIn(tx, meta, job.id, wanted);
    mapper.queueFacets("Job", job.id, sent.facets);
    return job;
  }

  /** The parent run (recorded as PENDING under its job until its own events arrive). */
  private async parentRunId(
    tx: Transaction,
    meta: RequestMeta,
    parent: { runId: string; namespace: string; name: string },
    childRunId: string,
  ): Promise<string | null> {
    if (parent.runId === childRunId) return null;
    const { job } = await this.writers.jobs.ensure(tx, meta, { namespace: parent.namespace, name: parent.name });
    const existing = await this.writers.runs.findByExternalIdForUpdate(tx, parent.runId);
    if (existing) return existing.id;
    const created = await this.writers.runs.createIn(
      tx,
      meta,
      job.namespaceId,
      {
        jobId: job.id,
        externalId: parent.runId,
        parentRunId: null,
        commitId: null,
        status: "PENDING",
        hyperparameters: {},
        nominalTime: null,
        startedAt: null,
      },
      () => [],
    );
    return created.id;
  }
}

function differs(job: JobRecord, wanted: { jobType?: string; description?: string }): boolean {
  return (
    (wanted.jobType !== undefined && wanted.jobType !== job.jobType) ||
    (wanted.description !== undefined && wanted.description !== job.description)
  );
}

/** Outputs named by a run's events, one per dataset, facets merged oldest to newest. */
function mergeOutputs(events: Array<Pick<StoredEvent, "eventTime" | "payload">>): OpenLineageOutput[] {
  const merged = new Map<string, OpenLineageOutput>();
  const ordered = [...events].sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime());
  for (const { payload } of ordered) {
    for (const output of (payload as RunEvent).outputs ?? []) {
      const key = `${output.namespace}\u0000${output.name}`;
      const before = merged.get(key);
      merged.set(key, {
        namespace: output.namespace,
        name: output.name,
        facets: { ...before?.facets, ...output.facets } as Facets,
        outputFacets: { ...before?.outputFacets, ...output.outputFacets } as Facets,
      });
    }
  }
  return [...merged.values()].sort((a, b) => (a.namespace + a.name < b.namespace + b.name ? -1 : 1));
}
