import { randomUUID } from "node:crypto";
import type { BatchedChange, ChangeRecorder } from "../audit/change-recorder.js";
import type { RegisterColumnLineageCommand } from "../dataset/column-lineage.service.js";
import type { DatasetVersionRecord } from "../dataset/dataset.repository.js";
import type { SqlSession } from "../db/sql-session.js";
import { AccessDeniedError, HiddenNodeError } from "../access/access.errors.js";
import type { PedigreeError } from "../errors/pedigree-error.js";
import type { RequestMeta } from "../graphql/context.js";
import type { NodeKind } from "../graphql/node-id.js";
import type { NewLineageEdge } from "../lineage/lineage-edge.js";
import type { RunRecord, RunStatus } from "../run/run-record.js";
import { RunExternalIdConflictError } from "../run/run.errors.js";
import type { DatasetRow, EdgeToAdd, JobRow, NewEventRow, OpenLineageBatchRepository } from "./openlineage-batch.repository.js";
import type {
  DatasetEvent,
  Facets,
  JobEvent,
  KindedEvent,
  OpenLineageDataset,
  OpenLineageInput,
  OpenLineageJob,
  OpenLineageOutput,
  RunEvent,
} from "./openlineage-event.js";
import {
  columnLineageOf,
  datasetVersionOf,
  formatOf,
  jobColumnsOf,
  outputStatisticsOf,
  runColumnsOf,
  schemaFieldsOf,
  symlinksOf,
  uriOf,
  versionDigest,
} from "./openlineage-facets.js";
import type { FacetNodeKind, FacetWrite, OpenLineageRepository } from "./openlineage.repository.js";
import { foldRunState } from "./run-state.js";

/** One event of a batch: who sent it (already authorized for every namespace it names) and its hash. */
export interface BatchEntry {
  meta: RequestMeta;
  kinded: KindedEvent;
  hash: string;
}

/** Registers column lineage in the batch's transaction (ColumnLineageService.registerIn). */
export type ColumnLineageWriter = (meta: RequestMeta, command: RegisterColumnLineageCommand) => Promise<unknown>;

/** A batch with column lineage was tried outside a Prisma transaction; apply it again inside one. */
export class ColumnLineageNeedsPrismaError extends Error {
  constructor() {
    super("OpenLineage batch carries column lineage: apply it in a Prisma transaction");
  }
}

/** Whether any event sends a `columnLineage` facet (its batch is applied in a Prisma transaction). */
export function sendsColumnLineage(kinded: KindedEvent): boolean {
  return kinded.kind !== "DATASET" && (kinded.event.outputs ?? []).some((output) => output.facets?.columnLineage !== undefined);
}

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

export type BatchOutcome = { result: IngestResult } | { error: PedigreeError };

const key = (namespace: string, name: string) => `${namespace}\u0000${name}`;
const OPERATION = "POST /api/v1/lineage";

interface HistoryEntry {
  eventType: string | null;
  eventTime: Date;
  outputs: OpenLineageOutput[];
}

interface RunState {
  record: RunRecord;
  namespaceId: string;
  created: boolean;
  changed: boolean;
  history: HistoryEntry[];
}

/**
 * Applies a batch of OpenLineage events in one transaction with a fixed number of statements:
 * everything the batch names is read up front (set-based), the events are applied in arrival
 * order to that state in memory, and the result is written back set-based — new rows, final run
 * states, edges, raw events, facets — with one chained audit entry per change and one outbox
 * row per change that adds edges. Semantics are those of docs/openlineage.md, per event.
 */
export class OpenLineageBatchApplier {
  constructor(
    private readonly batches: OpenLineageBatchRepository,
    private readonly events: OpenLineageRepository,
    private readonly recorder: ChangeRecorder,
  ) {}

  /**
   * Applies the batch in the session's transaction. Column lineage goes through its service, which
   * needs a Prisma transaction: `registerColumnLineage` writes it there; without it, a batch that
   * turns out to carry column lineage throws `ColumnLineageNeedsPrismaError` (to be applied again
   * in a Prisma transaction).
   */
  async apply(
    session: SqlSession,
    entries: readonly BatchEntry[],
    registerColumnLineage: ColumnLineageWriter | null,
  ): Promise<BatchOutcome[]> {
    await this.batches.lockBatch(session);
    const work = new BatchWork(session, this.batches);
    const outcomes: Array<BatchOutcome | undefined> = new Array(entries.length);

    // The same event twice changes nothing: sent before, or earlier in this batch.
    const stored = new Map(
      (await this.batches.eventsByHash(session, [...new Set(entries.map((e) => e.hash))])).map((r) => [r.eventHash, r]),
    );
    const firstOfHash = new Map<string, number>();
    const repeats: Array<[number, number]> = [];
    const live: number[] = [];
    for (const [index, entry] of entries.entries()) {
      const before = stored.get(entry.hash);
      if (before) {
        outcomes[index] = { result: duplicateResult(entry, before) };
      } else if (firstOfHash.has(entry.hash)) {
        repeats.push([index, firstOfHash.get(entry.hash)!]);
      } else {
        firstOfHash.set(entry.hash, index);
        live.push(index);
      }
    }

    await work.load(live.map((index) => entries[index]!.kinded));
    for (const index of live) {
      const entry = entries[index]!;
      const conflict = work.runConflict(entry.kinded);
      outcomes[index] = conflict ? { error: conflict } : { result: await work.applyEvent(entry) };
    }

    if (work.columnLineage.length > 0 && !registerColumnLineage) throw new ColumnLineageNeedsPrismaError();
    // The audit events are canonicalized while the database executes the batch's writes. Both
    // settle before either's failure goes on: a rollback must not overtake writes still being sent.
    const [written, prepared] = await Promise.allSettled([work.write(this.events), this.recorder.prepareBatch(work.changes)]);
    if (written.status === "rejected") throw written.reason;
    if (prepared.status === "rejected") throw prepared.reason;
    for (const registration of work.columnLineage) await registerColumnLineage!(registration.meta, registration.command);
    await this.recorder.writeBatch(session, prepared.value);

    for (const [index, first] of repeats) {
      const outcome = outcomes[first]!;
      // Answered like an event found stored: what it was applied to, nothing it changed.
      outcomes[index] =
        "result" in outcome
          ? { result: duplicateResult(entries[index]!, { ...outcome.result, id: outcome.result.eventId }) }
          : outcome;
    }
    return outcomes.map((outcome) => outcome!);
  }
}

