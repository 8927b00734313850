// What kind of model a version is, read from what training (or registration) stored with it.

export type ModelTask = { task: "classification"; classes: string[] | null } | { task: "regression" } | { task: "unknown" };

/**
 * The task of a model version: the signature's `task` (as training writes it, with `classes`), else
 * the validation metrics it was registered with (accuracy ⇒ classifier, rmse ⇒ regressor).
 */
export function modelTaskOf(signature: unknown, metrics: unknown): ModelTask {
  const sig = (signature ?? {}) as { task?: unknown; classes?: unknown };
  const classes =
    Array.isArray(sig.classes) && sig.classes.every((value) => typeof value === "string" || typeof value === "number")
      ? sig.classes.map(String)
      : null;
  if (sig.task === "classification" || sig.task === "binary" || sig.task === "multiclass") {
    return { task: "classification", classes };
  }
  if (sig.task === "regression") return { task: "regression" };
  const known = (metrics ?? {}) as Record<string, unknown>;
  if (typeof known.accuracy === "number") return { task: "classification", classes };
  if (typeof known.rmse === "number") return { task: "regression" };
  return classes ? { task: "classification", classes } : { task: "unknown" };
}
