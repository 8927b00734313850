import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { writeLinearModelArtifact } from "../model/model-artifact.fixtures.js";
import type { TestApp } from "../testing/test-app.js";

// Shared by the deployment integration tests.
export const CREATE = `
  mutation Create($input: CreateDeploymentInput!) {
    createDeployment(input: $input) {
      created
      deployment {
        id name environment description namespace { name }
        currentRevision { revision actor reason trafficSplit { percent modelVersion { id version } } }
      }
    }
  }`;

export const SET_TRAFFIC = `
  mutation Set($input: SetDeploymentTrafficInput!) {
    setDeploymentTraffic(input: $input) {
      id revision actor reason createdAt deployment { name } trafficSplit { percent modelVersion { id version } }
    }
  }`;

export const sha = (n: number) => n.toString(16).padStart(64, "0");
export const nodeId = (kind: string, key: string) => Buffer.from(`${kind}:${key}`).toString("base64url");
export const keyOf = (id: string) => Buffer.from(id, "base64url").toString("utf8").split(":")[1]!;
export const UNKNOWN = "00000000-0000-4000-8000-000000000001";
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const SIDE_TABLES = ["namespace", "deployment", "deployment_revision", "lineage_edge", "audit_event", "graph_outbox"];

/** Builds model versions and deployments through the API of a running test app. */
export function deploymentFixtures(app: TestApp) {
  let counter = 0;
  let artifactDir: Promise<string> | undefined;
  return {
    /** Registers a fresh READY model version (a real ONNX artifact) in `namespace` and returns its global id. */
    async modelVersion(namespace = "serving"): Promise<string> {
      counter += 1;
      artifactDir ??= mkdtemp(join(tmpdir(), "pedigree-deployment-"));
      const artifact = await writeLinearModelArtifact(await artifactDir, [counter, 1], 0);
      const result = await app.graphql(
        `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id status } } }`,
        {
          input: {
            namespace,
            model: "ranker",
            artifactUri: artifact.uri,
            artifactSha256: artifact.sha256,
            signature: artifact.signature,
          },
        },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.registerModelVersion.modelVersion.status).toBe("READY");
      return result.data!.registerModelVersion.modelVersion.id as string;
    },

    /** Registers a model version whose artifact cannot be verified (PENDING) and returns its global id. */
    async pendingModelVersion(namespace = "serving"): Promise<string> {
      counter += 1;
      const result = await app.graphql(
        `mutation($input: RegisterModelVersionInput!) { registerModelVersion(input: $input) { modelVersion { id status } } }`,
        {
          input: { namespace, model: "ranker", artifactUri: `s3://models/ranker/${counter}.onnx`, artifactSha256: sha(counter) },
        },
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.registerModelVersion.modelVersion.status).toBe("PENDING");
      return result.data!.registerModelVersion.modelVersion.id as string;
    },

    async createDeployment(name: string, overrides: Record<string, unknown> = {}) {
      const result = await app.graphql(CREATE, {
        input: { namespace: "serving", name, environment: "production", ...overrides },
      });
      expect(result.errors).toBeUndefined();
      return result.data!.createDeployment.deployment;
    },

    /** The deployment's SERVES edges, oldest first. */
    async servesEdges(deploymentId: string) {
      const { rows } = await app.db.pool.query(
        `SELECT upstream_id::text AS upstream, upstream_type, (properties->>'percent')::float AS percent, valid_from, valid_to
           FROM lineage_edge WHERE kind = 'SERVES' AND downstream_id = $1::uuid ORDER BY valid_from, (properties->>'percent')::float DESC`,
        [keyOf(deploymentId)],
      );
      return rows as Array<{ upstream: string; upstream_type: string; percent: number; valid_from: Date; valid_to: Date | null }>;
    },
  };
}
