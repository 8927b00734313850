import { randomUUID } from "node:crypto";
import type { ChangeRecorder } from "../audit/change-recorder.js";
import type { Database } from "../db/database.js";
import { runInTransaction } from "../db/transaction.js";
import { EntityNotFoundError, InputInvalidError } from "../errors/common-errors.js";
import type { RequestMeta } from "../graphql/context.js";
import { encodeNodeId } from "../graphql/node-id.js";
import { within } from "../lib/deadline.js";
import type { JobFlowNode, QueueConnection } from "../queue/queue-connection.js";
import type { QueueJobRow } from "../queue/queue-job.repository.js";
import type { QueueRuntime } from "../queue/queue-runtime.js";
import { QueueUnavailableError } from "../queue/queue.errors.js";
import type { RunRecord } from "../run/run-record.js";
import type { MetricService } from "../run/metric.service.js";
import type { Reference, RunService } from "../run/run.service.js";
import {
  SWEEP_ATTEMPTS,
  SWEEP_JOB,
  SWEEP_QUEUE,
  type SweepPayload,
  type SweepResult,
  sweepRunExternalId,
} from "../../workers/jobs/sweep.job.js";
import {
  TRAIN_MODEL_ATTEMPTS,
  TRAIN_MODEL_JOB,
  TRAIN_MODEL_QUEUE,
  type TrainModelPayload,
  trainingRunExternalId,
} from "../../workers/jobs/train-model.job.js";
import { resolveHyperparameters } from "./hyperparameters.js";
import {
  DEFAULT_MAX_SWEEP_TRIALS,
  type SweepGoal,
  type SweepParameter,
  type SweepStrategy,
  type TrialParams,
  planTrials,
  resolveGoal,
  trialHyperparameters,
} from "./sweep-space.js";
import { SweepTrialInvalidError } from "./sweep.errors.js";
import { type SweepOutcome, type SweepRecord, SweepRepository, type SweepTrialRecord } from "./sweep.repository.js";
import type { StartTrainingCommand, TrainingService } from "./training.service.js";

export interface StartSweepCommand {
  /** The training every trial runs; its hyperparameters and seed are the base the trials vary. */
  training: StartTrainingCommand;
  strategy: SweepStrategy;
  parameters: SweepParameter[];
  /** Trials of a random search (null for a grid). */
  trials: number | null;
  /** Seed of a random search's draws. */
  searchSeed: number;
  /** Most trials training at once. */
  maxParallel: number;
  metric: string;
  /** null: the metric's natural direction. */
  goal: SweepGoal | null;
}

export interface SweepServiceOptions {
  /** Most trials one sweep may run. @defaultValue 100 */
  maxTrials?: number;
  /** How long queueing the flow may take before the caller hears that the queue is down. @defaultValue 5000 ms (60 s on a Postgres queue store, which migrates on first use) */
  addTimeoutMs?: number;
}

/** The error message of a sweep whose trials all failed. */
function allFailedMessage(trials: SweepTrialRecord[]): string {
  const first = trials.find((trial) => trial.error);
  const reason = first ? ` Trial ${first.index}: ${first.error}` : "";
  return `All ${trials.length} trials of the sweep failed or produced no value of the metric.${reason}`.slice(0, 2_000);
}

function isBetter(goal: SweepGoal, value: number, best: number | null): boolean {
  return best === null || (goal === "MAXIMIZE" ? value > best : value < best);
}

/**
 * Hyperparameter sweeps: a parent run whose trials are child training runs. `start` checks the
 * search space and every trial's settings, records the parent run, the sweep and the job records,
 * and queues one BullMQ flow: the sweep job is the parent of `maxParallel` chains of train-model
 * jobs (each chain runs its trials one after another), so at most maxParallel trials of a sweep
 * train at once on either queue store. The sweep job runs when every trial has ended and `finish`
 * names the best child.
 */
export class SweepService {
  private readonly sweeps: SweepRepository;
  private readonly maxTrials: number;

  constructor(
    private readonly db: Database,
    private readonly training: TrainingService,
    private readonly runs: RunService,
    private readonly metrics: MetricService,
    private readonly queues: QueueRuntime,
    private readonly recorder: ChangeRecorder,
    private readonly options: SweepServiceOptions = {},
  ) {
    this.sweeps = new SweepRepository(db);
    this.maxTrials = options.maxTrials ?? DEFAULT_MAX_SWEEP_TRIALS;
  }

