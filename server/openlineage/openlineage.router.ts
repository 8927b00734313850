import express, { type NextFunction, type Request, type Response, Router } from "express";
import type { AccessService } from "../access/access.service.js";
import { authorizeRequest } from "../access/rest-authorization.js";
import { PedigreeError } from "../errors/pedigree-error.js";
import { cooperativeMap } from "../lib/cooperative-map.js";
import { encodeNodeId } from "../graphql/node-id.js";
import type { RequestMeta } from "../graphql/context.js";
import type { Logger } from "../lib/logger.js";
import { httpStatusOf } from "../serving/serving.errors.js";
import { OPENLINEAGE_MEDIA_TYPES, parseBody } from "./openlineage-body.js";
import { type KindedEvent, namespacesNamedBy } from "./openlineage-event.js";
import type { EventProblem, OpenLineageValidator } from "./openlineage-validator.js";
import { OpenLineageEventInvalidError } from "./openlineage.errors.js";
import { eventHash } from "./openlineage-facets.js";
import type { BatchEntry, BatchOutcome, IngestResult, OpenLineageService } from "./openlineage.service.js";

export interface OpenLineageEndpointOptions {
  /** Largest request body, after gzip is undone (PEDIGREE_OPENLINEAGE_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Most events one request may carry (PEDIGREE_OPENLINEAGE_MAX_BATCH_EVENTS). */
  maxBatchEvents: number;
}

const OPERATION = "POST /api/v1/lineage";

type CheckedEntry = { problems: EventProblem[] } | { kinded: KindedEvent; warnings: EventProblem[] };

interface ErrorBody {
  message: string;
  extensions: Record<string, unknown>;
}

function sendError(res: Response, status: number, message: string, extensions: Record<string, unknown>): void {
  res.status(status).json({ errors: [{ message, extensions }] });
}

function resultJson(result: IngestResult, warnings: EventProblem[]) {
  return {
    outcome: result.outcome,
    eventId: result.eventId,
    eventHash: result.eventHash,
    kind: result.kind,
    job: result.jobId ? { id: encodeNodeId("Job", result.jobId) } : null,
    run: result.runId ? { id: encodeNodeId("Run", result.runId), status: result.runStatus } : null,
    dataset: result.datasetId ? { id: encodeNodeId("Dataset", result.datasetId) } : null,
    inputVersions: result.inputVersionIds.map((id) => encodeNodeId("DatasetVersion", id)),
    outputVersions: result.outputVersionIds.map((id) => encodeNodeId("DatasetVersion", id)),
    warnings,
  };
}

function errorOf(error: PedigreeError): ErrorBody {
  return { message: error.message, extensions: error.extensions as Record<string, unknown> };
}

/**
 * `POST /api/v1/lineage` — the path the OpenLineage HTTP transport and Marquez use. The body is one
 * RunEvent, JobEvent or DatasetEvent (answered 201, or 200 when the same event was ingested before),
 * a JSON array or NDJSON of them (answered 207 with one result per event, so one bad event does not
 * drop the others). `Content-Encoding: gzip` is accepted. Each event needs EDITOR in every namespace
 * it names. Errors answer in GraphQL's shape: 400 (with the JSON path of each problem), 401, 403,
 * 404 (a namespace the caller cannot see), 409, 413, 415.
 */
