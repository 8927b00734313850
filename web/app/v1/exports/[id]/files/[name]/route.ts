import { apiBaseUrl } from "../../../../../api-url";

export const dynamic = "force-dynamic";

// The API's download headers worth passing on (the checksum lets a client verify what it saved).
const PASSED_HEADERS = ["content-type", "content-length", "content-disposition", "x-content-sha256", "www-authenticate"];

/**
 * Same-origin proxy of the API's export downloads (`downloadUrl` is relative to the API's base URL,
 * so it resolves here too): the browser fetches with its bearer token and the API checks the role.
 * The body streams through; statuses (401, 403, 404, 409, 410) pass unchanged.
 */
export async function GET(request: Request, context: { params: Promise<{ id: string; name: string }> }): Promise<Response> {
  const { id, name } = await context.params;
  const target = `${apiBaseUrl()}/v1/exports/${encodeURIComponent(id)}/files/${encodeURIComponent(name)}`;
  const authorization = request.headers.get("authorization");
  try {
    const response = await fetch(target, { headers: authorization ? { authorization } : {}, cache: "no-store" });
    const headers = new Headers({ "cache-control": "no-store" });
    for (const header of PASSED_HEADERS) {
      const value = response.headers.get(header);
      if (value) headers.set(header, value);
    }
    return new Response(response.body, { status: response.status, headers });
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