  /** Checks a sweep request and queues its flow; bad input writes nothing. */
  async start(meta: RequestMeta, command: StartSweepCommand): Promise<{ job: QueueJobRow; run: RunRecord; sweep: SweepRecord }> {
    const base = await this.training.checkedPayload(command.training);
    const goal = resolveGoal(command.metric, base.spec.task, command.goal);
    if (!Number.isInteger(command.maxParallel) || command.maxParallel < 1 || command.maxParallel > this.maxTrials) {
      throw new InputInvalidError(
        "input.maxParallel",
        `must be a whole number from 1 to ${this.maxTrials}; got ${command.maxParallel}.`,
      );
    }
    const points = planTrials(
      { strategy: command.strategy, parameters: command.parameters, trials: command.trials, seed: command.searchSeed },
      this.maxTrials,
    );
    const specs = points.map((params, index) => this.trialSpec(command, params, index + 1));
    const connection = await this.readyConnection();

    const sweepJobId = randomUUID();
    const { run } = await this.runs.start(meta, {
      job: { namespace: base.namespace, name: `sweep-${command.training.model}`.slice(0, 255), jobType: "sweep" },
      externalId: sweepRunExternalId(sweepJobId),
      parent: null,
      commit: command.training.commit,
      hyperparameters: {
        strategy: command.strategy,
        metric: command.metric,
        goal,
        maxParallel: command.maxParallel,
        trials: points.length,
        ...(command.strategy === "RANDOM" ? { searchSeed: command.searchSeed } : {}),
        parameters: command.parameters.map(compactParameter),
        base: base.spec,
      },
      inputs: [
        { ...command.training.train, role: "TRAIN" },
        ...(command.training.validation ? [{ ...command.training.validation, role: "VALIDATION" as const }] : []),
      ],
      features: command.training.features,
      status: "RUNNING",
      startedAt: null,
      nominalTime: null,
    });

    const trials: SweepTrialRecord[] = points.map((params, index) => ({ index: index + 1, params, jobId: randomUUID() }));
    const childPayloads = trials.map(
      (trial, k): TrainModelPayload => ({
        ...base,
        spec: specs[k]!,
        description:
          base.description ?? `Sweep trial ${trial.index} of ${trials.length}: ${JSON.stringify(trial.params)}`.slice(0, 1_000),
        parentRunId: run.id,
        requestedBy: meta.actor.name,
      }),
    );
    const sweepPayload: SweepPayload = { sweepRunId: run.id, requestedBy: meta.actor.name };
    const reference = { id: run.id, shownAs: encodeNodeId("Run", run.id) };
    // The parent run is written first (children name it); if the rest cannot be queued it ends FAILED.
    const abandon = (reason: string) =>
      this.runs.update(meta, reference, { status: "FAILED", errorMessage: reason }).catch(() => undefined);
    const sweep = await runInTransaction(this.db, async (tx) => {
      const created = await this.sweeps.create(
        tx,
        {
          runId: run.id,
          jobRecordId: sweepJobId,
          strategy: command.strategy,
          metric: command.metric,
          goal,
          maxParallel: command.maxParallel,
          space: command.parameters.map(compactParameter),
          trials,
        },
        [
          { id: sweepJobId, queue: SWEEP_QUEUE, name: SWEEP_JOB, payload: { ...sweepPayload } },
          ...trials.map((trial, k) => ({
            id: trial.jobId,
            queue: TRAIN_MODEL_QUEUE,
            name: TRAIN_MODEL_JOB,
            payload: { ...childPayloads[k]! },
          })),
        ],
      );
      const namespaceId = (await tx.job.findUnique({ where: { id: run.jobId }, select: { namespaceId: true } }))?.namespaceId;
      await this.recorder.record(tx, meta, {
        action: "run.sweep_started",
        target: { kind: "Run", id: run.id, namespaceId },
        after: { sweepJobId, strategy: command.strategy, metric: command.metric, goal, trials: trials.length },
      });
      return created;
    }).catch(async (error: unknown) => {
      await abandon("The sweep could not be recorded.");
      throw error;
    });

    try {
      await within(
        connection.addFlow(flowOf(sweepJobId, sweepPayload, trials, childPayloads, command.maxParallel)),
        this.addTimeout(connection),
        `the ${SWEEP_QUEUE} queue`,
      );
    } catch {
      await runInTransaction(this.db, (tx) => this.sweeps.delete(tx, sweep));
      await abandon("The sweep could not be queued: the queue store is unavailable.");
      throw new QueueUnavailableError(SWEEP_QUEUE);
    }
    const [job] = await runInTransaction(this.db, (tx) => this.sweeps.jobRecords(tx, [sweepJobId]));
    return { job: job!, run, sweep };
  }

