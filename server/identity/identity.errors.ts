import { PedigreeError } from "../errors/pedigree-error.js";

/** Why a presented credential was refused; clients may switch on it. */
export type UnauthenticatedReason = "MISSING" | "MALFORMED" | "UNKNOWN" | "EXPIRED" | "REVOKED" | "DISABLED";

const MESSAGES: Record<UnauthenticatedReason, string> = {
  MISSING: "This operation needs an API token: send `Authorization: Bearer <token>`.",
  MALFORMED: "The credential is malformed: send `Authorization: Bearer pdg_…` with a token Pedigree issued.",
  UNKNOWN: "The API token is not recognized.",
  EXPIRED: "The API token has expired.",
  REVOKED: "The API token has been revoked.",
  DISABLED: "The user of this API token is disabled.",
};

/**
 * A missing or unusable credential (HTTP 401, WebSocket close 4401). The reason says what is wrong
 * with the token presented, never anything about other tokens or users.
 */
export class UnauthenticatedError extends PedigreeError {
  readonly reason: UnauthenticatedReason;

  constructor(reason: UnauthenticatedReason) {
    super("UNAUTHENTICATED", MESSAGES[reason], { details: { reason } });
    this.reason = reason;
  }
}

/** The caller is known but may not do this. */
export class IdentityForbiddenError extends PedigreeError {
  constructor(message: string) {
    super("FORBIDDEN", message);
  }
}
