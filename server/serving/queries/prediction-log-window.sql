-- Logged predictions of a deployment in [from, to), optionally of one model version, newest first.
SELECT id::text AS "id",
       deployment_id::text AS "deploymentId",
       model_version_id::text AS "modelVersionId",
       requested_at AS "requestedAt",
       inputs,
       outputs,
       latency_ms AS "latencyMs",
       error
FROM prediction_log
WHERE deployment_id = $1::uuid
  AND ($2::uuid IS NULL OR model_version_id = $2::uuid)
  AND requested_at >= $3::timestamptz
  AND requested_at < $4::timestamptz
ORDER BY requested_at DESC, id
LIMIT $5