function duplicateResult(
  entry: BatchEntry,
  stored: { id: string; runId: string | null; jobId: string | null; datasetId: string | null },
): IngestResult {
  return {
    outcome: "DUPLICATE",
    eventId: stored.id,
    eventHash: entry.hash,
    kind: entry.kinded.kind,
    jobId: stored.jobId,
    runId: stored.runId,
    datasetId: stored.datasetId,
    runStatus: null,
    inputVersionIds: [],
    outputVersionIds: [],
  };
}

/** Datasets an event names, with the version facets that decide which version it means. */
function datasetsOf(kinded: KindedEvent): OpenLineageDataset[] {
  if (kinded.kind === "DATASET") return [kinded.event.dataset];
  const named: OpenLineageDataset[] = [...(kinded.event.inputs ?? []), ...(kinded.event.outputs ?? [])];
  for (const output of kinded.event.outputs ?? []) {
    for (const { inputs } of columnLineageOf(output)) named.push(...inputs.map(({ namespace, name }) => ({ namespace, name })));
  }
  return named;
}

function jobsOf(kinded: KindedEvent): OpenLineageJob[] {
  if (kinded.kind === "DATASET") return [];
  const jobs: OpenLineageJob[] = [kinded.event.job];
  if (kinded.kind === "RUN") {
    const parent = runColumnsOf(kinded.event.run.facets).parent;
    if (parent) jobs.push({ namespace: parent.namespace, name: parent.name });
  }
  return jobs;
}

/** The state one batch reads, changes in memory and writes back. */
class BatchWork {
  readonly changes: BatchedChange[] = [];
  readonly columnLineage: Array<{ meta: RequestMeta; command: RegisterColumnLineageCommand }> = [];
  /** When this batch records its changes (audit time); lineage edges are valid from their event time. */
  private readonly now = new Date();

  private readonly namespaceIds = new Map<string, string>();
  private readonly newNamespaces: Array<{ id: string; name: string; at: Date }> = [];
  private readonly jobs = new Map<string, JobRow>();
  private readonly newJobIds = new Set<string>();
  /** Columns of stored jobs this batch changed. */
  private readonly changedJobColumns = new Map<string, Set<"jobType" | "description">>();
  /** Event time of the facet each job column was taken from: a column follows the latest event that sends it. */
  private readonly jobColumnTimes = new Map<string, { jobType?: Date; description?: Date }>();
  private readonly datasets = new Map<string, DatasetRow>();
  private readonly newDatasets: DatasetRow[] = [];
  /** Datasets by another identifier of theirs (the `symlinks` facet), and the identifiers this batch adds. */
  private readonly symlinks = new Map<string, DatasetRow>();
  private readonly newSymlinks: Array<{ namespace: string; name: string; datasetId: string; type: string | null }> = [];
  private readonly runs = new Map<string, RunState>();
  private readonly newRunIds = new Set<string>();
  private readonly histories = new Map<string, HistoryEntry[]>();
  private readonly versionNumbers = new Map<string, number>();
  private readonly versionsAtCache = new Map<string, DatasetVersionRecord | null>();
  /** Stored versions of datasets over the span of the batch's event times (see `versionsInWindows`). */
  private readonly storedWindows = new Map<string, { from: Date; to: Date; versions: DatasetVersionRecord[] }>();
  private readonly newDatasetIds = new Set<string>();
  private readonly versionsBySnapshot = new Map<string, DatasetVersionRecord | null>();
  private readonly versionsByDigest = new Map<string, DatasetVersionRecord | null>();
  /** Versions created by this batch, per dataset (they count for later events' "current at" reads). */
  private readonly batchVersions = new Map<string, DatasetVersionRecord[]>();
  private readonly newVersions: DatasetVersionRecord[] = [];
  /** Stored output versions a late event of their run completed (schema, statistics). */
  private readonly refinedVersions = new Map<string, DatasetVersionRecord>();
  private readonly edges: Array<EdgeToAdd & { change: BatchedChange }> = [];
  private readonly edgeKeys = new Set<string>();
  private readonly eventRows: NewEventRow[] = [];
  private readonly facets = new Map<string, FacetWrite>();

  constructor(
    private readonly session: SqlSession,
    private readonly store: OpenLineageBatchRepository,
  ) {}