export function openLineageRouter(
  service: OpenLineageService,
  validator: OpenLineageValidator,
  access: AccessService,
  options: OpenLineageEndpointOptions,
  logger: Logger,
): Router {
  const router = Router();
  router.post(
    "/lineage",
    (req: Request, res: Response, next: NextFunction) => {
      if (!req.is([...OPENLINEAGE_MEDIA_TYPES])) {
        sendError(
          res,
          415,
          `Content-Type must be ${OPENLINEAGE_MEDIA_TYPES.join(" or ")}; got ${req.get("content-type") ?? "none"}.`,
          {
            code: "UNSUPPORTED_MEDIA_TYPE",
          },
        );
        return;
      }
      next();
    },
    express.raw({ type: () => true, limit: options.maxBodyBytes, inflate: true }),
    async (req: Request, res: Response) => {
      try {
        const mediaType = req.is("application/x-ndjson") ? "application/x-ndjson" : "application/json";
        const text = Buffer.isBuffer(req.body) ? req.body.toString("utf8") : "";
        const body = parseBody(text, mediaType, options.maxBatchEvents);
        // Validated and hashed in slices, so that a running batch's statements go on meanwhile.
        const entries = await cooperativeMap(body.entries, (entry): CheckedEntry => {
          if ("problem" in entry) return { problems: [entry.problem] };
          const outcome = validator.validate(entry.value);
          if (!outcome.valid) return { problems: outcome.problems };
          return { kinded: { kind: outcome.kind, event: outcome.event } as KindedEvent, warnings: outcome.warnings };
        });
        // One lookup of every namespace the request names; each event is then authorized on its own.
        const names = [...new Set(entries.flatMap((entry) => ("kinded" in entry ? namespacesNamedBy(entry.kinded) : [])))];
        const namespaceIds = names.length > 0 ? await access.namespaceIdsByName(names) : new Map<string, string>();
        const authorize = (kinded: KindedEvent): RequestMeta => {
          let meta: RequestMeta | undefined;
          for (const name of namespacesNamedBy(kinded)) {
            meta = authorizeRequest(req, ["EDITOR"], { id: namespaceIds.get(name), shownAs: name }, OPERATION);
          }
          return meta ?? authorizeRequest(req, ["EDITOR"], null, OPERATION);
        };
        // Checked here, applied together: events that pass go to one group commit, in order.
        const checked = await cooperativeMap(entries, (entry): { error: PedigreeError } | { entry: BatchEntry } => {
          try {
            if (!("kinded" in entry)) throw new OpenLineageEventInvalidError(entry.problems);
            return { entry: { meta: authorize(entry.kinded), kinded: entry.kinded, hash: eventHash(entry.kinded.event) } };
          } catch (error) {
            if (error instanceof PedigreeError) return { error };
            throw error;
          }
        });
        const submitted = checked.flatMap((item) => ("entry" in item ? [item.entry] : []));
        const applied = submitted.length > 0 ? await service.ingest(submitted) : [];
        let next = 0;
        const outcomes = checked.map((item): BatchOutcome => ("entry" in item ? applied[next++]! : item));

        if (body.single) {
          const outcome = outcomes[0]!;
          if ("error" in outcome) throw outcome.error;
          const entry = entries[0] as { warnings: EventProblem[] };
          res.status(outcome.result.outcome === "CREATED" ? 201 : 200).json(resultJson(outcome.result, entry.warnings));
          return;
        }

        const summary = { received: entries.length, created: 0, duplicate: 0, failed: 0 };
        const results = outcomes.map((outcome, index) => {
          if ("error" in outcome) {
            summary.failed += 1;
            return { index, status: httpStatusOf(outcome.error.code), errors: [errorOf(outcome.error)] };
          }
          const entry = entries[index] as { warnings: EventProblem[] };
          if (outcome.result.outcome === "CREATED") summary.created += 1;
          else summary.duplicate += 1;
          return {
            index,
            status: outcome.result.outcome === "CREATED" ? 201 : 200,
            ...resultJson(outcome.result, entry.warnings),
          };
        });
        res.status(207).json({ summary, results });
      } catch (error) {
        if (error instanceof PedigreeError) {
          sendError(res, httpStatusOf(error.code), error.message, error.extensions as Record<string, unknown>);
          return;
        }
        logger.error({ err: error }, "OpenLineage ingestion failed");
        sendError(res, 500, "Internal server error.", { code: "INTERNAL_SERVER_ERROR" });
      }
    },
  );
  // Body-reading failures of this route, in the same error shape.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const parsed = error as { type?: string; limit?: number; status?: number; message?: string };
    if (parsed.type === "entity.too.large") {
      sendError(res, 413, `Request body is larger than the limit of ${parsed.limit} bytes (after decompression).`, {
        code: "PAYLOAD_TOO_LARGE",
      });
      return;
    }
    if (parsed.type === "encoding.unsupported") {
      sendError(res, 415, "Content-Encoding must be gzip, deflate or identity.", { code: "UNSUPPORTED_MEDIA_TYPE" });
      return;
    }
    if (parsed.status === 400) {
      sendError(res, 400, "Request body could not be read (a corrupt gzip stream?).", { code: "BAD_USER_INPUT" });
      return;
    }
    next(error);
  });
  return router;
}
