import { PedigreeError } from "../errors/pedigree-error.js";

/** The export has not finished (or failed): there is nothing to download yet. HTTP 409. */
export class ExportNotReadyError extends PedigreeError {
  constructor(exportId: string, status: string, error: string | null) {
    super(
      "CONFLICT",
      status === "FAILED"
        ? `Export "${exportId}" failed, it has no files: ${error ?? "no reason recorded"}`
        : `Export "${exportId}" is ${status}: its files can be downloaded once it has SUCCEEDED.`,
      { details: { entity: "Export", status } },
    );
  }
}

/**
 * The export's download window has passed and its files are (being) deleted. HTTP 410; the code is
 * NOT_FOUND (there is no GONE code) with reason EXPIRED so clients can tell it from an unknown id.
 */
export class ExportExpiredError extends PedigreeError {
  constructor(exportId: string, expiredAt: Date) {
    super("NOT_FOUND", `Export "${exportId}" expired at ${expiredAt.toISOString()}; request a new export.`, {
      details: { entity: "Export", reason: "EXPIRED" },
    });
  }
}
