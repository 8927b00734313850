import type { Prisma } from "../../prisma/generated/client.js";
import type { Database } from "./database.js";

/** An open transaction; passed from a service to the repositories it calls. */
export type Transaction = Prisma.TransactionClient;

const RETRYABLE_CODES = new Set([
  "P2002", // unique violation: a concurrent writer took the natural key first; re-read and retry
  "P2034", // write conflict or deadlock
]);

function prismaCode(error: unknown): string | undefined {
  if (typeof error === "object" && error !== null && "code" in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === "string" ? code : undefined;
  }
  return undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return prismaCode(error) === "P2002";
}

/**
 * Runs `work` in one transaction. A unique-constraint race or write conflict is retried (the
 * work re-reads and finds the winner's row), so idempotent registrations stay idempotent under
 * concurrency.
 */
export async function runInTransaction<T>(db: Database, work: (tx: Transaction) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.prisma.$transaction(work, { maxWait: 10_000, timeout: 30_000 });
    } catch (error) {
      const code = prismaCode(error);
      if (attempt >= attempts || !code || !RETRYABLE_CODES.has(code)) throw error;
      // Jittered backoff so that racing writers do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
