import { AccessDeniedError, HiddenNodeError } from "../access/access.errors.js";
import { requestMetaOf } from "../http/request-meta.js";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { type Request, type Response, Router } from "express";
import { authorizeRequest } from "../access/rest-authorization.js";
import { PedigreeError } from "../errors/pedigree-error.js";
import { tryDecodeNodeId } from "../graphql/node-id.js";
import type { Logger } from "../lib/logger.js";
import type { Services } from "../services.js";
import { ExportExpiredError } from "./export.errors.js";

const STATUS_OF_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

function sendError(res: Response, error: PedigreeError): void {
  const status = error instanceof ExportExpiredError ? 410 : (STATUS_OF_CODE[error.code] ?? 500);
  if (status === 401) res.setHeader("www-authenticate", `Bearer realm="pedigree"`);
  res.status(status).json({ errors: [{ message: error.message, extensions: error.extensions }] });
}

/** RFC 6266 attachment header; export file names are plain ASCII, quoted anyway. */
function attachment(name: string): string {
  return `attachment; filename="${name.replace(/["\\\r\n]/g, "_")}"`;
}

/**
 * `GET /v1/exports/:id/files/:name`: streams one file of a finished export with its content type,
 * a content-disposition, its length and `x-content-sha256`. 401 without a token, 403 without the
 * AUDITOR role, 404 for an unknown export or file, 409 until the export has SUCCEEDED, 410 once it
 * has expired (its files are deleted then). Every download is an `export.downloaded` audit event.
 */
export function exportDownloadRouter(services: Services, logger: Logger): Router {
  const router = Router();
  router.get("/:id/files/:name", async (req: Request<{ id: string; name: string }>, res: Response) => {
    try {
      const ref = tryDecodeNodeId(req.params.id);
      const exportRecord = ref?.kind === "Export" ? await services.exports.findById(ref.key) : null;
      // The AUDITOR role (or ADMIN) where the export's events are: its namespace, or globally.
      // Authorized before anything about the export is told (an unknown id needs a global binding).
      const namespaceId = exportRecord?.filter.namespaceId;
      let meta: ReturnType<typeof authorizeRequest>;
      try {
        meta = authorizeRequest(req, ["AUDITOR"], typeof namespaceId === "string" ? namespaceId : null, "downloadExport");
      } catch (error) {
        // An auditor of some namespace learns nothing about exports that are not theirs: unknown,
        // another namespace's, or one of everything all answer 404 alike.
        const auditorSomewhere = requestMetaOf(req).access.grantsAnywhere(["AUDITOR"]);
        if (auditorSomewhere && (error instanceof AccessDeniedError || error instanceof HiddenNodeError)) {
          throw new PedigreeError("NOT_FOUND", `Export "${req.params.id.slice(0, 64)}" not found.`, { field: "id" });
        }
        throw error;
      }
      if (!ref || !exportRecord) {
        throw new PedigreeError("NOT_FOUND", `Export "${req.params.id.slice(0, 64)}" not found.`, { field: "id" });
      }
      const download = await services.exports.openDownload(meta, { id: ref.key, shownAs: req.params.id }, req.params.name);
      // A file deleted behind the record's back (by hand, or a cleanup racing this request).
      const size = await stat(download.path).then(
        (stats) => stats.size,
        () => undefined,
      );
      if (size === undefined) throw new ExportExpiredError(req.params.id, download.exportRecord.expiresAt);
      res.status(200);
      res.setHeader("content-type", download.file.mediaType);
      res.setHeader("content-length", String(size));
      res.setHeader("content-disposition", attachment(download.file.name));
      res.setHeader("x-content-sha256", download.file.sha256);
      res.setHeader("cache-control", "no-store");
      await pipeline(createReadStream(download.path), res);
    } catch (error) {
      if (error instanceof PedigreeError) {
        sendError(res, error);
        return;
      }
      logger.error({ err: error }, "export download failed");
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.status(500).json({ errors: [{ message: "Internal server error.", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
    }
  });
  return router;
}
