-- Request and error counts per model version of a deployment over the buckets starting in [from, to).
SELECT model_version_id::text AS "modelVersionId",
       sum(requests)::bigint AS requests,
       sum(errors)::bigint AS errors,
       sum(latency_sum_ms) AS "latencySumMs"
FROM serving_stats_bucket
WHERE deployment_id = $1::uuid
  AND ($2::uuid IS NULL OR model_version_id = $2::uuid)
  AND bucket_start >= $3::timestamptz
  AND bucket_start < $4::timestamptz
GROUP BY model_version_id
