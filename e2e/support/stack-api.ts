import type { TestStack } from "./stack.js";

/** GraphQL over HTTP straight to the stack's API with its admin token (what a script or a worker would send). */
export async function callApi<T = Record<string, any>>(
  stack: TestStack,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await fetch(`${stack.apiUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${stack.token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors || !body.data) throw new Error(`GraphQL errors (HTTP ${response.status}): ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Polls a queue job until it ends; returns its result (throws when it FAILED or takes too long). */
export async function waitForJob(stack: TestStack, jobId: string, timeoutMs = 120_000): Promise<Record<string, any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { queueJob } = await callApi(stack, `query($id: ID!) { queueJob(id: $id) { status error result } }`, { id: jobId });
    if (queueJob.status === "COMPLETED") return queueJob.result ?? {};
    if (queueJob.status === "FAILED") throw new Error(`job ${jobId} failed: ${queueJob.error}`);
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not end within ${timeoutMs / 1000} s (${queueJob.status})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
