-- Adds one flush's counts to their buckets: counters add, histograms add element by element.
-- The caller sends each (deployment, model version, bucket) once per statement.
INSERT INTO serving_stats_bucket AS s
  (deployment_id, model_version_id, bucket_start, requests, errors, latency_sum_ms, latency_counts)
SELECT deployment_id, model_version_id, bucket_start, requests, errors, latency_sum_ms, latency_counts::int[]
FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::int[], $5::int[], $6::float8[], $7::text[])
  AS t(deployment_id, model_version_id, bucket_start, requests, errors, latency_sum_ms, latency_counts)
ON CONFLICT (deployment_id, model_version_id, bucket_start) DO UPDATE SET
  requests = s.requests + EXCLUDED.requests,
  errors = s.errors + EXCLUDED.errors,
  latency_sum_ms = s.latency_sum_ms + EXCLUDED.latency_sum_ms,
  latency_counts = ARRAY(
    SELECT coalesce(a, 0) + coalesce(b, 0)
    FROM unnest(s.latency_counts, EXCLUDED.latency_counts) WITH ORDINALITY AS u(a, b, i)
    ORDER BY i
  )
