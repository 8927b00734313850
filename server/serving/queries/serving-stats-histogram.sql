-- The latency histogram per model version of a deployment over the buckets starting in [from, to),
-- as (model version, 1-based bucket index, count) rows.
SELECT b.model_version_id::text AS "modelVersionId",
       u.i::int AS "index",
       sum(u.c)::bigint AS "count"
FROM serving_stats_bucket b,
     unnest(b.latency_counts) WITH ORDINALITY AS u(c, i)
WHERE b.deployment_id = $1::uuid
  AND ($2::uuid IS NULL OR b.model_version_id = $2::uuid)
  AND b.bucket_start >= $3::timestamptz
  AND b.bucket_start < $4::timestamptz
GROUP BY b.model_version_id, u.i
