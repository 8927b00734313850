/** A minimal GraphQL-over-HTTP client for the demo seed and benchmarks: throws on any error. */
export class GraphQLClient {
  constructor(
    private readonly endpoint: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  async request<TData = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<TData> {
    const response = await fetch(this.endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...this.headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: TData; errors?: Array<{ message: string }> };
    if (body.errors?.length || !body.data) {
      throw new Error(`GraphQL request failed: ${body.errors?.map((error) => error.message).join("; ") ?? response.status}`);
    }
    return body.data;
  }
}
