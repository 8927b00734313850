// Exact per-prediction attributions of linear models, read from the ONNX graph that serves them.
import onnxProto from "onnx-proto";

const { onnx } = onnxProto;
type GraphProto = onnxProto.onnx.IGraphProto;
type TensorProto = onnxProto.onnx.ITensorProto;

/** What the explained value is: the logit(s) before a sigmoid / softmax, or the regression prediction itself. */
export type ExplanationSpace = "LOGIT" | "PREDICTION";

/**
 * A model whose explained value is affine in its raw input: value_k = Σ_j x_j·weights[j·K + k] + intercept[k].
 * Standardization, the layer and any target scaling are folded in, so `weights` act on raw feature values.
 */
export interface AffineModel {
  space: ExplanationSpace;
  featureCount: number;
  /** Names of the K explained values: the positive class (binary), every class (multiclass), or the prediction output. */
  outputNames: string[];
  /** Row-major featureCount × K. */
  weights: Float64Array;
  intercept: Float64Array;
}

/** Attributions of one row: value_k = baseline_k + Σ_j attributions[j·K + k] (exact up to float64 rounding). */
export interface RowAttribution {
  /** Explained value at the baseline means, per output. */
  baseline: Float64Array;
  /** Explained value at the row, per output. */
  value: Float64Array;
  /** Row-major featureCount × K: weight_jk · (x_j − mean_j). */
  attributions: Float64Array;
}

/**
 * φ_jk = w_jk·(x_j − m_j), baseline_k = Σ_j w_jk·m_j + b_k, value_k = Σ_j w_jk·x_j + b_k. The value is
 * summed from the parts, so baseline + Σ φ = value holds exactly in exact arithmetic and to the last
 * few ulps in float64 (the affine identity w·x + b = (w·m + b) + w·(x − m)).
 */
export function linearAttributions(model: AffineModel, row: ArrayLike<number>, means: ArrayLike<number>): RowAttribution {
  const { featureCount, weights, intercept } = model;
  const outputs = intercept.length;
  const baseline = Float64Array.from(intercept);
  const attributions = new Float64Array(featureCount * outputs);
  for (let j = 0; j < featureCount; j++) {
    const x = row[j]!;
    const m = means[j]!;
    for (let k = 0; k < outputs; k++) {
      const w = weights[j * outputs + k]!;
      baseline[k]! += w * m;
      attributions[j * outputs + k] = w * (x - m);
    }
  }
  const value = Float64Array.from(baseline);
  for (let j = 0; j < featureCount; j++) {
    for (let k = 0; k < outputs; k++) value[k]! += attributions[j * outputs + k]!;
  }
  return { baseline, value, attributions };
}

/** An affine function of the input tensor (featureCount × width weights, width offsets), or a float constant. */
type Value =
  | { kind: "affine"; width: number; weights: Float64Array; offset: Float64Array }
  | { kind: "constant"; dims: number[]; data: Float64Array };

const AFFINE_OPS = new Set(["Add", "Sub", "Mul", "Div", "MatMul", "Identity"]);
const LINK_OPS = new Set(["Sigmoid", "Softmax"]);

function tensorValues(tensor: TensorProto): Float64Array | null {
  const type = tensor.dataType;
  const raw = tensor.rawData;
  if (type === onnx.TensorProto.DataType.FLOAT) {
    if (raw && raw.length > 0) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      return Float64Array.from({ length: raw.byteLength / 4 }, (_, k) => view.getFloat32(k * 4, true));
    }
    return Float64Array.from(tensor.floatData ?? []);
  }
  if (type === onnx.TensorProto.DataType.DOUBLE) {
    if (raw && raw.length > 0) {
      const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
      return Float64Array.from({ length: raw.byteLength / 8 }, (_, k) => view.getFloat64(k * 8, true));
    }
    return Float64Array.from(tensor.doubleData ?? []);
  }
  return null;
}

