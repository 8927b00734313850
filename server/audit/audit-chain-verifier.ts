import { GENESIS_HASH, auditEventHash } from "./audit-chain.js";
import type { ChainedAuditEvent } from "./audit-event.js";

export type AuditChainProblem = "HASH_MISSING" | "SEQUENCE_MISMATCH" | "PREVIOUS_HASH_MISMATCH" | "CONTENT_HASH_MISMATCH";

export interface AuditChainBreak {
  eventId: number;
  sequence: number | null;
  problem: AuditChainProblem;
  expected: string | null;
  actual: string | null;
  message: string;
}

export interface AuditChainVerification {
  ok: boolean;
  /** Events checked, the broken one included. */
  eventsChecked: number;
  firstEventId: number | null;
  /** Last event checked (the broken one when the chain is broken). */
  lastEventId: number | null;
  /** Hash of the last event that verified, to compare with a copy kept elsewhere. */
  headHash: string | null;
  brokenLink: AuditChainBreak | null;
}

/** The link a verification continues from: the event before the range, or the chain's start. */
export interface ChainAnchor {
  eventId: number | null;
  sequence: number;
  hash: string;
}

export const CHAIN_START: ChainAnchor = { eventId: null, sequence: 0, hash: GENESIS_HASH };

/**
 * Walks events in id order and stops at the first link that does not hold: each event must carry
 * the next sequence number, the previous event's hash, and the hash of its own canonical content.
 */
export class AuditChainVerifier {
  private previous: ChainAnchor;
  private checked = 0;
  private firstEventId: number | null = null;
  private lastEventId: number | null = null;
  private headHash: string | null = null;
  private broken: AuditChainBreak | null = null;

  constructor(anchor: ChainAnchor) {
    this.previous = anchor;
  }

  /** Checks the next events; false once a link is broken (later events are not looked at). */
  feed(events: readonly ChainedAuditEvent[]): boolean {
    for (const event of events) {
      if (this.broken) return false;
      this.checked += 1;
      this.firstEventId ??= event.id;
      this.lastEventId = event.id;
      this.broken = this.check(event);
      if (this.broken) return false;
      this.previous = { eventId: event.id, sequence: event.sequence ?? 0, hash: event.hash ?? "" };
      this.headHash = event.hash;
    }
    return true;
  }

  result(): AuditChainVerification {
    return {
      ok: this.broken === null,
      eventsChecked: this.checked,
      firstEventId: this.firstEventId,
      lastEventId: this.lastEventId,
      headHash: this.headHash,
      brokenLink: this.broken,
    };
  }

  private check(event: ChainedAuditEvent): AuditChainBreak | null {
    const at = (problem: AuditChainProblem, expected: string | null, actual: string | null, message: string) => ({
      eventId: event.id,
      sequence: event.sequence,
      problem,
      expected,
      actual,
      message,
    });
    if (event.hash === null || event.prevHash === null || event.sequence === null) {
      return at("HASH_MISSING", null, null, `event ${event.id} carries no sequence number or hash (it was never chained)`);
    }
    const expectedSequence = this.previous.sequence + 1;
    if (event.sequence !== expectedSequence) {
      const why =
        event.sequence > expectedSequence
          ? `sequence numbers ${expectedSequence}..${event.sequence - 1} are missing`
          : "sequence numbers are out of order or repeated";
      return at(
        "SEQUENCE_MISMATCH",
        String(expectedSequence),
        String(event.sequence),
        `event ${event.id} has sequence ${event.sequence}, expected ${expectedSequence}: ${why}`,
      );
    }
    if (event.prevHash !== this.previous.hash) {
      const previous = this.previous.eventId === null ? "the chain's start" : `event ${this.previous.eventId}`;
      return at(
        "PREVIOUS_HASH_MISMATCH",
        this.previous.hash,
        event.prevHash,
        `event ${event.id} does not link to the hash of ${previous}`,
      );
    }
    const contentHash = auditEventHash({ ...event, sequence: event.sequence }, event.prevHash);
    if (contentHash !== event.hash) {
      return at(
        "CONTENT_HASH_MISMATCH",
        contentHash,
        event.hash,
        `event ${event.id}'s content does not match its hash (changed after it was written)`,
      );
    }
    return null;
  }
}
