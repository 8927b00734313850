import "reflect-metadata";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { expressMiddleware } from "@as-integrations/express5";
import express from "express";
import type { PedigreeConfig } from "./config.js";
import { type Database, openDatabase } from "./db/database.js";
import { createEventBus } from "./events/event-bus.js";
import type { RequestContext } from "./graphql/context.js";
import { errorReportingPlugin } from "./graphql/error-reporting.plugin.js";
import { createFormatError } from "./graphql/format-error.js";
import { createLoaders } from "./graphql/loaders.js";
import { DEFAULT_QUERY_LIMITS, type QueryLimits, queryLimitRules } from "./graphql/query-limits.js";
import { buildPedigreeSchema } from "./graphql/schema.js";
import { drainSubscriptionServer, startSubscriptionServer } from "./graphql/subscription-server.js";
import { jsonErrorHandler } from "./http/json-errors.js";
import { ApiMetrics } from "./http/metrics.js";
import { rateLimitPerClient } from "./http/rate-limit.js";
import { hidingFieldSuggestions } from "./http/schema-exposure.js";
import { assignRequestId, requestMetaOf } from "./http/request-meta.js";
import { bootstrapAdminFromConfig } from "./identity/admin-bootstrap.js";
import { bearerAuthentication } from "./identity/bearer-authentication.js";
import { createLogger, type Logger } from "./lib/logger.js";
import { createJobHandlers } from "../workers/job-handlers.js";
import { WorkerHost } from "../workers/worker-host.js";
import { type MonitorScheduleKeeper, keepMonitorSchedules } from "./monitoring/monitor-scheduler.js";
import { LineageRuntime } from "./lineage/lineage-runtime.js";
import { QueueRuntime } from "./queue/queue-runtime.js";
import { createRepositories } from "./repositories.js";
import { createServices, type Services } from "./services.js";
import { predictRouter } from "./serving/predict.router.js";
import { exportDownloadRouter } from "./export/export-download.router.js";
import { openLineageRouter } from "./openlineage/openlineage.router.js";
import { OpenLineageValidator } from "./openlineage/openlineage-validator.js";

export interface PedigreeApp {
  /** http://host:port of the running server. */
  url: string;
  db: Database;
  services: Services;
  logger: Logger;
  close(): Promise<void>;
}

export interface AppOptions {
  config: PedigreeConfig;
  /** Keep the embedded database in memory instead of `config.dataDir` (tests, benchmarks). */
  inMemory?: boolean;
  limits?: QueryLimits;
  logger?: Logger;
}

