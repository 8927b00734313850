import { setTimeout as sleep } from "node:timers/promises";

/** A wait that ran out; `within` rejects with it. */
export class DeadlineExceededError extends Error {}

/**
 * Resolves like `promise`, or rejects with DeadlineExceededError after `ms`. The promise itself keeps
 * running (its outcome is then ignored): use it where giving up waiting is safe.
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  const timer = new AbortController();
  promise.catch(() => undefined);
  try {
    return await Promise.race([
      promise,
      sleep(ms, undefined, { signal: timer.signal }).then(() => {
        throw new DeadlineExceededError(`${what} did not answer within ${ms} ms`);
      }),
    ]);
  } finally {
    timer.abort();
  }
}
