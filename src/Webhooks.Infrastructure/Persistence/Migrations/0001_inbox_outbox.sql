-- The inbox: every verified webhook exactly as received, unique per (source, idempotency key).
CREATE TABLE inbox_messages (
    id              uuid PRIMARY KEY,
    source          text        NOT NULL,
    provider        text        NOT NULL,
    topic           text        NULL,
    idempotency_key text        NOT NULL,
    content_type    text        NULL,
    headers         jsonb       NOT NULL,
    body            bytea       NOT NULL,
    correlation_id  text        NOT NULL,
    client_address  text        NULL,
    received_at     timestamptz NOT NULL,
    status          text        NOT NULL,
    CONSTRAINT ux_inbox_source_key UNIQUE (source, idempotency_key)
);
-- Keyset paging newest first, overall and per source; retention scans by time.
CREATE INDEX ix_inbox_received ON inbox_messages (received_at DESC, id DESC);
CREATE INDEX ix_inbox_source_received ON inbox_messages (source, received_at DESC, id DESC);

-- The outbox: one row per event; id is the CloudEvent id and the AMQP message id on every publish.
-- No foreign key to the inbox: operational events have no inbox row, and retention removes both sides.
CREATE TABLE outbox_messages (
    id              uuid PRIMARY KEY,
    inbox_id        uuid        NULL,
    source          text        NOT NULL,
    event_type      text        NOT NULL,
    subject         text        NULL,
    correlation_id  text        NULL,
    envelope        text        NOT NULL,
    status          text        NOT NULL DEFAULT 'pending',
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text        NULL,
    errors          jsonb       NOT NULL DEFAULT '[]'::jsonb,
    claimed_by      text        NULL,
    claimed_until   timestamptz NULL,
    created_at      timestamptz NOT NULL,
    published_at    timestamptz NULL
);
-- The relay's claim query walks only what is still to publish.
CREATE INDEX ix_outbox_due ON outbox_messages (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_outbox_inbox ON outbox_messages (inbox_id);
CREATE INDEX ix_outbox_created ON outbox_messages (created_at);

-- Events whose attempts are spent, kept for operators to inspect, replay (same id) or archive.
CREATE TABLE dead_letters (
    id          uuid PRIMARY KEY,
    event_id    uuid        NOT NULL,
    source      text        NOT NULL,
    event_type  text        NOT NULL,
    envelope    text        NOT NULL,
    attempts    integer     NOT NULL,
    errors      jsonb       NOT NULL DEFAULT '[]'::jsonb,
    last_error  text        NULL,
    status      text        NOT NULL DEFAULT 'dead',
    created_at  timestamptz NOT NULL,
    replayed_at timestamptz NULL,
    archived_at timestamptz NULL
);
CREATE INDEX ix_dead_letters_created ON dead_letters (created_at DESC, id DESC);
CREATE INDEX ix_dead_letters_status_created ON dead_letters (status, created_at DESC, id DESC);
CREATE INDEX ix_dead_letters_event ON dead_letters (event_id);
