import { apiBaseUrl } from "../api-url";

export const dynamic = "force-dynamic";

// Headers the API reads; cookies and the rest stay here.
const FORWARDED_HEADERS = ["authorization", "content-type", "accept", "x-request-id", "apollo-require-preflight"];

/**
 * Same-origin proxy for GraphQL over HTTP: the browser calls /graphql here and the API needs no CORS.
 * Status codes (401, 403, 429…) and bodies pass through unchanged.
 */
async function forwardToApi(request: Request): Promise<Response> {
  const target = `${apiBaseUrl()}/graphql${new URL(request.url).search}`;
  const headers = new Headers();
  for (const name of FORWARDED_HEADERS) {
    const value = request.headers.get(name);
    if (value) headers.set(name, value);
  }
  try {
    const response = await fetch(target, {
      method: request.method,
      headers,
      body: request.method === "GET" ? undefined : await request.text(),
      cache: "no-store",
    });
    return new Response(await response.text(), {
      status: response.status,
      headers: { "content-type": response.headers.get("content-type") ?? "application/json" },
    });
  } catch {
    return Response.json(
      {
        errors: [
          { message: `The explorer cannot reach the Pedigree API at ${apiBaseUrl()}.`, extensions: { code: "API_UNREACHABLE" } },
        ],
      },
      { status: 502 },
    );
  }
}

export { forwardToApi as GET, forwardToApi as POST };
