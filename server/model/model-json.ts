import { ValidateBy } from "class-validator";
import { z } from "zod";

/** Largest serialized signature or metrics object we store (64 KiB). */
export const MAX_MODEL_JSON_BYTES = 64 * 1024;

const jsonObjectSchema = z.record(z.string(), z.unknown());
const metricsSchema = z.record(z.string(), z.number());

/** Parses the `signature` JSON column; a non-object there is a bug, so it throws. */
export function parseSignature(value: unknown): Record<string, unknown> {
  return jsonObjectSchema.parse(value);
}

/** Parses the `metrics` JSON column: metric name → number. */
export function parseMetrics(value: unknown): Record<string, number> {
  return metricsSchema.parse(value);
}

function serializedBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "", "utf8");
}

/** A JSON object whose serialized form is at most `MAX_MODEL_JSON_BYTES`. */
export function IsBoundedJsonObject(): PropertyDecorator {
  return ValidateBy({
    name: "isBoundedJsonObject",
    validator: {
      validate: (value: unknown) =>
        typeof value === "object" && value !== null && !Array.isArray(value) && serializedBytes(value) <= MAX_MODEL_JSON_BYTES,
      defaultMessage: () => `$property must be a JSON object of at most ${MAX_MODEL_JSON_BYTES} bytes when serialized`,
    },
  });
}

/** Metric name → finite number (JSON such as 1e999 arrives as Infinity and is refused). */
export function IsMetricMap(): PropertyDecorator {
  return ValidateBy({
    name: "isMetricMap",
    validator: {
      validate: (value: unknown) =>
        typeof value === "object" &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((metric) => typeof metric === "number" && Number.isFinite(metric)),
      defaultMessage: () => "$property must map metric names to finite numbers",
    },
  });
}