/** A constant broadcast along the last axis of a width-`width` tensor: per-column values, or null if it is not such a constant. */
function perColumn(constant: { dims: number[]; data: Float64Array }, width: number): Float64Array | null {
  const { dims, data } = constant;
  if (data.length === 1) return new Float64Array(width).fill(data[0]!);
  if (data.length === width && dims.at(-1) === width) return data;
  return null;
}

function scaleColumns(value: Value & { kind: "affine" }, factors: Float64Array, invert: boolean, featureCount: number): Value {
  const { width } = value;
  const weights = new Float64Array(value.weights.length);
  const offset = new Float64Array(width);
  for (let k = 0; k < width; k++) {
    const factor = factors[k]!;
    offset[k] = invert ? value.offset[k]! / factor : value.offset[k]! * factor;
    for (let j = 0; j < featureCount; j++) {
      const w = value.weights[j * width + k]!;
      weights[j * width + k] = invert ? w / factor : w * factor;
    }
  }
  return { kind: "affine", width, weights, offset };
}

/** Affine value of one node, or null when the node is not an affine op on (affine, constant) operands. */
function applyAffineOp(op: string, operands: Value[], featureCount: number): Value | null {
  const [a, b] = operands;
  if (op === "Identity") return operands.length === 1 && a?.kind === "affine" ? a : null;
  if (operands.length !== 2 || !a || !b) return null;
  if (op === "MatMul") {
    if (a.kind !== "affine" || b.kind !== "constant" || b.dims.length !== 2 || b.dims[0] !== a.width) return null;
    const width = b.dims[1]!;
    const weights = new Float64Array(featureCount * width);
    const offset = new Float64Array(width);
    for (let i = 0; i < a.width; i++) {
      for (let k = 0; k < width; k++) {
        const w = b.data[i * width + k]!;
        offset[k]! += a.offset[i]! * w;
        for (let j = 0; j < featureCount; j++) weights[j * width + k]! += a.weights[j * a.width + i]! * w;
      }
    }
    return { kind: "affine", width, weights, offset };
  }
  if (a.kind === "affine" && b.kind === "affine") {
    if (a.width !== b.width || (op !== "Add" && op !== "Sub")) return null;
    const sign = op === "Add" ? 1 : -1;
    return {
      kind: "affine",
      width: a.width,
      weights: a.weights.map((w, i) => w + sign * b.weights[i]!),
      offset: a.offset.map((c, i) => c + sign * b.offset[i]!),
    };
  }
  const affine = a.kind === "affine" ? a : b.kind === "affine" ? b : null;
  const constant = a.kind === "constant" ? a : b.kind === "constant" ? b : null;
  if (!affine || !constant) return null;
  const column = perColumn(constant, affine.width);
  if (!column) return null;
  const affineFirst = a === affine;
  switch (op) {
    case "Add":
      return { ...affine, offset: affine.offset.map((c, k) => c + column[k]!) };
    case "Sub":
      return affineFirst
        ? { ...affine, offset: affine.offset.map((c, k) => c - column[k]!) }
        : { ...affine, weights: affine.weights.map((w) => -w), offset: affine.offset.map((c, k) => column[k]! - c) };
    case "Mul":
      return scaleColumns(affine, column, false, featureCount);
    case "Div":
      return affineFirst ? scaleColumns(affine, column, true, featureCount) : null;
    default:
      return null;
  }
}

/** Why a model cannot be explained by exact linear attributions. */
export class NotLinearModelError extends Error {}

/**
 * Reads the affine map a served ONNX graph computes before its output link, by propagating
 * x ↦ x·A + c through its nodes: Sub/Div (standardizer), MatMul/Add (the layer), Mul/Add (target
 * scaling). Classifiers end in one Sigmoid (binary: the explained value is the positive class's
 * logit) or one Softmax (multiclass: one logit per class); regressors output the affine value itself.
 * Weights come from the graph's float32 initializers — the numbers onnxruntime serves with.
 * Throws NotLinearModelError (e.g. a Relu or Tanh between layers: an MLP).
 */