  /** Reads everything the events name, a statement per kind of thing. */
  async load(events: readonly KindedEvent[]): Promise<void> {
    const { session, store } = this;
    const runEvents = events.filter((kinded): kinded is { kind: "RUN"; event: RunEvent } => kinded.kind === "RUN");
    const runRows = await store.runsByExternalId(session, [
      ...new Set(
        runEvents.flatMap(({ event }) => {
          const parent = runColumnsOf(event.run.facets).parent;
          return parent ? [event.run.runId, parent.runId] : [event.run.runId];
        }),
      ),
    ]);
    for (const history of await store.runEventHistories(
      session,
      runRows.map(({ run }) => run.id),
    )) {
      const list = this.histories.get(history.runId) ?? [];
      list.push({
        eventType: history.eventType,
        eventTime: history.eventTime,
        outputs: (history.outputs ?? []) as OpenLineageOutput[],
      });
      this.histories.set(history.runId, list);
    }
    for (const { run, namespaceId } of runRows) {
      this.runs.set(run.externalId!, {
        record: run,
        namespaceId,
        created: false,
        changed: false,
        history: this.histories.get(run.id) ?? [],
      });
    }

    // Every name the events mention, and the outputs of earlier events of their runs (a completed
    // run's output versions are merged from all its events).
    const jobKeys = new Map<string, OpenLineageJob>();
    const datasetKeys = new Map<string, OpenLineageDataset>();
    for (const kinded of events) {
      for (const job of jobsOf(kinded)) jobKeys.set(key(job.namespace, job.name), job);
      for (const dataset of datasetsOf(kinded)) datasetKeys.set(key(dataset.namespace, dataset.name), dataset);
    }
    for (const history of this.histories.values()) {
      for (const { outputs } of history)
        for (const output of outputs) datasetKeys.set(key(output.namespace, output.name), output);
    }
    const namespaceNames = new Set([...jobKeys.values(), ...datasetKeys.values()].map((named) => named.namespace));
    for (const dataset of datasetKeys.values())
      for (const identifier of symlinksOf(dataset)) namespaceNames.add(identifier.namespace);
    for (const row of await store.namespacesByName(session, [...namespaceNames])) this.namespaceIds.set(row.name, row.id);

    const known = (items: Iterable<{ namespace: string; name: string }>) =>
      [...items].flatMap((item) => {
        const namespaceId = this.namespaceIds.get(item.namespace);
        return namespaceId ? [{ namespaceId, name: item.name }] : [];
      });
    const [jobRows, datasetRows] = await Promise.all([
      store.jobsByName(session, known(jobKeys.values())),
      store.datasetsByName(session, known(datasetKeys.values())),
    ]);
    const namespaceNameOf = new Map([...this.namespaceIds].map(([name, id]) => [id, name]));
    for (const row of jobRows) this.jobs.set(key(namespaceNameOf.get(row.namespaceId)!, row.name), row);
    for (const row of datasetRows) this.datasets.set(key(namespaceNameOf.get(row.namespaceId)!, row.name), row);
    for (const row of await store.jobColumnFacetTimes(
      session,
      jobRows.map((job) => job.id),
    )) {
      const times = this.jobColumnTimes.get(row.jobId) ?? {};
      times[row.name === "jobType" ? "jobType" : "description"] = row.eventTime;
      this.jobColumnTimes.set(row.jobId, times);
    }
    // Names that are no dataset of their own may be another identifier of one.
    const unresolved = [...datasetKeys].filter(([datasetKey]) => !this.datasets.has(datasetKey)).map(([, dataset]) => dataset);
    for (const row of await store.datasetsBySymlink(session, unresolved)) {
      const { symlinkNamespace, symlinkName, ...dataset } = row;
      this.symlinks.set(key(symlinkNamespace, symlinkName), dataset);
      datasetRows.push(dataset);
    }

    // Version numbers of every dataset that may get a version, read under the datasets' locks.
    const datasetIds = datasetRows.map((row) => row.id);
    for (const [datasetId, version] of await store.lockDatasetsForNewVersions(session, datasetIds))
      this.versionNumbers.set(datasetId, version);

    // The versions inputs read: by `version` facet, else current at the event time.
    const atLookups: Array<{ datasetId: string; at: Date; input: OpenLineageInput }> = [];
    const snapshotLookups: Array<{ datasetId: string; snapshotRef: string }> = [];
    const digestLookups: Array<{ datasetId: string; digest: string }> = [];
    for (const { event } of runEvents) {
      const at = new Date(event.eventTime);
      for (const input of event.inputs ?? []) {
        const dataset = this.knownDataset(input);
        if (!dataset) continue;
        const snapshotRef = datasetVersionOf(input);
        if (snapshotRef) snapshotLookups.push({ datasetId: dataset.id, snapshotRef });
        else atLookups.push({ datasetId: dataset.id, at, input });
      }
      const run = this.runs.get(event.run.runId);
      for (const output of event.outputs ?? []) {
        const dataset = this.knownDataset(output);
        if (!dataset || !run) continue;
        digestLookups.push({
          datasetId: dataset.id,
          digest: versionDigest(run.record.id, datasetVersionOf(output), schemaFieldsOf(output)),
        });
      }
    }
    // "Current at" reads of a dataset span its events' times: one window per dataset answers them all.
    const windows = new Map<string, { datasetId: string; from: Date; to: Date }>();
    for (const { datasetId, at } of atLookups) {
      const window = windows.get(datasetId);
      if (!window) windows.set(datasetId, { datasetId, from: at, to: at });
      else if (at < window.from) window.from = at;
      else if (at > window.to) window.to = at;
    }
    // Versions dataset events declare (no producer: schema and `version` facet identify them).
    for (const kinded of events) {
      if (kinded.kind !== "DATASET") continue;
      const dataset = this.knownDataset(kinded.event.dataset);
      if (!dataset) continue;
      const declared = kinded.event.dataset;
      digestLookups.push({
        datasetId: dataset.id,
        digest: versionDigest(null, datasetVersionOf(declared), schemaFieldsOf(declared)),
      });
    }
    const [windowRows, snapshotRows, digestRows] = await Promise.all([
      store.versionsInWindows(session, [...windows.values()]),
      store.versionsBySnapshotRef(session, snapshotLookups),
      store.versionsByDigest(session, digestLookups),
    ]);
    for (const window of windows.values()) this.storedWindows.set(window.datasetId, { ...window, versions: [] });
    for (const version of windowRows) this.storedWindows.get(version.datasetId)!.versions.push(version);
    for (const lookup of snapshotLookups) this.versionsBySnapshot.set(`${lookup.datasetId}\u0000${lookup.snapshotRef}`, null);
    for (const version of snapshotRows) this.versionsBySnapshot.set(`${version.datasetId}\u0000${version.snapshotRef}`, version);
    for (const lookup of digestLookups) this.versionsByDigest.set(`${lookup.datasetId}\u0000${lookup.digest}`, null);
    for (const version of digestRows) this.versionsByDigest.set(`${version.datasetId}\u0000${version.digest}`, version);

    // Inputs read before any stored version of theirs are recorded as the version observed (no
    // producer, found by digest): those lookups in one more statement, only when there are any.
    const observedLookups = new Map<string, { datasetId: string; digest: string }>();
    for (const { datasetId, at, input } of atLookups) {
      if (newestAt(this.storedWindows.get(datasetId)?.versions ?? [], at)) continue;
      const digest = versionDigest(null, null, schemaFieldsOf(input));
      const lookupKey = `${datasetId}\u0000${digest}`;
      if (!this.versionsByDigest.has(lookupKey)) observedLookups.set(lookupKey, { datasetId, digest });
    }
    if (observedLookups.size > 0) {
      for (const lookupKey of observedLookups.keys()) this.versionsByDigest.set(lookupKey, null);
      for (const version of await store.versionsByDigest(session, [...observedLookups.values()]))
        this.versionsByDigest.set(`${version.datasetId}\u0000${version.digest}`, version);
    }
  }

