-- Appends a batch of metric points to one run in a single statement.
-- $1 run id (uuid), $2 keys (text[]), $3 values (float8[]), $4 steps (int[]), $5 timestamps (timestamptz[]);
-- the arrays are parallel. Returns nothing.
INSERT INTO metric_point (run_id, key, value, step, "timestamp")
SELECT $1::uuid, point.key, point.value, point.step, point.ts
FROM unnest($2::text[], $3::float8[], $4::int[], $5::timestamptz[]) AS point(key, value, step, ts)
