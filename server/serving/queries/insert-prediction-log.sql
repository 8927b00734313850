-- One statement per batch of sampled predictions; ids come from the serving process (they were
-- returned to callers as predictionId), so a retried batch writes each row once.
INSERT INTO prediction_log (id, deployment_id, model_version_id, requested_at, inputs, outputs, latency_ms, error)
SELECT id, deployment_id, model_version_id, requested_at, inputs, outputs, latency_ms, error
FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::timestamptz[], $5::jsonb[], $6::jsonb[], $7::float8[], $8::text[])
  AS t(id, deployment_id, model_version_id, requested_at, inputs, outputs, latency_ms, error)
ON CONFLICT (id) DO NOTHING