  /** A dataset the batch knows by this name or as another identifier of it. */
  private knownDataset(named: { namespace: string; name: string }): DatasetRow | undefined {
    const datasetKey = key(named.namespace, named.name);
    return this.datasets.get(datasetKey) ?? this.symlinks.get(datasetKey);
  }

  /** A run id that already belongs to a run of another job: the event is refused (409), nothing written. */
  runConflict(kinded: KindedEvent): PedigreeError | null {
    if (kinded.kind !== "RUN") return null;
    const run = this.runs.get(kinded.event.run.runId);
    if (!run) return null;
    const job = this.jobs.get(key(kinded.event.job.namespace, kinded.event.job.name));
    return job?.id === run.record.jobId ? null : new RunExternalIdConflictError(kinded.event.run.runId);
  }

  async applyEvent(entry: BatchEntry): Promise<IngestResult> {
    const { kinded } = entry;
    const at = new Date(kinded.event.eventTime);
    const eventId = randomUUID();
    const applied =
      kinded.kind === "RUN"
        ? await this.applyRunEvent(entry.meta, kinded.event, at)
        : kinded.kind === "JOB"
          ? await this.applyJobEvent(entry.meta, kinded.event, at)
          : await this.applyDatasetEvent(entry.meta, kinded.event, at);
    const eventType = kinded.kind === "RUN" ? (kinded.event.eventType ?? null) : null;
    this.eventRows.push({
      id: eventId,
      eventHash: entry.hash,
      kind: kinded.kind,
      eventType,
      eventTime: at,
      namespaceId: applied.namespaceId,
      runId: applied.runId,
      jobId: applied.jobId,
      datasetId: applied.datasetId,
      payload: kinded.event,
    });
    const target: { kind: NodeKind; id: string } =
      applied.runId !== null
        ? { kind: "Run", id: applied.runId }
        : applied.jobId !== null
          ? { kind: "Job", id: applied.jobId }
          : { kind: "Dataset", id: applied.datasetId! };
    const change = this.change(
      entry.meta,
      "openlineage_event.received",
      { ...target, namespaceId: applied.namespaceId },
      {
        after: { eventId, eventHash: entry.hash, kind: kinded.kind, eventType, eventTime: at, producer: kinded.event.producer },
      },
    );
    this.addEdges(change, applied.edges, at);
    return {
      outcome: "CREATED",
      eventId,
      eventHash: entry.hash,
      kind: kinded.kind,
      jobId: applied.jobId,
      runId: applied.runId,
      datasetId: applied.datasetId,
      runStatus: applied.runStatus,
      inputVersionIds: applied.inputVersionIds,
      outputVersionIds: applied.outputVersionIds,
    };
  }

  private async applyRunEvent(meta: RequestMeta, event: RunEvent, at: Date) {
    const job = this.job(meta, event.job, at);
    const columns = runColumnsOf(event.run.facets);
    const parentRunId =
      columns.parent && columns.parent.runId !== event.run.runId ? this.parentRun(meta, columns.parent, at).record.id : null;
    let run = this.runs.get(event.run.runId);
    const history = run?.history ?? [];
    const state = foldRunState([...history, { eventType: event.eventType ?? null, eventTime: at }]);
    // Facet-backed columns follow the latest event that sends them.
    const latest = history.every((past) => past.eventTime <= at);
    const pick = <T>(sent: T | null, current: T | null) => (sent !== null && (latest || current === null) ? sent : current);
    const patch = {
      status: state.status,
      startedAt: state.startedAt,
      endedAt: state.endedAt,
      nominalTime: pick(columns.nominalTime, run?.record.nominalTime ?? null),
      errorMessage: pick(columns.errorMessage, run?.record.errorMessage ?? null),
      parentRunId: parentRunId ?? run?.record.parentRunId ?? null,
    };
    if (!run) {
      run = this.newRun(job, event.run.runId, patch, []);
      this.change(meta, "run.started", { kind: "Run", id: run.record.id, namespaceId: job.namespaceId }, { after: run.record });
    } else {
      const before = run.record;
      const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
      const unchanged =
        before.status === patch.status &&
        same(before.startedAt, patch.startedAt) &&
        same(before.endedAt, patch.endedAt) &&
        same(before.nominalTime, patch.nominalTime) &&
        before.errorMessage === patch.errorMessage &&
        before.parentRunId === patch.parentRunId;
      if (!unchanged) {
        run.record = { ...before, ...patch, updatedAt: this.now };
        run.changed = true;
        const action = patch.status !== before.status ? `run.${patch.status.toLowerCase()}` : "run.updated";
        this.change(meta, action, { kind: "Run", id: before.id, namespaceId: run.namespaceId }, { before, after: run.record });
      }
    }
    run.history.push({ eventType: event.eventType ?? null, eventTime: at, outputs: event.outputs ?? [] });
    const runId = run.record.id;
    this.queueFacets("Run", runId, event.run.facets, at);

    const consumed = new Map<string, DatasetVersionRecord>();
    for (const input of event.inputs ?? [])
      consumed.set(key(input.namespace, input.name), await this.inputVersion(meta, input, at));
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
    for (const output of event.outputs ?? []) this.dataset(meta, output, at);
    if (state.status === "COMPLETED") {
      // A completed run wrote its outputs: as all its events describe them, latest facets winning.
      for (const output of mergeOutputs(run.history)) {
        // Created at the run's end, whichever event completes the picture.
        const version = await this.outputVersion(meta, output, runId, state.endedAt ?? at, latestEventTime(run.history));
        outputVersionIds.push(version.id);
        await this.queueColumnLineage(meta, output, version, runId, consumed, at);
      }
    }
    return {
      namespaceId: job.namespaceId,
      jobId: job.id,
      runId,
      datasetId: null,
      runStatus: run.record.status,
      inputVersionIds: [...consumed.values()].map((version) => version.id),
      outputVersionIds,
      edges,
    };
  }

