/**
 * Where the API token lives in the browser: sessionStorage by default (gone when the tab closes),
 * localStorage when the user asks to be remembered on this device. Never in a cookie, so the Next
 * server never sees it; every API call carries it as `Authorization: Bearer …`.
 */
const KEY = "pedigree.apiToken";

export type TokenPersistence = "session" | "device";

export function readStoredToken(): string | null {
  if (typeof window === "undefined") return null;
  return window.sessionStorage.getItem(KEY) ?? window.localStorage.getItem(KEY);
}

export function storeToken(token: string, persistence: TokenPersistence): void {
  clearStoredToken();
  (persistence === "device" ? window.localStorage : window.sessionStorage).setItem(KEY, token);
}

export function clearStoredToken(): void {
  window.sessionStorage.removeItem(KEY);
  window.localStorage.removeItem(KEY);
}
