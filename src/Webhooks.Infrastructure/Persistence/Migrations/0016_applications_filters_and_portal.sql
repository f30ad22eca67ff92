-- Contract v3, tenants, filters and the partner portal: applications own subscriptions; events published to one
-- application fan out to its subscriptions only. What exists belongs to the application 'default'.
CREATE TABLE applications (
    id         uuid        PRIMARY KEY,
    uid        text        NOT NULL UNIQUE,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL
);

INSERT INTO applications (id, uid, name, created_at)
VALUES ('00000000-0000-7000-8000-000000000001', 'default', 'Default', now());

-- Keys that may act for one application (publish, subscriptions, deliveries): only their SHA-256 is kept.
CREATE TABLE application_keys (
    id             uuid        PRIMARY KEY,
    application_id uuid        NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    name           text        NOT NULL,
    key_hash       bytea       NOT NULL UNIQUE,
    hint           text        NOT NULL,
    created_at     timestamptz NOT NULL
);
CREATE INDEX ix_application_keys_application ON application_keys (application_id);

-- Links to the partner portal: the token's SHA-256 only; a revoked or expired link opens nothing and ends the
-- sessions it opened (every portal request checks its link).
CREATE TABLE portal_links (
    id             uuid        PRIMARY KEY,
    application_id uuid        NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    token_hash     bytea       NOT NULL UNIQUE,
    read_only      boolean     NOT NULL,
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz NULL,
    created_at     timestamptz NOT NULL
);
CREATE INDEX ix_portal_links_application ON portal_links (application_id);

ALTER TABLE subscriptions
    ADD COLUMN application_id uuid  NOT NULL DEFAULT '00000000-0000-7000-8000-000000000001' REFERENCES applications (id) ON DELETE CASCADE,
    ADD COLUMN filter         jsonb NULL;
CREATE INDEX ix_subscriptions_application ON subscriptions (application_id) WHERE is_active;

-- The application an outbound event was published to; NULL for the gateway's own events and the inbound-mapped ones,
-- which only subscriptions an operator made can name (they are offered to those of every application).
ALTER TABLE outbound_events ADD COLUMN application_id uuid NULL;
UPDATE outbound_events SET application_id = '00000000-0000-7000-8000-000000000001'
WHERE type NOT LIKE 'evt.gateway.%' AND origin NOT IN ('gateway', 'inbound');
CREATE INDEX ix_outbound_events_application_created ON outbound_events (application_id, created_at DESC);
