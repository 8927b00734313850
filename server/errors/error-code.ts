/** Every `extensions.code` Pedigree sends. Clients may switch on these; they never change meaning. */
export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "FORBIDDEN"
  | "UNAUTHENTICATED"
  | "PAYLOAD_TOO_LARGE"
  | "QUERY_TOO_COMPLEX"
  | "SERVICE_UNAVAILABLE"
  | "INTERNAL_SERVER_ERROR";