  private async applyJobEvent(meta: RequestMeta, event: JobEvent, at: Date) {
    const job = this.job(meta, event.job, at);
    for (const dataset of [...(event.inputs ?? []), ...(event.outputs ?? [])]) this.dataset(meta, dataset, at);
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

  private async applyDatasetEvent(meta: RequestMeta, event: DatasetEvent, at: Date) {
    const dataset = this.dataset(meta, event.dataset, at);
    const declared = event.dataset;
    let version: DatasetVersionRecord | null = null;
    if (schemaFieldsOf(declared).length > 0 || datasetVersionOf(declared)) {
      version = await this.ensureVersion(meta, declared, dataset, null, undefined, at);
      this.queueFacets("DatasetVersion", version.id, declared.facets, at);
    }
    return {
      namespaceId: dataset.namespaceId,
      jobId: null,
      runId: null,
      datasetId: dataset.id,
      runStatus: null,
      inputVersionIds: [],
      outputVersionIds: version ? [version.id] : [],
      edges: [],
    };
  }

  private namespaceId(meta: RequestMeta, name: string): string {
    const known = this.namespaceIds.get(name);
    if (known) return known;
    const id = randomUUID();
    this.namespaceIds.set(name, id);
    this.newNamespaces.push({ id, name, at: this.now });
    this.change(
      meta,
      "namespace.registered",
      { kind: "Namespace", id, namespaceId: id },
      {
        after: { id, name, description: null, createdAt: this.now, updatedAt: this.now },
      },
    );
    return id;
  }

  /** The job (created when new); its type and description follow the `jobType` and `documentation` facets. */
  private job(meta: RequestMeta, sent: OpenLineageJob, at: Date): JobRow {
    const namespaceId = this.namespaceId(meta, sent.namespace);
    const jobKey = key(sent.namespace, sent.name);
    let job = this.jobs.get(jobKey);
    if (!job) {
      job = {
        id: randomUUID(),
        namespaceId,
        name: sent.name,
        jobType: null,
        description: null,
        createdAt: this.now,
        updatedAt: this.now,
      };
      this.jobs.set(jobKey, job);
      this.newJobIds.add(job.id);
      this.change(meta, "job.registered", { kind: "Job", id: job.id, namespaceId }, { after: { ...job } });
    }
    const sentColumns = jobColumnsOf(sent.facets);
    const times = this.jobColumnTimes.get(job.id) ?? {};
    this.jobColumnTimes.set(job.id, times);
    const wanted: { jobType?: string; description?: string } = {};
    for (const column of ["jobType", "description"] as const) {
      const value = sentColumns[column];
      if (value === undefined || (times[column] !== undefined && times[column] > at)) continue;
      wanted[column] = value;
      times[column] = at;
    }
    if (
      (wanted.jobType !== undefined && wanted.jobType !== job.jobType) ||
      (wanted.description !== undefined && wanted.description !== job.description)
    ) {
      const before = { ...job };
      Object.assign(job, wanted, { updatedAt: this.now });
      if (!this.newJobIds.has(job.id)) {
        const columns = this.changedJobColumns.get(job.id) ?? new Set();
        for (const column of Object.keys(wanted) as Array<"jobType" | "description">) columns.add(column);
        this.changedJobColumns.set(job.id, columns);
      }
      this.change(meta, "job.updated", { kind: "Job", id: job.id, namespaceId }, { before, after: { ...job } });
    }
    if (sent.facets) this.queueFacets("Job", job.id, sent.facets, at);
    return job;
  }

  /** The parent run (recorded as PENDING under its job until its own events arrive). */
  private parentRun(meta: RequestMeta, parent: { runId: string; namespace: string; name: string }, at: Date): RunState {
    // A known run is the parent as it is, under its own job (the facet's job is only a description
    // of it: the spec's own examples name one parent run under two jobs).
    const existing = this.runs.get(parent.runId);
    if (existing) return existing;
    const job = this.job(meta, { namespace: parent.namespace, name: parent.name }, at);
    const run = this.newRun(
      job,
      parent.runId,
      { status: "PENDING", startedAt: null, endedAt: null, nominalTime: null, errorMessage: null, parentRunId: null },
      [],
    );
    this.change(meta, "run.started", { kind: "Run", id: run.record.id, namespaceId: job.namespaceId }, { after: run.record });
    return run;
  }

  private newRun(
    job: JobRow,
    externalId: string,
    patch: Pick<RunRecord, "status" | "startedAt" | "endedAt" | "nominalTime" | "errorMessage" | "parentRunId">,
    history: HistoryEntry[],
  ): RunState {
    const record: RunRecord = {
      id: randomUUID(),
      jobId: job.id,
      externalId,
      commitId: null,
      hyperparameters: {},
      latestMetrics: {},
      ...patch,
      createdAt: this.now,
      updatedAt: this.now,
    };
    const run = { record, namespaceId: job.namespaceId, created: true, changed: false, history };
    this.runs.set(externalId, run);
    this.newRunIds.add(record.id);
    return run;
  }

  /** The dataset (created when new), its facets queued for storing. */
  private dataset(meta: RequestMeta, sent: OpenLineageDataset, at: Date, queueFacets = true): DatasetRow {
    const datasetKey = key(sent.namespace, sent.name);
    let dataset = this.datasets.get(datasetKey);
    const linked = dataset ? undefined : this.symlinks.get(datasetKey);
    // Reached through another identifier: it may live in a namespace the event did not name.
    if (linked) requireEditor(meta, linked.namespaceId, "Dataset", `${sent.namespace}/${sent.name}`);
    dataset ??= linked;
    if (!dataset) {
      const namespaceId = this.namespaceId(meta, sent.namespace);
      dataset = { id: randomUUID(), namespaceId, name: sent.name, description: null, createdAt: this.now, updatedAt: this.now };
      this.datasets.set(datasetKey, dataset);
      this.newDatasets.push(dataset);
      this.newDatasetIds.add(dataset.id);
      this.versionNumbers.set(dataset.id, 0);
      this.change(meta, "dataset.registered", { kind: "Dataset", id: dataset.id, namespaceId }, { after: { ...dataset } });
    }
    if (!queueFacets) return dataset;
    if (sent.facets) this.queueFacets("Dataset", dataset.id, sent.facets, at);
    for (const identifier of symlinksOf(sent)) {
      const identifierKey = key(identifier.namespace, identifier.name);
      if (this.datasets.has(identifierKey) || this.symlinks.has(identifierKey)) continue;
      this.symlinks.set(identifierKey, dataset);
      this.newSymlinks.push({ ...identifier, datasetId: dataset.id });
      // Audited and checked in the identifier's namespace (global EDITOR when Pedigree has none of that name).
      this.change(
        meta,
        "dataset.symlink_added",
        { kind: "Dataset", id: dataset.id, namespaceId: this.namespaceIds.get(identifier.namespace) ?? null },
        { after: { ...identifier, datasetId: dataset.id } },
      );
    }
    return dataset;
  }

  /**
   * The version a run read: the one whose snapshot reference is the `version` facet when sent,
   * else the version current at the event time. When none is known yet, the version is recorded
   * as observed (no producer) at the event time, so the read is never lost.
   */
  private async inputVersion(meta: RequestMeta, input: OpenLineageInput, at: Date): Promise<DatasetVersionRecord> {
    const dataset = this.dataset(meta, input, at);
    const snapshotRef = datasetVersionOf(input);
    const found = snapshotRef ? await this.versionBySnapshotRef(dataset.id, snapshotRef) : await this.versionAt(dataset.id, at);
    const version = found ?? (await this.ensureVersion(meta, input, dataset, null, undefined, at));
    this.queueFacets("DatasetVersion", version.id, input.inputFacets, at, "input.");
    return version;
  }

  /** The version a completed run wrote (new when its producer, `version` facet or schema is new). */
  private async outputVersion(meta: RequestMeta, output: OpenLineageOutput, runId: string, endedAt: Date, describedAt: Date) {
    // The dataset's own facets were queued by the events that sent them, at their own times.
    const dataset = this.dataset(meta, output, endedAt, false);
    const version = await this.ensureVersion(meta, output, dataset, runId, output.outputFacets, endedAt);
    this.queueFacets("DatasetVersion", version.id, output.facets, describedAt);
    this.queueFacets("DatasetVersion", version.id, output.outputFacets, describedAt, "output.");
    return version;
  }

  private async ensureVersion(
    meta: RequestMeta,
    source: OpenLineageDataset,
    dataset: DatasetRow,
    producedByRunId: string | null,
    outputFacets: Facets | undefined,
    at: Date,
  ): Promise<DatasetVersionRecord> {
    const schemaFields = schemaFieldsOf(source);
    const snapshotRef = datasetVersionOf(source);
    const digest = versionDigest(producedByRunId, snapshotRef, schemaFields);
    // A run this batch created has written no stored version yet: only this batch's count.
    const newRun = producedByRunId !== null && this.newRunIds.has(producedByRunId);
    const existing = newRun
      ? (this.versionsByDigest.get(`${dataset.id}\u0000${digest}`) ?? null)
      : await this.versionByDigest(dataset.id, digest);
    if (existing && producedByRunId !== null) {
      return this.refineOutputVersion(meta, existing, dataset, {
        schemaFields,
        format: formatOf(source),
        ...outputStatisticsOf(outputFacets),
        createdAt: at,
      });
    }
    if (existing) return existing;
    if (!this.versionNumbers.has(dataset.id)) {
      // A dataset first named by column lineage only: its number is read (and locked) now.
      const numbers = await this.store.lockDatasetsForNewVersions(this.session, [dataset.id]);
      this.versionNumbers.set(dataset.id, numbers.get(dataset.id) ?? 0);
    }
    const number = this.versionNumbers.get(dataset.id)! + 1;
    this.versionNumbers.set(dataset.id, number);
    const version: DatasetVersionRecord = {
      id: randomUUID(),
      datasetId: dataset.id,
      version: number,
      uri: uriOf(source),
      format: formatOf(source),
      digest,
      schemaFields,
      ...outputStatisticsOf(outputFacets),
      snapshotRef,
      createdAt: at,
    };
    this.newVersions.push(version);
    this.versionsByDigest.set(`${dataset.id}\u0000${digest}`, version);
    if (snapshotRef) this.versionsBySnapshot.set(`${dataset.id}\u0000${snapshotRef}`, version);
    const list = this.batchVersions.get(dataset.id) ?? [];
    list.push(version);
    this.batchVersions.set(dataset.id, list);
    const change = this.change(
      meta,
      "dataset_version.registered",
      {
        kind: "DatasetVersion",
        id: version.id,
        namespaceId: dataset.namespaceId,
      },
      { after: version },
    );
    if (producedByRunId) {
      this.addEdges(
        change,
        [
          {
            upstream: { type: "RUN", id: producedByRunId },
            downstream: { type: "DATASET_VERSION", id: version.id },
            kind: "PRODUCED",
          },
        ],
        at,
      );
    }
    return version;
  }

  /**
   * A run's output version as its events describe it so far: a late event (a START carrying the
   * schema after the COMPLETE) completes the version the run wrote instead of adding another.
   */
  private refineOutputVersion(
    meta: RequestMeta,
    version: DatasetVersionRecord,
    dataset: DatasetRow,
    described: Pick<DatasetVersionRecord, "schemaFields" | "format" | "rowCount" | "sizeBytes" | "createdAt">,
  ): DatasetVersionRecord {
    const same =
      JSON.stringify(version.schemaFields) === JSON.stringify(described.schemaFields) &&
      version.format === described.format &&
      version.rowCount === described.rowCount &&
      version.sizeBytes === described.sizeBytes &&
      version.createdAt.getTime() === described.createdAt.getTime();
    if (same) return version;
    const created = this.newVersions.includes(version);
    const before = { ...version };
    // Versions of this batch are not written yet: completed in place (their audit entry shows the result).
    Object.assign(version, described);
    if (!created) {
      this.refinedVersions.set(version.id, version);
      const window = this.storedWindows.get(version.datasetId);
      if (window) window.versions = window.versions.map((stored) => (stored.id === version.id ? version : stored));
      this.change(
        meta,
        "dataset_version.completed",
        { kind: "DatasetVersion", id: version.id, namespaceId: dataset.namespaceId },
        {
          before,
          after: { ...version },
        },
      );
    }
    return version;
  }

  private async versionAt(datasetId: string, at: Date): Promise<DatasetVersionRecord | null> {
    const window = this.storedWindows.get(datasetId);
    let stored: DatasetVersionRecord | null | undefined;
    if (this.newDatasetIds.has(datasetId)) stored = null;
    else if (window && window.from <= at && at <= window.to) stored = newestAt(window.versions, at);
    else {
      stored = await cachedVersion(this.versionsAtCache, `${datasetId}@${at.getTime()}`, async () =>
        (await this.store.versionsAt(this.session, [{ datasetId, at }])).map((found) => found.version),
      );
    }
    // Versions this batch created count too: the newest created at or before `at` wins.
    return newestAt([...(stored ? [stored] : []), ...(this.batchVersions.get(datasetId) ?? [])], at);
  }

  private versionBySnapshotRef(datasetId: string, snapshotRef: string): Promise<DatasetVersionRecord | null> {
    return cachedVersion(this.versionsBySnapshot, `${datasetId}\u0000${snapshotRef}`, () =>
      this.store.versionsBySnapshotRef(this.session, [{ datasetId, snapshotRef }]),
    );
  }

  private versionByDigest(datasetId: string, digest: string): Promise<DatasetVersionRecord | null> {
    return cachedVersion(this.versionsByDigest, `${datasetId}\u0000${digest}`, () =>
      this.store.versionsByDigest(this.session, [{ datasetId, digest }]),
    );
  }

  /**
   * Column lineage of an output version from its `columnLineage` facet: each input field's version
   * is the one the run read from that dataset, else the one current at the event time. Registered
   * through the column lineage service once the batch's rows are written.
   */
  private async queueColumnLineage(
    meta: RequestMeta,
    output: OpenLineageOutput,
    outputVersion: DatasetVersionRecord,
    runId: string,
    consumed: ReadonlyMap<string, DatasetVersionRecord>,
    at: Date,
  ): Promise<void> {
    const fields = [];
    for (const { field, inputs } of columnLineageOf(output)) {
      const resolved = [];
      for (const input of inputs) {
        const version =
          consumed.get(key(input.namespace, input.name)) ??
          (await this.inputVersion(meta, { namespace: input.namespace, name: input.name }, at));
        resolved.push({
          datasetVersion: { id: version.id, shownAs: `${input.namespace}/${input.name}` },
          field: input.field,
          transformations: input.transformations,
        });
      }
      if (resolved.length > 0) fields.push({ field, inputs: resolved });
    }
    if (fields.length === 0) return;
    this.columnLineage.push({
      meta,
      command: {
        output: { id: outputVersion.id, shownAs: `${output.namespace}/${output.name}` },
        run: { id: runId, shownAs: runId },
        fields,
      },
    });
  }

  private change(
    meta: RequestMeta,
    action: string,
    target: BatchedChange["target"],
    content: { before?: unknown; after?: unknown },
  ): BatchedChange {
    const change: BatchedChange = { meta, action, target, ...content, at: this.now };
    this.changes.push(change);
    return change;
  }

  /** Edges a change adds; one already added by this batch is not added twice. */
  private addEdges(change: BatchedChange, edges: readonly NewLineageEdge[], validFrom: Date): void {
    for (const edge of edges) {
      const edgeKey = `${edge.upstream.id}:${edge.downstream.id}:${edge.kind}:${edge.role ?? ""}`;
      if (this.edgeKeys.has(edgeKey)) continue;
      this.edgeKeys.add(edgeKey);
      this.edges.push({ ...edge, validFrom, change });
    }
  }

  /** Facets newer than what is queued replace it (events of a batch arrive in any order too). */
  private queueFacets(nodeKind: FacetNodeKind, nodeId: string, facets: Facets | undefined, at: Date, prefix = ""): void {
    for (const [name, value] of Object.entries(facets ?? {})) {
      const facetKey = `${nodeKind}:${nodeId}:${prefix}${name}`;
      const queued = this.facets.get(facetKey);
      if (queued && queued.eventTime > at) continue;
      this.facets.set(facetKey, { nodeKind, nodeId, name: `${prefix}${name}`, facet: value, eventTime: at });
    }
  }

  /** Writes what the batch changed, a statement per table, parents before children. */
  async write(events: OpenLineageRepository): Promise<void> {
    const { session, store } = this;
    await store.insertNamespaces(session, this.newNamespaces);
    await store.insertJobs(
      session,
      [...this.jobs.values()].filter((job) => this.newJobIds.has(job.id)),
    );
    await store.updateJobs(
      session,
      [...this.jobs.values()].flatMap((job) => {
        const columns = this.changedJobColumns.get(job.id);
        return columns ? [{ job, columns }] : [];
      }),
    );
    await store.insertDatasets(session, this.newDatasets);
    await store.insertSymlinks(session, this.newSymlinks);
    const runs = [...this.runs.values()];
    await store.writeRuns(
      session,
      runs.filter((run) => run.created).map((run) => run.record),
      runs.filter((run) => !run.created && run.changed).map((run) => run.record),
    );
    await store.insertVersions(session, this.newVersions);
    await store.completeVersions(session, [...this.refinedVersions.values()]);
    const added = await store.addEdges(session, this.edges);
    const upstreamNamespaces = await this.upstreamNamespaceIds();
    for (const edge of added) {
      const { change } = this.edges[edge.position]!;
      const { position: _position, ...stored } = edge;
      change.addedEdges = [...(change.addedEdges ?? []), stored];
      change.upstreamNamespaceIds = [...(change.upstreamNamespaceIds ?? []), upstreamNamespaces.get(stored.upstream.id) ?? null];
    }
    await store.insertEvents(session, this.eventRows);
    await events.upsertFacets(session, [...this.facets.values()]);
  }

  /** Namespaces of the nodes edges start at (dataset versions and runs this batch knows). */
  private async upstreamNamespaceIds(): Promise<Map<string, string>> {
    const namespaces = new Map<string, string>();
    const datasetNamespaces = new Map(
      [...this.datasets.values(), ...this.symlinks.values()].map((dataset) => [dataset.id, dataset.namespaceId]),
    );
    for (const version of [
      ...this.newVersions,
      ...this.versionsAtCache.values(),
      ...[...this.storedWindows.values()].flatMap((window) => window.versions),
      ...this.versionsBySnapshot.values(),
      ...this.versionsByDigest.values(),
    ]) {
      if (version) namespaces.set(version.id, datasetNamespaces.get(version.datasetId)!);
    }
    for (const run of this.runs.values()) namespaces.set(run.record.id, run.namespaceId);
    return namespaces;
  }
}

/** The latest event time of a run's events (what its merged description is as of). */
function latestEventTime(history: readonly HistoryEntry[]): Date {
  return new Date(Math.max(...history.map((entry) => entry.eventTime.getTime())));
}

/**
 * The in-transaction check for what an event reaches without naming it (a dataset found through
 * another identifier): EDITOR in its namespace, and "not found" when the caller cannot read it.
 */
function requireEditor(meta: RequestMeta, namespaceId: string, kind: string, shownAs: string): void {
  const access = meta.access;
  if (!access || access.grantingRole(["EDITOR"], namespaceId)) return;
  if (!access.canRead(namespaceId)) throw new HiddenNodeError(kind, shownAs);
  throw new AccessDeniedError(`${OPERATION} on ${kind} "${shownAs}"`, ["EDITOR"], "in its namespace");
}

/** A version the batch looked up before (null: known not to exist), else the first `load` finds, remembered. */
async function cachedVersion(
  cache: Map<string, DatasetVersionRecord | null>,
  cacheKey: string,
  load: () => Promise<DatasetVersionRecord[]>,
): Promise<DatasetVersionRecord | null> {
  let found = cache.get(cacheKey);
  if (found === undefined) {
    found = (await load())[0] ?? null;
    cache.set(cacheKey, found);
  }
  return found;
}

/** The newest version created at or before `at` (ties: the higher number). */
function newestAt(versions: readonly DatasetVersionRecord[], at: Date): DatasetVersionRecord | null {
  let newest: DatasetVersionRecord | null = null;
  for (const version of versions) {
    if (version.createdAt > at) continue;
    if (
      !newest ||
      version.createdAt > newest.createdAt ||
      (version.createdAt.getTime() === newest.createdAt.getTime() && version.version > newest.version)
    ) {
      newest = version;
    }
  }
  return newest;
}

/** Outputs named by a run's events, one per dataset, facets merged oldest to newest. */
function mergeOutputs(history: readonly HistoryEntry[]): OpenLineageOutput[] {
  const merged = new Map<string, OpenLineageOutput>();
  const ordered = [...history].sort((a, b) => a.eventTime.getTime() - b.eventTime.getTime());
  for (const { outputs } of ordered) {
    for (const output of outputs) {
      const outputKey = key(output.namespace, output.name);
      const before = merged.get(outputKey);
      merged.set(outputKey, {
        namespace: output.namespace,
        name: output.name,
        facets: { ...before?.facets, ...output.facets } as Facets,
        outputFacets: { ...before?.outputFacets, ...output.outputFacets } as Facets,
      });
    }
  }
  return [...merged.values()].sort((a, b) => (a.namespace + a.name < b.namespace + b.name ? -1 : 1));
}
