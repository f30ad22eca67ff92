-- A byte-identical body for the same source is a duplicate whatever its delivery id: a captured request replayed with
-- a fresh id must not become new events. Rows stored before this migration have no hash and are not compared (they
-- may hold such duplicates already, which a backfill would turn into a failed unique index).
ALTER TABLE inbox_messages ADD COLUMN body_sha256 bytea NULL;
CREATE UNIQUE INDEX ux_inbox_source_body_sha256 ON inbox_messages (source, body_sha256);

-- Who did what on the admin surface: replays, bulk replays, source and subscription changes, rotations, relay control.
CREATE TABLE audit_log (
    id             uuid        PRIMARY KEY,
    at             timestamptz NOT NULL,
    actor          text        NOT NULL,
    role           text        NOT NULL,
    action         text        NOT NULL,
    target         text        NULL,
    status_code    integer     NOT NULL,
    client_address text        NULL
);

-- The delivery claim counts each endpoint's deliveries in flight (across instances) against its concurrency cap.
CREATE INDEX ix_deliveries_claimed ON deliveries (claimed_until, subscription_id) WHERE status = 'pending' AND claimed_until IS NOT NULL;