/** Opens the database (migrating it), then serves GraphQL, health and metrics over HTTP. */
export async function startApp(options: AppOptions): Promise<PedigreeApp> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const limits = options.limits ?? DEFAULT_QUERY_LIMITS;
  const db = await openDatabase({ url: config.databaseUrl, dataDir: options.inMemory ? undefined : config.dataDir });
  logger.info({ mode: db.mode, applied: db.migrations.applied }, "database ready");
  const repos = createRepositories(db);
  const metrics = new ApiMetrics();
  const lineageRuntime = new LineageRuntime(db, config, logger, (store, fallback) =>
    metrics.lineageReads.inc({ store, fallback }),
  );
  const queues = new QueueRuntime(
    { redisUrl: config.redisUrl, databaseUrl: config.databaseUrl, dataDir: options.inMemory ? undefined : config.dataDir },
    repos.queueJobs,
    logger,
  );
  const events = createEventBus({ redisUrl: config.redisUrl }, logger);
  const services = createServices(
    db,
    repos,
    lineageRuntime,
    queues,
    events,
    { config: config.serving, logger },
    { monitorIntervalMs: config.monitorIntervalMs, exports: config.exports },
    { anonymousRole: config.anonymousRole },
  );
  services.prediction.registerMetrics(metrics.registry);
  await bootstrapAdminFromConfig(services.identity, config, logger);
  metrics.watchGraphProjection(() => lineageRuntime.status());

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  const httpServer: Server = createServer(app);
  const schema = await buildPedigreeSchema();
  // Subscriptions: graphql-ws on the same server and path, with the same limits.
  const subscriptions = startSubscriptionServer({
    httpServer,
    schema,
    limits,
    maxMessageBytes: config.wsMaxMessageBytes,
    contextFor: (meta) => ({ ...meta, services, loaders: createLoaders(repos) }),
    authenticate: (credentials) => services.identity.actorFor(credentials),
    accessFor: (actor) => services.access.scopeFor(actor),
    anonymousAllowed: services.access.anonymousAllowed,
    hideFieldSuggestions: !config.introspection,
    logger,
  });
  const apollo = new ApolloServer<RequestContext>({
    schema,
    validationRules: queryLimitRules(limits),
    // Off in production by default; without introspection, "Did you mean" hints would leak the schema.
    introspection: config.introspection,
    hideSchemaDetailsFromClientErrors: !config.introspection,
    csrfPrevention: true,
    parseOptions: { maxTokens: limits.maxTokens },
    formatError: config.introspection ? createFormatError() : hidingFieldSuggestions(createFormatError()),
    includeStacktraceInErrorResponses: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      drainSubscriptionServer(subscriptions),
      errorReportingPlugin(logger, metrics.graphqlErrors),
      ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
    ],
  });
  await apollo.start();

  app.use(assignRequestId);
  app.use(metrics.timeRequests());
  if (config.rateLimitPerMinute > 0) {
    app.use(["/graphql", "/v1", "/api/v1"], rateLimitPerClient({ perMinute: config.rateLimitPerMinute, logger }));
  }
  // Bearer tokens: a valid one sets the actor and its access, an invalid one is refused (401); none
  // is refused too unless an anonymous role is configured.
  app.use(["/graphql", "/v1", "/api/v1"], bearerAuthentication(services.identity, services.access, logger));
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    try {
      await db.pool.query("SELECT 1");
      res.json({ status: "ready", database: db.mode });
    } catch {
      res.status(503).json({ status: "unavailable", database: db.mode });
    }
  });
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(
    "/graphql",
    express.json({ limit: config.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({ ...requestMetaOf(req), services, loaders: createLoaders(repos) }),
    }),
  );
  app.use("/v1/deployments", predictRouter(services.prediction, services.access, config.serving, logger));
  app.use(
    "/api/v1",
    openLineageRouter(services.openLineage, new OpenLineageValidator(), services.access, config.openLineage, logger),
  );
  app.use("/v1/exports", exportDownloadRouter(services, logger));
  app.use(jsonErrorHandler(logger));

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  lineageRuntime.start();
  // Workers start in the background: the API answers while the queue store opens (BullMQ migrates it).
  let workers: WorkerHost | undefined;
  let monitorSchedules: MonitorScheduleKeeper | undefined;
  const workersStarted = config.inProcessWorkers
    ? queues
        .connection()
        .then((connection) => {
          workers = new WorkerHost(connection, repos.queueJobs, createJobHandlers(services, config), logger, { events });
          workers.start();
          monitorSchedules = keepMonitorSchedules(
            services.monitoring,
            { intervalMs: config.monitorIntervalMs, schedulers: async () => connection.schedulers("monitoring") },
            logger,
          );
        })
        .catch((error: unknown) => logger.error({ err: error }, "in-process workers could not start"))
    : Promise.resolve();
  const address = httpServer.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  const url = `http://${host}:${address.port}`;
  let closed = false;
  return {
    url,
    db,
    services,
    logger,
    async close() {
      if (closed) return;
      closed = true;
      await apollo.stop();
      // After the HTTP server drained: no predict is running; buffered stats and log rows are written.
      await services.prediction.close();
      await workersStarted;
      await monitorSchedules?.stop();
      await workers?.close();
      await events.close();
      await queues.close();
      await lineageRuntime.close();
      await db.close();
    },
  };
}
