import { GraphQLScalarType } from "graphql";
import { GraphQLDateTimeISO, GraphQLJSONObject } from "graphql-scalars";

/** Free-form JSON object (hyperparameters, metrics, signatures). */
export const JSONObject = GraphQLJSONObject;
/** ISO-8601 timestamp in UTC (graphql-scalars' DateTimeISO, under the plainer name clients expect). */
export const DateTime = new GraphQLScalarType({
  ...GraphQLDateTimeISO.toConfig(),
  name: "DateTime",
  description: "An ISO-8601 date-time in UTC, e.g. 2026-11-25T16:47:51.000Z.",
});

export type JsonObject = Record<string, unknown>;
