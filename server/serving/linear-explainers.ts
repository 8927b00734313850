import type { Database } from "../db/database.js";
import { InputInvalidError } from "../errors/common-errors.js";
import type { ModelVersionRecord } from "../model/model-version.repository.js";
import { parseColumnBaselines } from "../monitoring/drift/baseline-schema.js";
import {
  type AffineModel,
  type ExplanationSpace,
  NotLinearModelError,
  linearAttributions,
  readAffineModel,
} from "./linear-explainer.js";
import type { ServableSignature } from "./model-signature.js";
import { readArtifact } from "./model-session-cache.js";

export interface FeatureAttribution {
  feature: string;
  /** weight · (value − baseline mean), in the units of the explained value. */
  attribution: number;
}

export interface OutputExplanation {
  /** The class whose logit is explained, or the regression output's name. */
  output: string;
  /** Explained value at the baseline means of the features. */
  baseline: number;
  /** Explained value at this row: baseline + Σ attributions. */
  value: number;
  /** One per feature, in the signature's feature order. */
  attributions: FeatureAttribution[];
}

export interface PredictionExplanation {
  space: ExplanationSpace;
  outputs: OutputExplanation[];
}

/** A linear model version with the training-time means its attributions are measured from. */
export class LinearExplainer {
  constructor(
    readonly model: AffineModel,
    readonly featureNames: readonly string[],
    readonly means: Float64Array,
  ) {}

  /** Explanations of row-major float32 rows (the values the model ran on). */
  explain(values: Float32Array, rowCount: number): PredictionExplanation[] {
    const width = this.featureNames.length;
    const outputCount = this.model.outputNames.length;
    return Array.from({ length: rowCount }, (_, r) => {
      const parts = linearAttributions(this.model, values.subarray(r * width, (r + 1) * width), this.means);
      return {
        space: this.model.space,
        outputs: this.model.outputNames.map((output, k) => ({
          output,
          baseline: parts.baseline[k]!,
          value: parts.value[k]!,
          attributions: this.featureNames.map((feature, j) => ({
            feature,
            attribution: parts.attributions[j * outputCount + k]!,
          })),
        })),
      };
    });
  }
}

/** Baseline mean of every feature, or why there is none. */
function baselineMeans(raw: unknown, featureNames: readonly string[]): Float64Array | string {
  if (raw === null || raw === undefined) return "has no baseline statistics yet (they are recorded after training).";
  let baselines: ReturnType<typeof parseColumnBaselines>;
  try {
    baselines = parseColumnBaselines(raw);
  } catch {
    return "has baseline statistics that do not parse.";
  }
  const means = new Float64Array(featureNames.length);
  for (const [j, feature] of featureNames.entries()) {
    const baseline = Object.hasOwn(baselines, feature) ? baselines[feature] : undefined;
    if (baseline?.kind !== "numeric") return `has no numeric baseline mean for feature "${feature}".`;
    means[j] = baseline.mean;
  }
  return means;
}

/**
 * Linear explainers per model version, loaded on the first explained request: the affine map from
 * the version's ONNX artifact (SHA-256 checked) and the feature means from its baselineStats. Both
 * are immutable once there, so they are cached (bounded, least recently used dropped); a refusal
 * for a missing baseline is not cached, since the baseline is recorded after registration.
 */
export class LinearExplainers {
  private readonly entries = new Map<string, Promise<LinearExplainer | NotLinearModelError>>();

  constructor(
    private readonly db: Database,
    private readonly maxEntries: number,
  ) {}

  /** The version's explainer; InputInvalidError on `field` when the version cannot be explained. */
  async acquire(
    version: ModelVersionRecord,
    shownAs: string,
    signature: ServableSignature,
    field: string,
  ): Promise<LinearExplainer> {
    let entry = this.entries.get(version.id);
    if (entry) {
      this.entries.delete(version.id);
    } else {
      entry = this.load(version, shownAs, signature);
      entry.catch(() => this.entries.delete(version.id));
    }
    this.entries.set(version.id, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    let explainer: LinearExplainer | NotLinearModelError;
    try {
      explainer = await entry;
    } catch (error) {
      if (error instanceof BaselineMissingError) {
        throw new InputInvalidError(field, `cannot be true for model version "${shownAs}": it ${error.message}`);
      }
      throw error;
    }
    if (explainer instanceof NotLinearModelError) {
      throw new InputInvalidError(
        field,
        `cannot be true for model version "${shownAs}": exact attributions are given for linear models ` +
          `(logistic and linear regression) only, and ${explainer.message}`,
      );
    }
    return explainer;
  }

  private async load(
    version: ModelVersionRecord,
    shownAs: string,
    signature: ServableSignature,
  ): Promise<LinearExplainer | NotLinearModelError> {
    const bytes = await readArtifact(version, shownAs);
    let model: AffineModel;
    try {
      model = readAffineModel(bytes, signature);
    } catch (error) {
      if (error instanceof NotLinearModelError) return error;
      throw error;
    }
    const row = await this.db.prisma.modelVersion.findUnique({ where: { id: version.id }, select: { baselineStats: true } });
    const means = baselineMeans(row?.baselineStats, signature.featureNames);
    // Thrown (not returned) so the entry is dropped and a baseline recorded later is read.
    if (typeof means === "string") throw new BaselineMissingError(means);
    return new LinearExplainer(model, signature.featureNames, means);
  }
}

/** The version has no usable baseline means (yet). */
export class BaselineMissingError extends Error {}