  /** One trial's resolved training spec; a value the trainers refuse names the trial and its parameter. */
  private trialSpec(command: StartSweepCommand, params: TrialParams, trial: number) {
    const { hyperparameters, seed } = trialHyperparameters(command.training.hyperparameters, command.training.seed, params);
    try {
      return resolveHyperparameters(command.training.algorithm, seed, hyperparameters);
    } catch (error) {
      if (!(error instanceof InputInvalidError)) throw error;
      const failed = error.field ?? "";
      const index = command.parameters.findIndex(
        (parameter) =>
          (parameter.name === "seed" && failed === "input.seed") ||
          failed === `input.hyperparameters.${parameter.name}` ||
          failed.startsWith(`input.hyperparameters.${parameter.name}.`) ||
          failed.startsWith(`input.hyperparameters.${parameter.name}[`),
      );
      throw new SweepTrialInvalidError(index >= 0 ? `input.parameters[${index}]` : failed, trial, params, error.message);
    }
  }

  /** The queue store, answering: checked before anything is written so that a down store writes nothing. */
  private async readyConnection(): Promise<QueueConnection> {
    try {
      const connection = await this.queues.connection();
      await within(connection.queue(SWEEP_QUEUE).ready(), this.addTimeout(connection), `the ${SWEEP_QUEUE} queue`);
      return connection;
    } catch {
      throw new QueueUnavailableError(SWEEP_QUEUE);
    }
  }

  private addTimeout(connection: QueueConnection): number {
    return this.options.addTimeoutMs ?? (connection.kind === "redis" ? 5_000 : 60_000);
  }

  /** The sweeps of these parent runs (row keys). */
  findByRunIds(runIds: readonly string[]): Promise<SweepRecord[]> {
    return this.sweeps.findByRunIds(runIds);
  }

  /**
   * A trial's run ended: moves the sweep job's progress to trials ended / total. Returns the job
   * record as written (for the live job-progress event), or null when the sweep already finished.
   */
  trialEnded(sweepRunId: string): Promise<QueueJobRow | null> {
    return this.sweeps.advanceProgress(sweepRunId);
  }

  /**
   * Ends a sweep once its trials have ended: reads each trial's job record and run, names the best
   * child by the metric (ties: the earlier trial), logs `best_<metric>` on the parent run and
   * completes it — or fails it when no trial produced the metric. Failed trials are recorded and do
   * not fail the sweep. Idempotent: a sweep that already ended returns its recorded outcome.
   */
  async finish(meta: RequestMeta, sweepRunId: string): Promise<{ result: SweepResult; failed: string | null }> {
    const reference: Reference = { id: sweepRunId, shownAs: encodeNodeId("Run", sweepRunId) };
    let sweep = await this.sweeps.findByRunId(sweepRunId);
    if (!sweep) throw new EntityNotFoundError("Sweep", reference.shownAs);
    if (!sweep.finishedAt) {
      const outcome = await this.outcomeOf(sweep);
      sweep = await runInTransaction(this.db, async (tx) => {
        const locked = await this.sweeps.findForUpdate(tx, sweepRunId);
        if (!locked || locked.finishedAt) return locked ?? sweep!;
        return this.sweeps.recordOutcome(tx, sweepRunId, outcome);
      });
    }
    const failed = sweep.bestChildRunId ? null : allFailedMessage(sweep.trials);
    const run = await this.db.prisma.$transaction((tx) => tx.run.findUnique({ where: { id: sweepRunId } }));
    if (run && (run.status === "PENDING" || run.status === "RUNNING")) {
      const key = `best_${sweep.metric}`;
      const logged = (run.latestMetrics as Record<string, unknown>)[key] !== undefined;
      if (sweep.bestMetric !== null && !logged) {
        await this.metrics.log(meta, reference, [{ key, value: sweep.bestMetric, step: 0 }]);
      }
      await this.runs.update(meta, reference, failed ? { status: "FAILED", errorMessage: failed } : { status: "COMPLETED" });
    }
    return { result: resultOf(sweep), failed };
  }

