import { ModelNotServableError } from "./serving.errors.js";

/** What the predict path needs from a model version's registered signature. */
export interface ServableSignature {
  /** Input tensor columns, in order. */
  featureNames: string[];
  /** Name of the float32 [N, featureNames.length] input tensor. */
  inputName: string;
  /** Classification: labels in probability-column order (an int64 `label` output indexes into them). */
  classes: string[] | undefined;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

/**
 * Reads the signature the training worker writes (workers/training/onnx/signature.ts): `featureNames`
 * and one float32 input of shape [null, featureNames.length]. Anything else is refused with the
 * reason, since the predict path maps named features onto that one tensor.
 */
export function parseServableSignature(signature: Record<string, unknown>, shownAs: string): ServableSignature {
  const { featureNames, inputs, classes } = signature;
  if (!isStringList(featureNames) || featureNames.length === 0) {
    throw new ModelNotServableError(shownAs, "its signature has no `featureNames` (the input columns in order).");
  }
  if (new Set(featureNames).size !== featureNames.length) {
    throw new ModelNotServableError(shownAs, "its signature repeats a feature name.");
  }
  let inputName = "features";
  if (inputs !== undefined) {
    if (!Array.isArray(inputs) || inputs.length !== 1 || typeof inputs[0] !== "object" || inputs[0] === null) {
      throw new ModelNotServableError(shownAs, "its signature must declare exactly one input tensor.");
    }
    const input = inputs[0] as Record<string, unknown>;
    if (typeof input.name !== "string") throw new ModelNotServableError(shownAs, "its signature's input has no name.");
    if (input.dtype !== undefined && input.dtype !== "float32") {
      throw new ModelNotServableError(shownAs, `its input is ${String(input.dtype)}; only float32 inputs are served.`);
    }
    const width = Array.isArray(input.shape) ? input.shape[1] : undefined;
    if (typeof width === "number" && width !== featureNames.length) {
      throw new ModelNotServableError(
        shownAs,
        `its input takes ${width} columns but the signature names ${featureNames.length} features.`,
      );
    }
    inputName = input.name;
  }
  return { featureNames: [...featureNames], inputName, classes: isStringList(classes) ? [...classes] : undefined };
}
