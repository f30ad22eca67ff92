-- Contract v3, de-duplication and topics. A byte-identical body is a duplicate for the same source and the same topic
-- (or event type): the same bytes under orders/create and orders/paid are two deliveries. (The index is built in the
-- migration's transaction: on a very large inbox, run the migration before the instances start.)
DROP INDEX IF EXISTS ux_inbox_source_body_sha256;
CREATE UNIQUE INDEX ux_inbox_source_topic_body_sha256 ON inbox_messages (source, coalesce(topic, ''), body_sha256);

-- The hashes outlive the bodies: when retention removes an inbox row, its hash is kept here (retention plus 30 days),
-- so a captured request cannot be replayed into new events once the original is gone.
CREATE TABLE retired_body_hashes (
    source      text        NOT NULL,
    topic       text        NOT NULL,   -- '' where the delivery had none
    body_sha256 bytea       NOT NULL,
    inbox_id    uuid        NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (source, topic, body_sha256)
);
CREATE INDEX ix_retired_body_hashes_received ON retired_body_hashes (received_at);
