import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction } from "../db/transaction.js";
import { InputInvalidError } from "../errors/common-errors.js";
import { type EventBus, publishSafely } from "../events/event-bus.js";
import { type RunProgressEvent, runProgressTopic } from "../events/topics.js";
import type { RequestMeta } from "../graphql/context.js";
import type { Logger } from "../lib/logger.js";
import { type PageRequest, type SortDirection, paginate } from "../lib/paginate.js";
import type { InputRole, NewLineageEdge } from "../lineage/lineage-edge.js";
import type { LineageNodeGuard, NodeReference } from "../lineage/lineage-node-guard.js";
import type { JobDefinition, JobService } from "./job.service.js";
import { RUN_TRANSITIONS, type RunRecord, type RunStatus } from "./run-record.js";
import { RunExternalIdConflictError, RunNotFoundError, RunStateError } from "./run.errors.js";
import type { RunFilter } from "./run-record.js";
import type { RunRepository } from "./run.repository.js";

/** A reference from the client: the decoded row key plus the id as sent, for error messages. */
export interface Reference {
  id: string;
  shownAs: string;
}

export interface StartRunCommand {
  job: JobDefinition;
  externalId: string | null;
  parent: Reference | null;
  commit: Reference | null;
  hyperparameters: Record<string, unknown>;
  inputs: Array<Reference & { role: InputRole }>;
  features: Reference[];
  status: "PENDING" | "RUNNING";
  startedAt: Date | null;
  nominalTime: Date | null;
}

export interface UpdateRunCommand {
  status?: RunStatus | undefined;
  errorMessage?: string | null | undefined;
  endedAt?: Date | null | undefined;
}

/** The first field of a finished run that the command would change, if any (its status is checked apart). */
function changedFields(run: RunRecord, command: UpdateRunCommand): "errorMessage" | "endedAt" | undefined {
  if (command.errorMessage !== undefined && command.errorMessage !== run.errorMessage) return "errorMessage";
  if (command.endedAt !== undefined && (command.endedAt?.getTime() ?? null) !== (run.endedAt?.getTime() ?? null)) {
    return "endedAt";
  }
  return undefined;
}

function edgesOf(runId: string, command: StartRunCommand): NewLineageEdge[] {
  const run = { type: "RUN" as const, id: runId };
  return [
    ...command.inputs.map((input) => ({
      upstream: { type: "DATASET_VERSION" as const, id: input.id },
      downstream: run,
      kind: "CONSUMED" as const,
      role: input.role,
    })),
    ...command.features.map((feature) => ({
      upstream: { type: "FEATURE" as const, id: feature.id },
      downstream: run,
      kind: "USED" as const,
    })),
    ...(command.commit
      ? [{ upstream: { type: "CODE_COMMIT" as const, id: command.commit.id }, downstream: run, kind: "BUILT_FROM" as const }]
      : []),
    ...(command.parent
      ? [{ upstream: { type: "RUN" as const, id: command.parent.id }, downstream: run, kind: "PARENT_OF" as const }]
      : []),
  ];
}

function referencesOf(command: StartRunCommand): NodeReference[] {
  return [
    ...command.inputs.map((input, index) => ({
      type: "DATASET_VERSION" as const,
      id: input.id,
      shownAs: input.shownAs,
      field: `input.inputs[${index}].datasetVersionId`,
    })),
    ...command.features.map((feature, index) => ({
      type: "FEATURE" as const,
      id: feature.id,
      shownAs: feature.shownAs,
      field: `input.featureIds[${index}]`,
    })),
    ...(command.commit ? [{ type: "CODE_COMMIT" as const, ...command.commit, field: "input.commitId" }] : []),
    ...(command.parent ? [{ type: "RUN" as const, ...command.parent, field: "input.parentRunId" }] : []),
  ];
}

/**
 * The last event of a run's progress stream (runProgressTopic): the run ended. It carries the
 * latest value of each metric, at the highest step logged.
 */
export interface RunEndedEvent extends RunProgressEvent {
  status: NonNullable<RunProgressEvent["status"]>;
  errorMessage: string | null;
}

export function runEndedEvent(run: RunRecord): RunEndedEvent | null {
  if (run.status !== "COMPLETED" && run.status !== "FAILED" && run.status !== "ABORTED") return null;
  const latest = Object.entries(run.latestMetrics);
  return {
    runId: run.id,
    epoch: latest.reduce((highest, [, metric]) => Math.max(highest, metric.step), 0),
    maxEpochs: null,
    metrics: Object.fromEntries(latest.map(([key, metric]) => [key, metric.value])),
    at: (run.endedAt ?? run.updatedAt).toISOString(),
    status: run.status,
    errorMessage: run.errorMessage,
  };
}

