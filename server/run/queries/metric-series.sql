-- Metric points of several runs, for DataLoader batching, capped per run and key.
-- $1 run ids (uuid[]), $2 keys to include (text[]; empty = all), $3 max points per run and key (int).
-- Returns run_id, key, step, value, timestamp ordered by run, key, step.
SELECT run_id::text AS "runId", key, step, value, "timestamp"
FROM (
  SELECT mp.*, row_number() OVER (PARTITION BY mp.run_id, mp.key ORDER BY mp.step DESC, mp.id DESC) AS rank_from_last
  FROM metric_point mp
  WHERE mp.run_id = ANY($1::uuid[]) AND (cardinality($2::text[]) = 0 OR mp.key = ANY($2::text[]))
) ranked
WHERE rank_from_last <= $3
ORDER BY run_id, key, step, "timestamp"
