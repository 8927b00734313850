import type { GraphQLFormattedError } from "graphql";

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

// graphql-js appends its hints last: ` Did you mean "name"?`, ` Did you mean "a", "b", or "c"?`.
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** A message without graphql-js's "Did you mean …?" hints, which spell out schema names. */
export function withoutFieldSuggestions(message: string): string {
  return message.replace(SUGGESTION, "");
}

/**
 * Wraps a formatError so that no error a client sees names a field it did not send. Apollo's
 * `hideSchemaDetailsFromClientErrors` strips hints from validation errors only; variable
 * coercion errors (an unknown input field) carry them too.
 */
export function hidingFieldSuggestions(formatError: FormatError): FormatError {
  return (formatted, error) => {
    const shaped = formatError(formatted, error);
    return { ...shaped, message: withoutFieldSuggestions(shaped.message) };
  };
}
