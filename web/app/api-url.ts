/**
 * The Pedigree API as the Next server reaches it: PEDIGREE_API_URL (default http://127.0.0.1:4000),
 * with or without a trailing /graphql. Read at request time, so one build serves any deployment.
 */
export function apiBaseUrl(): string {
  const raw = process.env.PEDIGREE_API_URL || "http://127.0.0.1:4000";
  return raw.replace(/\/+$/, "").replace(/\/graphql$/, "");
}

/**
 * Where browsers open the subscription WebSocket: PEDIGREE_API_PUBLIC_URL when the API is reached
 * under another name from outside (a proxy, a container network), else PEDIGREE_API_URL.
 */
export function apiWebSocketUrl(): string {
  const publicUrl = process.env.PEDIGREE_API_PUBLIC_URL?.replace(/\/+$/, "").replace(/\/graphql$/, "");
  return `${(publicUrl || apiBaseUrl()).replace(/^http/, "ws")}/graphql`;
}
