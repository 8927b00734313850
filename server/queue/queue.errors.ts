import { PedigreeError } from "../errors/pedigree-error.js";

/** The queue store (Redis, or Postgres for BullMQ) cannot take work right now; reads still work. */
export class QueueUnavailableError extends PedigreeError {
  constructor(queue: string) {
    super(
      "SERVICE_UNAVAILABLE",
      `Work cannot be queued right now: the "${queue}" queue is unavailable. Reads still work; try again when the queue store is back.`,
      { details: { queue } },
    );
  }
}