export function readAffineModel(
  bytes: Uint8Array,
  signature: { inputName: string; featureNames: readonly string[]; classes: readonly string[] | undefined },
): AffineModel {
  let graph: GraphProto | null | undefined;
  try {
    graph = onnx.ModelProto.decode(bytes).graph;
  } catch {
    throw new NotLinearModelError("its artifact does not decode as an ONNX model.");
  }
  if (!graph) throw new NotLinearModelError("its ONNX model has no graph.");
  const featureCount = signature.featureNames.length;
  const values = new Map<string, Value>();
  for (const tensor of graph.initializer ?? []) {
    const data = tensorValues(tensor);
    if (tensor.name && data) values.set(tensor.name, { kind: "constant", dims: (tensor.dims ?? []).map(Number), data });
  }
  const identity = new Float64Array(featureCount * featureCount);
  for (let j = 0; j < featureCount; j++) identity[j * featureCount + j] = 1;
  values.set(signature.inputName, {
    kind: "affine",
    width: featureCount,
    weights: identity,
    offset: new Float64Array(featureCount),
  });

  let link: { op: string; input: Value & { kind: "affine" }; axis: number | undefined } | undefined;
  // ONNX nodes are topologically sorted: one pass sees every operand before its use.
  for (const node of graph.node ?? []) {
    const op = node.opType ?? "";
    const operands = (node.input ?? []).map((name) => values.get(name));
    const touchesInput = operands.some((operand) => operand?.kind === "affine");
    if (!touchesInput) continue;
    const known = operands.every((operand): operand is Value => operand !== undefined);
    const result = known && AFFINE_OPS.has(op) ? applyAffineOp(op, operands, featureCount) : null;
    if (result && node.output?.length === 1) {
      values.set(node.output[0]!, result);
      continue;
    }
    if (LINK_OPS.has(op) && operands.length === 1 && operands[0]?.kind === "affine" && !link) {
      const axis = node.attribute?.find((attribute) => attribute.name === "axis")?.i;
      link = { op, input: operands[0], axis: axis === undefined || axis === null ? undefined : Number(axis) };
      continue;
    }
    throw new NotLinearModelError(
      `its graph applies ${op || "an operator"} to a linear function of the input (not a linear model).`,
    );
  }

  const classes = signature.classes;
  if (classes) {
    if (!link) throw new NotLinearModelError("it is a classifier whose graph has no Sigmoid or Softmax over a linear function.");
    const { input } = link;
    if (link.op === "Sigmoid" && input.width === 1 && classes.length === 2) {
      return { space: "LOGIT", featureCount, outputNames: [classes[1]!], weights: input.weights, intercept: input.offset };
    }
    const lastAxis = link.axis === undefined || link.axis === -1 || link.axis === 1;
    if (link.op === "Softmax" && lastAxis && input.width === classes.length) {
      return { space: "LOGIT", featureCount, outputNames: [...classes], weights: input.weights, intercept: input.offset };
    }
    throw new NotLinearModelError(`its ${link.op} does not map one logit per class onto its ${classes.length} classes.`);
  }
  if (link) throw new NotLinearModelError(`it is a regressor whose graph applies ${link.op}.`);
  const outputs = (graph.output ?? []).map((output) => ({ name: output.name ?? "", value: values.get(output.name ?? "") }));
  const affine = outputs.filter((output) => output.value?.kind === "affine");
  if (outputs.length !== 1 || affine.length !== 1) {
    throw new NotLinearModelError("its graph does not have exactly one output that is linear in the input.");
  }
  const [{ name, value }] = affine as [{ name: string; value: Value & { kind: "affine" } }];
  return { space: "PREDICTION", featureCount, outputNames: [name], weights: value.weights, intercept: value.offset };
}
