import { serviceUrls } from "../server/testing/service-urls.js";
import { describeUnavailableQueue, describeWorkerHost } from "./worker-host.suite.js";

describeWorkerHost("redis", () => ({ redisUrl: serviceUrls().redis, databaseUrl: undefined, dataDir: undefined }));
// Nothing listens on port 1: the queue store is down.
describeUnavailableQueue("redis down", { redisUrl: "redis://127.0.0.1:1", databaseUrl: undefined, dataDir: undefined });
