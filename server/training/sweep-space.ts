import { SeededRandom } from "../../workers/training/random.js";
import type { TaskKind } from "../../workers/training/index.js";
import { SweepSpaceError } from "./sweep.errors.js";

export type SweepStrategy = "GRID" | "RANDOM";
export type SweepGoal = "MAXIMIZE" | "MINIMIZE";
export type SweepScale = "LINEAR" | "LOG";

/** A JSON value a hyperparameter can take (numbers, labels, layer lists, `false`, small objects). */
export type ParameterValue = string | number | boolean | null | ParameterValue[] | { [key: string]: ParameterValue };

/** One dimension of a search space as the client declares it: listed values or a numeric range. */
export interface SweepParameter {
  /** Hyperparameter path, e.g. `l2` or `optimizer.learningRate`. */
  name: string;
  /** Listed values: every one in a grid, one drawn uniformly per trial in a random search. */
  values?: ParameterValue[] | null | undefined;
  /** Range bounds (random search only), both included. */
  min?: number | null | undefined;
  max?: number | null | undefined;
  /** LOG draws log-uniformly (bounds > 0). @defaultValue LINEAR */
  scale?: SweepScale | null | undefined;
  /** Draw whole numbers in [min, max]. @defaultValue false */
  integer?: boolean | null | undefined;
}

/** A declared search space with its strategy, checked by `planTrials`. */
export interface SearchSpace {
  strategy: SweepStrategy;
  parameters: SweepParameter[];
  /** Trials of a random search; a grid has one trial per combination (leave it unset). */
  trials?: number | null | undefined;
  /** Seed of the random search's draws. */
  seed: number;
}

/** One point of the space: hyperparameter path → value, in the order the parameters were declared. */
export type TrialParams = Record<string, ParameterValue>;

/**
 * Hyperparameters a sweep may vary: those that change the model. The task, the validation split
 * (validationFraction, stratify) and importance are left out on purpose: they change what the
 * metric is measured on, so trials that differ in them could not be ranked against each other.
 */
export const SWEEPABLE_HYPERPARAMETERS = [
  "seed",
  "maxEpochs",
  "batchSize",
  "l2",
  "optimizer.kind",
  "optimizer.learningRate",
  "optimizer.beta1",
  "optimizer.beta2",
  "optimizer.epsilon",
  "optimizer.momentum",
  "earlyStopping",
  "earlyStopping.patience",
  "earlyStopping.minDelta",
  "hiddenLayers",
  "activation",
] as const;

/** The registered validation metrics a sweep can rank by, per task, and which way is better. */
export const SWEEP_METRICS: Record<TaskKind, Record<string, SweepGoal>> = {
  classification: {
    accuracy: "MAXIMIZE",
    precision: "MAXIMIZE",
    recall: "MAXIMIZE",
    f1: "MAXIMIZE",
    rocAuc: "MAXIMIZE",
    logLoss: "MINIMIZE",
  },
  regression: { r2: "MAXIMIZE", rmse: "MINIMIZE", mse: "MINIMIZE", mae: "MINIMIZE" },
};

/** Default cap on the trials of one sweep (PEDIGREE_MAX_SWEEP_TRIALS overrides it). */
export const DEFAULT_MAX_SWEEP_TRIALS = 100;
/** Most listed values of one parameter. */
const MAX_VALUES = 1_000;

const field = (index: number, part?: string) => `input.parameters[${index}]${part ? `.${part}` : ""}`;

/** The metric's goal: the one given, else the metric's natural direction. Unknown metrics are refused. */
export function resolveGoal(metric: string, task: TaskKind, goal: SweepGoal | null | undefined): SweepGoal {
  const known = SWEEP_METRICS[task];
  const natural = known[metric];
  if (!natural) {
    throw new SweepSpaceError(
      "input.metric",
      `"${metric}" is not a validation metric of ${task} models. Known: ${Object.keys(known).join(", ")}.`,
    );
  }
  return goal ?? natural;
}

