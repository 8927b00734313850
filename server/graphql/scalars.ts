import { GraphQLDateTimeISO, GraphQLJSONObject } from "graphql-scalars";

/** Free-form JSON object (hyperparameters, metrics, signatures). */
export const JSONObject = GraphQLJSONObject;
/** ISO-8601 timestamp in UTC. */
export const DateTime = GraphQLDateTimeISO;

export type JsonObject = Record<string, unknown>;
