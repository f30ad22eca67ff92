-- The delivery claim takes each endpoint's next due deliveries from here, a few per endpoint, instead of sorting the
-- whole due backlog on every claim: a claim then costs what the endpoints cost, not what the backlog does.
CREATE INDEX ix_deliveries_subscription_due ON deliveries (subscription_id, next_attempt_at) WHERE status = 'pending';

-- Every change to sources or their secrets bumps the catalog version in its own transaction, however it is written
-- (the admin use cases through EF, the start-up seeding in SQL), so no writer can forget to and every instance
-- notices the change on its next poll.
CREATE FUNCTION bump_source_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE source_catalog_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;
CREATE TRIGGER sources_changed AFTER INSERT OR UPDATE OR DELETE ON sources
    FOR EACH STATEMENT EXECUTE FUNCTION bump_source_catalog_version();
CREATE TRIGGER source_secrets_changed AFTER INSERT OR UPDATE OR DELETE ON source_secrets
    FOR EACH STATEMENT EXECUTE FUNCTION bump_source_catalog_version();
