-- Audit hash chain: a gap-free sequence number per event (the chain position; ids may have gaps
-- from rolled-back transactions), unique so that two writers can never fork the chain.
ALTER TABLE "audit_event" ADD COLUMN "sequence" BIGINT;
CREATE UNIQUE INDEX "audit_event_sequence_key" ON "audit_event"("sequence");

-- The audit trail is append-only: changing or removing an event must go through disabling this
-- trigger (a table owner's deliberate act), which verifyAuditChain then exposes.
CREATE FUNCTION "audit_event_reject_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'Audit events can only be inserted.';
END;
$$;

CREATE TRIGGER "audit_event_append_only"
  BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_reject_change"();

CREATE TRIGGER "audit_event_no_truncate"
  BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_reject_change"();