function checkParameter(parameter: SweepParameter, index: number, strategy: SweepStrategy): void {
  if (!(SWEEPABLE_HYPERPARAMETERS as readonly string[]).includes(parameter.name)) {
    throw new SweepSpaceError(
      field(index, "name"),
      `"${parameter.name}" is not a hyperparameter a sweep can vary. Known: ${SWEEPABLE_HYPERPARAMETERS.join(", ")}.`,
      { reason: "UNKNOWN_HYPERPARAMETER" },
    );
  }
  const hasValues = parameter.values !== undefined && parameter.values !== null;
  const hasRange = parameter.min != null || parameter.max != null;
  if (hasValues && hasRange) {
    throw new SweepSpaceError(field(index), "lists values and a range; give one or the other.");
  }
  if (hasValues) {
    const values = parameter.values!;
    if (values.length === 0) throw new SweepSpaceError(field(index, "values"), "is empty; list at least one value.");
    if (values.length > MAX_VALUES) throw new SweepSpaceError(field(index, "values"), `lists more than ${MAX_VALUES} values.`);
    const seen = new Set<string>();
    values.forEach((value, k) => {
      const key = JSON.stringify(value);
      if (seen.has(key)) throw new SweepSpaceError(field(index, `values[${k}]`), `repeats the value ${key}.`);
      seen.add(key);
    });
    if (parameter.scale != null || parameter.integer != null) {
      throw new SweepSpaceError(field(index), "sets scale or integer, which apply to ranges (min, max) only.");
    }
    return;
  }
  if (!hasRange) throw new SweepSpaceError(field(index), "needs listed values or a range (min and max).");
  if (strategy === "GRID") {
    throw new SweepSpaceError(field(index), "is a range; a grid search needs listed values (ranges are for RANDOM).");
  }
  const { min, max } = parameter;
  if (min == null || !Number.isFinite(min)) throw new SweepSpaceError(field(index, "min"), "must be a finite number.");
  if (max == null || !Number.isFinite(max)) throw new SweepSpaceError(field(index, "max"), "must be a finite number.");
  if (min > max) throw new SweepSpaceError(field(index, "max"), `must not be below min (${min}); got ${max}.`);
  if (parameter.scale === "LOG" && min <= 0) {
    throw new SweepSpaceError(field(index, "min"), `must be > 0 for a LOG scale; got ${min}.`);
  }
  if (parameter.integer && (!Number.isInteger(min) || !Number.isInteger(max))) {
    throw new SweepSpaceError(field(index), `is an integer range, so min and max must be whole numbers; got ${min} and ${max}.`);
  }
}

function checkNames(parameters: SweepParameter[]): void {
  const seen = new Set<string>();
  parameters.forEach((parameter, index) => {
    if (seen.has(parameter.name)) throw new SweepSpaceError(field(index, "name"), `"${parameter.name}" is declared twice.`);
    seen.add(parameter.name);
  });
  parameters.forEach((parameter, index) => {
    const outer = parameters.find((other) => parameter.name.startsWith(`${other.name}.`));
    if (outer) {
      throw new SweepSpaceError(
        field(index, "name"),
        `"${parameter.name}" is inside "${outer.name}", which is varied as a whole.`,
      );
    }
  });
}

/** Trials a grid expands to, stopping at `cap + 1` (so a huge grid is not multiplied out). */
function gridSize(parameters: SweepParameter[], cap: number): number {
  let size = 1;
  for (const parameter of parameters) {
    size *= parameter.values!.length;
    if (size > cap) return cap + 1;
  }
  return size;
}

function gridTrials(parameters: SweepParameter[]): TrialParams[] {
  let trials: TrialParams[] = [{}];
  for (const parameter of parameters) {
    // The last parameter varies fastest, as in nested loops over the declared order.
    trials = trials.flatMap((trial) => parameter.values!.map((value) => ({ ...trial, [parameter.name]: value })));
  }
  return trials;
}

