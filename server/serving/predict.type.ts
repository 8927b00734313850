import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { Deployment } from "../deployment/deployment.type.js";
import { JSONObject } from "../graphql/scalars.js";
import { ModelVersion } from "../model/model.type.js";
import type { PredictResult } from "./prediction.service.js";

export enum ExplanationSpaceValue {
  LOGIT = "LOGIT",
  PREDICTION = "PREDICTION",
}
registerEnumType(ExplanationSpaceValue, {
  name: "ExplanationSpace",
  description: "What an explanation's values are.",
  valuesConfig: {
    LOGIT: {
      description:
        "Classifiers: the logit before the sigmoid (binary: log-odds of the positive class) or softmax (one per class).",
    },
    PREDICTION: { description: "Regressors: the predicted value, in target units." },
  },
});

@ObjectType({ description: "One feature's share of an explained value." })
export class FeatureAttribution {
  @Field(() => String)
  feature!: string;

  @Field(() => Float, {
    description: "w · (x − baseline mean), w the feature's effective weight on raw values (standardizer folded in).",
  })
  attribution!: number;
}

@ObjectType({ description: "One explained value: baseline + Σ attributions = value." })
export class OutputExplanation {
  @Field(() => String, { description: "The class whose logit is explained, or the regression output's name." })
  output!: string;

  @Field(() => Float, { description: "The value at the features' baseline means (model version baselineStats)." })
  baseline!: number;

  @Field(() => Float, { description: "The value at this row (float64 from the served float32 weights)." })
  value!: number;

  @Field(() => [FeatureAttribution], { description: "One per feature, in signature order." })
  attributions!: FeatureAttribution[];
}

@ObjectType({ description: "Exact additive attributions of a linear model's prediction for one row." })
export class PredictionExplanation {
  @Field(() => ExplanationSpaceValue)
  space!: ExplanationSpaceValue;

  @Field(() => [OutputExplanation], { description: "Binary: the positive class; multiclass: every class; regression: one." })
  outputs!: OutputExplanation[];
}

@ObjectType({ description: "The model's answer for one input row." })
export class Prediction {
  @Field(() => ID, { description: "Id of this prediction in the prediction log; ground truth refers to it." })
  predictionId!: string;

  @Field(() => JSONObject, {
    description:
      "Classifiers: {label, probabilities: {class: p}}; regressors: {prediction}; other models: output name → value(s).",
  })
  outputs!: Record<string, unknown>;

  @Field(() => PredictionExplanation, { nullable: true, description: "Present when the request set `explain: true`." })
  explanation?: PredictionExplanation | null;
}

@ObjectType()
export class PredictPayload {
  @Field(() => Deployment)
  deployment!: Deployment;

  @Field(() => ModelVersion, { description: "The model version that answered (chosen by the traffic split)." })
  modelVersion!: ModelVersion;

  @Field(() => [Prediction], { description: "One per input row, in input order." })
  predictions!: Prediction[];

  @Field(() => Float, { description: "Time spent inside the predict path, in milliseconds." })
  latencyMs!: number;

  static from(result: PredictResult): PredictPayload {
    return Object.assign(new PredictPayload(), {
      deployment: Deployment.from(result.deployment),
      modelVersion: ModelVersion.from(result.modelVersion),
      predictions: result.predictions,
      latencyMs: result.latencyMs,
    });
  }
}

@ObjectType({ description: "What one model version of a deployment served over a window." })
export class ModelVersionServingStats {
  modelVersionKey!: string;

  @Field(() => Int)
  requests!: number;

  @Field(() => Int, {
    description: "Requests the model version did not answer (input invalid for its signature, load or run failure).",
  })
  errors!: number;

  @Field(() => Float, { description: "errors / requests; 0 without requests." })
  errorRate!: number;

  @Field(() => Float, { nullable: true, description: "Median latency in ms (from a histogram, ±10 %)." })
  p50Ms!: number | null;

  @Field(() => Float, { nullable: true, description: "99th percentile latency in ms (from a histogram, ±10 %)." })
  p99Ms!: number | null;
}