export class RunService {
  constructor(
    private readonly db: Database,
    private readonly runs: RunRepository,
    private readonly jobs: JobService,
    private readonly guard: LineageNodeGuard,
    private readonly recorder: ChangeRecorder,
    /** Where a run's end is published (runProgressTopic), after the commit; nowhere when unset. */
    private readonly live?: { events: EventBus; logger: Logger },
  ) {}

  /**
   * Starts (records) a run of a job with the exact dataset versions it reads, the features it
   * uses, its commit and hyperparameters. With `externalId` the call is idempotent.
   */
  start(meta: RequestMeta, command: StartRunCommand) {
    return runInTransaction(this.db, async (tx) => {
      const { job } = await this.jobs.ensure(tx, meta, command.job);
      if (command.externalId) {
        const existing = await this.runs.findByExternalId(tx, command.externalId);
        if (existing && existing.jobId !== job.id) throw new RunExternalIdConflictError(command.externalId);
        if (existing) return { run: existing, created: false };
      }
      await this.guard.requireAll(tx, referencesOf(command));
      const run = await this.runs.create(tx, {
        jobId: job.id,
        externalId: command.externalId,
        parentRunId: command.parent?.id ?? null,
        commitId: command.commit?.id ?? null,
        status: command.status,
        hyperparameters: command.hyperparameters,
        nominalTime: command.nominalTime,
        startedAt: command.startedAt ?? (command.status === "RUNNING" ? new Date() : null),
      });
      await this.recorder.record(tx, meta, {
        action: "run.started",
        target: { kind: "Run", id: run.id, namespaceId: job.namespaceId },
        after: run,
        addEdges: edgesOf(run.id, command),
      });
      return { run, created: true };
    });
  }

  /**
   * Moves a run through its lifecycle (PENDING → RUNNING → COMPLETED | FAILED | ABORTED). A finished
   * run is immutable: asking for any change is a CONFLICT, asking for what it already holds returns it.
   */
  async update(meta: RequestMeta, id: Reference, command: UpdateRunCommand): Promise<RunRecord> {
    const { run, ended } = await runInTransaction(this.db, async (tx) => {
      const before = await this.runs.findByIdForUpdate(tx, id.id);
      if (!before) throw new RunNotFoundError(id.shownAs, "input.id");
      const status = command.status;
      const allowed = RUN_TRANSITIONS[before.status];
      if (status && status !== before.status && !allowed.includes(status)) {
        throw new RunStateError(id.shownAs, before.status, { status, allowed });
      }
      if (allowed.length === 0) {
        const changed = changedFields(before, command);
        if (changed) throw new RunStateError(id.shownAs, before.status, { field: changed });
        return { run: before, ended: false };
      }
      const now = new Date();
      const startedAt = before.startedAt ?? (status === "RUNNING" ? now : null);
      if (command.endedAt && startedAt && command.endedAt < startedAt) {
        throw new InputInvalidError(
          "input.endedAt",
          `must not be before the run started (${startedAt.toISOString()}); got ${command.endedAt.toISOString()}.`,
        );
      }
      const terminal = status !== undefined && RUN_TRANSITIONS[status].length === 0;
      // A run that started in the (client's) future still ends no earlier than it started.
      const defaultEnd = startedAt && startedAt > now ? startedAt : now;
      const after = await this.runs.update(tx, id.id, {
        ...(status ? { status } : {}),
        ...(command.errorMessage !== undefined ? { errorMessage: command.errorMessage } : {}),
        ...(command.endedAt !== undefined
          ? { endedAt: command.endedAt }
          : terminal && !before.endedAt
            ? { endedAt: defaultEnd }
            : {}),
        ...(status === "RUNNING" && !before.startedAt ? { startedAt: now } : {}),
      });
      const namespaceId = (await this.jobs.namespaceOf(tx, after.jobId)) ?? undefined;
      await this.recorder.record(tx, meta, {
        action: status && status !== before.status ? `run.${status.toLowerCase()}` : "run.updated",
        target: { kind: "Run", id: after.id, namespaceId },
        before,
        after,
      });
      return { run: after, ended: terminal && status !== before.status };
    });
    // runProgress subscribers see the end and complete; a lost event never fails the update.
    const event = ended && this.live ? runEndedEvent(run) : null;
    if (event && this.live) await publishSafely(this.live.events, this.live.logger, runProgressTopic(run.id), event);
    return run;
  }

  async list(filter: RunFilter, page: PageRequest, field: "createdAt" | "updatedAt", direction: SortDirection) {
    const result = await paginate<RunRecord>(page, field, direction, (query) => this.runs.list(filter, query));
    return { page: result, count: () => this.runs.count(filter) };
  }
}