function draw(parameter: SweepParameter, random: SeededRandom): ParameterValue {
  if (parameter.values) return parameter.values[random.int(0, parameter.values.length - 1)]!;
  const min = parameter.min!;
  const max = parameter.max!;
  if (parameter.integer && parameter.scale !== "LOG") return random.int(min, max);
  const u = random.float();
  const value = parameter.scale === "LOG" ? Math.exp(Math.log(min) + (Math.log(max) - Math.log(min)) * u) : min + (max - min) * u;
  return parameter.integer ? Math.min(max, Math.max(min, Math.round(value))) : value;
}

/**
 * Checks a search space and lists its trials: every combination of a grid (last parameter fastest),
 * or `trials` points drawn from a seeded generator (the same seed and space give the same trials).
 * Any problem is a SweepSpaceError naming the field; nothing is drawn past the cap.
 */
export function planTrials(space: SearchSpace, maxTrials: number): TrialParams[] {
  if (space.parameters.length === 0) {
    throw new SweepSpaceError("input.parameters", "is empty; declare at least one hyperparameter to vary.");
  }
  space.parameters.forEach((parameter, index) => {
    checkParameter(parameter, index, space.strategy);
  });
  checkNames(space.parameters);
  if (space.strategy === "GRID") {
    if (space.trials != null) {
      throw new SweepSpaceError("input.trials", "applies to RANDOM search; a grid runs every combination of the listed values.");
    }
    const size = gridSize(space.parameters, maxTrials);
    if (size > maxTrials) {
      throw new SweepSpaceError("input.parameters", `expands to more than ${maxTrials} trials, the most one sweep may run.`, {
        reason: "TOO_MANY_TRIALS",
        maxTrials,
      });
    }
    return gridTrials(space.parameters);
  }
  const { trials } = space;
  if (trials == null) throw new SweepSpaceError("input.trials", "is required for RANDOM search: how many points to draw.");
  if (!Number.isInteger(trials) || trials < 1)
    throw new SweepSpaceError("input.trials", `must be a whole number ≥ 1; got ${trials}.`);
  if (trials > maxTrials) {
    throw new SweepSpaceError("input.trials", `must be at most ${maxTrials}, the most one sweep may run; got ${trials}.`, {
      reason: "TOO_MANY_TRIALS",
      maxTrials,
    });
  }
  const random = SeededRandom.fromSeed(space.seed);
  return Array.from({ length: trials }, () =>
    Object.fromEntries(space.parameters.map((parameter) => [parameter.name, draw(parameter, random)])),
  );
}

/**
 * The hyperparameters JSON of one trial: the base settings with the trial's values set at their
 * paths (`optimizer.learningRate` creates an Adam optimizer block when the base has none), plus the
 * seed when the trial varies it.
 */
export function trialHyperparameters(
  base: Record<string, unknown>,
  baseSeed: number,
  params: TrialParams,
): { hyperparameters: Record<string, unknown>; seed: number } {
  const hyperparameters: Record<string, unknown> = structuredClone(base);
  let seed = baseSeed;
  // optimizer.kind first, so that a trial's learning rate lands in the kind it chose.
  const entries = Object.entries(params).sort(([a], [b]) => Number(b === "optimizer.kind") - Number(a === "optimizer.kind"));
  for (const [path, value] of entries) {
    if (path === "seed") {
      seed = value as number;
      continue;
    }
    const [head, leaf] = path.split(".") as [string, string | undefined];
    if (leaf === undefined) {
      hyperparameters[head] = value;
      continue;
    }
    const current = hyperparameters[head];
    const block: Record<string, unknown> =
      typeof current === "object" && current !== null && !Array.isArray(current)
        ? { ...(current as Record<string, unknown>) }
        : head === "optimizer"
          ? { kind: "adam" }
          : {};
    if (head === "optimizer" && leaf === "kind" && block.kind !== value) {
      // Settings of the base optimizer do not carry over to another kind.
      hyperparameters[head] = { kind: value };
      continue;
    }
    block[leaf] = value;
    hyperparameters[head] = block;
  }
  return { hyperparameters, seed };
}
