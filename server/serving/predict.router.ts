import express, { type NextFunction, type Request, type Response, Router } from "express";
import type { AccessService } from "../access/access.service.js";
import { authorizeRequest } from "../access/rest-authorization.js";
import { PedigreeError } from "../errors/pedigree-error.js";
import { InputInvalidError } from "../errors/common-errors.js";
import { encodeNodeId } from "../graphql/node-id.js";
import type { Logger } from "../lib/logger.js";
import type { PredictionService } from "./prediction.service.js";
import type { ServingConfig } from "./serving-config.js";
import { httpStatusOf } from "./serving.errors.js";

const BODY_FIELDS = new Set(["rows", "columns", "routingKey", "explain"]);

function sendError(res: Response, status: number, message: string, extensions: Record<string, unknown>): void {
  res.status(status).json({ errors: [{ message, extensions }] });
}

function readCommandFields(req: Request): {
  namespace: string;
  body: Record<string, unknown>;
  routingKey: string | undefined;
  explain: boolean;
} {
  const namespace = req.query.namespace;
  if (typeof namespace !== "string") {
    throw new InputInvalidError("namespace", "must be given once as a query parameter: ?namespace=<namespace>.");
  }
  const body: unknown = req.body;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new InputInvalidError("body", 'must be a JSON object {"rows": […]} or {"columns": {…}} sent as application/json.');
  }
  const record = body as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!BODY_FIELDS.has(key))
      throw new InputInvalidError(key, "is not a predict field; send rows or columns (and routingKey, explain).");
  }
  const routingKey = record.routingKey ?? req.get("x-pedigree-routing-key");
  if (routingKey !== undefined && typeof routingKey !== "string") throw new InputInvalidError("routingKey", "must be a string.");
  const explain = record.explain ?? false;
  if (typeof explain !== "boolean") throw new InputInvalidError("explain", "must be true or false.");
  return { namespace, body: record, routingKey, explain };
}

/**
 * REST predict: `POST /v1/deployments/:name/predict?namespace=<ns>` with a JSON body
 * `{"rows": [{feature: value}, …]}` or `{"columns": {feature: [values]}}` (and an optional
 * `routingKey`, also accepted as the `x-pedigree-routing-key` header; `"explain": true` adds exact
 * feature attributions per row for linear models). Errors answer in GraphQL's
 * shape `{errors: [{message, extensions: {code, field}}]}`: 400 bad input, 404 unknown deployment,
 * 409 no traffic, 413 body too large, 503 model version cannot serve.
 */
export function predictRouter(service: PredictionService, access: AccessService, config: ServingConfig, logger: Logger): Router {
  const router = Router();
  router.post(
    "/:name/predict",
    express.json({ limit: config.maxBodyBytes, strict: true }),
    async (req: Request<{ name: string }>, res: Response) => {
      try {
        const { namespace, body, routingKey, explain } = readCommandFields(req);
        // Scoring is open to every role of the deployment's namespace (VIEWER and up).
        const namespaceId = (await access.namespaceIdsByName([namespace])).get(namespace);
        authorizeRequest(req, ["VIEWER"], { id: namespaceId, shownAs: namespace }, "POST /v1/deployments/:name/predict");
        const result = await service.predict({
          namespace,
          deployment: req.params.name,
          payload: { rows: body.rows, columns: body.columns },
          routingKey,
          fieldPrefix: "",
          explain,
        });
        res.json({
          deployment: result.qualifiedName,
          modelVersion: {
            id: encodeNodeId("ModelVersion", result.modelVersion.id),
            version: result.modelVersion.version,
          },
          predictions: result.predictions,
          latencyMs: result.latencyMs,
        });
      } catch (error) {
        if (error instanceof PedigreeError) {
          sendError(res, httpStatusOf(error.code), error.message, error.extensions as Record<string, unknown>);
          return;
        }
        logger.error({ err: error }, "predict failed");
        sendError(res, 500, "Internal server error.", { code: "INTERNAL_SERVER_ERROR" });
      }
    },
  );
  // Body-parser failures of this route name the body, in the same error shape.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    const parsed = error as { type?: string; limit?: number };
    if (parsed.type === "entity.too.large") {
      sendError(res, 413, `Request body is larger than the limit of ${parsed.limit} bytes.`, {
        code: "PAYLOAD_TOO_LARGE",
        field: "body",
      });
      return;
    }
    if (parsed.type === "entity.parse.failed") {
      sendError(res, 400, 'Field "body" is not valid JSON (NaN and Infinity are not JSON; send finite numbers).', {
        code: "BAD_USER_INPUT",
        field: "body",
      });
      return;
    }
    next(error);
  });
  return router;
}
