import { GraphQLError, GraphQLScalarType } from "graphql";
import { GraphQLDateTimeISO, GraphQLJSONObject } from "graphql-scalars";

/** Free-form JSON object (hyperparameters, metrics, signatures). */
export const JSONObject = GraphQLJSONObject;
const MIN_TIME = Date.UTC(1900, 0, 1);
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Dates outside 1900–9999 are typos, and some (year 0) cannot be stored at all. */
function withinRange(value: unknown): Date {
  const date = value as Date;
  if (!(date instanceof Date) || date.getTime() < MIN_TIME || date.getTime() > MAX_TIME) {
    throw new GraphQLError("DateTime must be between 1900-01-01T00:00:00Z and 9999-12-31T23:59:59Z.", {
      extensions: { code: "BAD_USER_INPUT" },
    });
  }
  return date;
}

const dateTimeISO = GraphQLDateTimeISO.toConfig();

/** ISO-8601 timestamp in UTC (graphql-scalars' DateTimeISO, under the plainer name clients expect). */
export const DateTime = new GraphQLScalarType({
  ...dateTimeISO,
  name: "DateTime",
  description: "An ISO-8601 date-time in UTC between the years 1900 and 9999, e.g. 2026-11-25T16:47:51.000Z.",
  parseValue: (value) => withinRange(dateTimeISO.parseValue?.(value)),
  parseLiteral: (ast, variables) => withinRange(dateTimeISO.parseLiteral?.(ast, variables)),
});

export type JsonObject = Record<string, unknown>;