  private async outcomeOf(sweep: SweepRecord): Promise<SweepOutcome> {
    const jobIds = sweep.trials.map((trial) => trial.jobId);
    const { jobs, runIds } = await this.db.prisma.$transaction(async (tx) => ({
      jobs: await this.sweeps.jobRecords(tx, jobIds),
      runIds: await this.sweeps.runIdsByExternalId(tx, jobIds.map(trainingRunExternalId)),
    }));
    let best: SweepTrialRecord | undefined;
    const trials = sweep.trials.map((trial): SweepTrialRecord => {
      const job = jobs.find((candidate) => candidate.id === trial.jobId);
      const runId = runIds.get(trainingRunExternalId(trial.jobId)) ?? null;
      if (job?.status !== "COMPLETED") {
        const error = job?.error ?? (job ? `The trial's job ended ${job.status}.` : "The trial's job record is missing.");
        return { ...trial, runId, status: "FAILED", metric: null, modelVersionId: null, error };
      }
      const result = (job.result ?? {}) as { metrics?: Record<string, unknown>; modelVersionId?: unknown };
      const value = result.metrics?.[sweep.metric];
      const metric = typeof value === "number" && Number.isFinite(value) ? value : null;
      const modelVersionId = typeof result.modelVersionId === "string" ? result.modelVersionId : null;
      const recorded: SweepTrialRecord = {
        ...trial,
        runId,
        status: "COMPLETED",
        metric,
        modelVersionId,
        error: metric === null ? `The model version has no "${sweep.metric}" metric.` : null,
      };
      if (metric !== null && runId && isBetter(sweep.goal, metric, best?.metric ?? null)) best = recorded;
      return recorded;
    });
    return {
      trials,
      completedTrials: trials.filter((trial) => trial.status === "COMPLETED").length,
      failedTrials: trials.filter((trial) => trial.status === "FAILED").length,
      bestChildRunId: best?.runId ?? null,
      bestMetric: best?.metric ?? null,
      bestParams: best?.params ?? null,
    };
  }
}

/** A declared parameter without the fields the client left out. */
function compactParameter(parameter: SweepParameter): SweepParameter {
  return Object.fromEntries(
    Object.entries(parameter).filter(([, value]) => value !== undefined && value !== null),
  ) as SweepParameter;
}

/**
 * The sweep's flow: the sweep job waits for `lanes` chains of train-model jobs. In a chain each job
 * is the parent of the trial before it, so a chain trains one trial at a time, and the sweep at
 * most `lanes` at once — a bound BullMQ keeps by itself on Redis and on its PostgreSQL backend
 * alike (group concurrency is BullMQ Pro only; a queue's global concurrency would bind every
 * sweep and training together). A failed trial is ignored by its parent (ignoreDependencyOnFailure),
 * so its chain goes on and the sweep job still runs.
 */
function flowOf(
  sweepJobId: string,
  payload: SweepPayload,
  trials: SweepTrialRecord[],
  childPayloads: TrainModelPayload[],
  maxParallel: number,
): JobFlowNode {
  const lanes = Math.min(maxParallel, trials.length);
  const retention = { removeOnComplete: { count: 1_000, age: 24 * 3600 }, removeOnFail: { count: 5_000, age: 7 * 24 * 3600 } };
  const chains: JobFlowNode[] = [];
  for (let lane = 0; lane < lanes; lane++) {
    let chain: JobFlowNode | undefined;
    for (let k = lane; k < trials.length; k += lanes) {
      chain = {
        queue: TRAIN_MODEL_QUEUE,
        name: TRAIN_MODEL_JOB,
        data: { ...childPayloads[k]!, jobRecordId: trials[k]!.jobId },
        options: {
          jobId: trials[k]!.jobId,
          attempts: TRAIN_MODEL_ATTEMPTS,
          backoff: { type: "exponential", delay: 2_000 },
          ignoreDependencyOnFailure: true,
          ...retention,
        },
        ...(chain ? { children: [chain] } : {}),
      };
    }
    chains.push(chain!);
  }
  return {
    queue: SWEEP_QUEUE,
    name: SWEEP_JOB,
    data: { ...payload, jobRecordId: sweepJobId },
    options: { jobId: sweepJobId, attempts: SWEEP_ATTEMPTS, backoff: { type: "exponential", delay: 2_000 }, ...retention },
    children: chains,
  };
}

function resultOf(sweep: SweepRecord): SweepResult {
  const best = sweep.trials.find((trial) => trial.runId && trial.runId === sweep.bestChildRunId);
  return {
    runId: encodeNodeId("Run", sweep.runId),
    metric: sweep.metric,
    goal: sweep.goal,
    trials: sweep.trialCount,
    completedTrials: sweep.completedTrials,
    failedTrials: sweep.failedTrials,
    bestChildRunId: sweep.bestChildRunId ? encodeNodeId("Run", sweep.bestChildRunId) : null,
    bestTrial: best?.index ?? null,
    bestMetric: sweep.bestMetric,
    bestParams: sweep.bestParams,
    bestModelVersionId: best?.modelVersionId ?? null,
  };
}
