import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { TestApp } from "../testing/test-app.js";

/** What tests of the OpenLineage endpoint send and read back. */
export interface LineageResponse {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers of many shapes (results, errors, problems)
  body: any;
}

export async function postLineage(
  app: TestApp,
  body: unknown,
  options: { headers?: Record<string, string>; contentType?: string; gzip?: boolean; raw?: string } = {},
): Promise<LineageResponse> {
  const text = options.raw ?? JSON.stringify(body);
  const payload = options.gzip ? gzipSync(text) : text;
  const response = await fetch(`${app.url}/api/v1/lineage`, {
    method: "POST",
    headers: {
      "content-type": options.contentType ?? "application/json",
      ...(options.gzip ? { "content-encoding": "gzip" } : {}),
      ...options.headers,
    },
    body: payload,
  });
  const responseText = await response.text();
  return { status: response.status, body: responseText ? JSON.parse(responseText) : null };
}

export const PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.0.0/integration/airflow";
const facet = (schema: string) => ({
  _producer: PRODUCER,
  _schemaURL: `https://openlineage.io/spec/facets/1-0-0/${schema}.json`,
});

export function schemaFacet(fields: Array<[string, string]>) {
  return { schema: { ...facet("SchemaDatasetFacet"), fields: fields.map(([name, type]) => ({ name, type })) } };
}

/** A run event with sensible defaults; override what the test is about. */
export function runEvent(options: {
  eventType: string;
  runId?: string;
  eventTime: string;
  namespace?: string;
  job?: string;
  inputs?: Array<{ namespace: string; name: string; facets?: Record<string, unknown>; inputFacets?: Record<string, unknown> }>;
  outputs?: Array<{ namespace: string; name: string; facets?: Record<string, unknown>; outputFacets?: Record<string, unknown> }>;
  runFacets?: Record<string, unknown>;
  jobFacets?: Record<string, unknown>;
}) {
  return {
    eventType: options.eventType,
    eventTime: options.eventTime,
    producer: PRODUCER,
    schemaURL: "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
    run: { runId: options.runId ?? randomUUID(), facets: options.runFacets ?? {} },
    job: { namespace: options.namespace ?? "airflow", name: options.job ?? "etl.load_orders", facets: options.jobFacets ?? {} },
    inputs: options.inputs ?? [],
    outputs: options.outputs ?? [],
  };
}

export { facet as baseFacet };

/** Every table an OpenLineage event writes to: row counts before and after prove "nothing written". */
export const OPENLINEAGE_WRITE_TABLES = [
  "openlineage_event",
  "openlineage_facet",
  "namespace",
  "job",
  "run",
  "dataset",
  "dataset_symlink",
  "dataset_version",
  "dataset_field",
  "lineage_edge",
  "graph_outbox",
  "audit_event",
];
