-- Bulk replays of dead letters, run as durable background jobs; progress survives restarts.
CREATE TABLE replay_jobs (
    id                uuid PRIMARY KEY,
    filter            jsonb       NOT NULL,
    status            text        NOT NULL,
    total             bigint      NOT NULL,
    processed         bigint      NOT NULL DEFAULT 0,
    cursor_created_at timestamptz NULL,
    cursor_id         uuid        NULL,
    created_at        timestamptz NOT NULL,
    started_at        timestamptz NULL,
    finished_at       timestamptz NULL,
    error             text        NULL
);

-- Admin lists page by id (UUIDv7, so newest first) within a filter: these keep a filtered page an index walk.
CREATE INDEX ix_inbox_source_id ON inbox_messages (source, id DESC);
CREATE INDEX ix_inbox_status_id ON inbox_messages (status, id DESC);
CREATE INDEX ix_dead_letters_status_id ON dead_letters (status, id);
CREATE INDEX ix_dead_letters_source_status_id ON dead_letters (source, status, id);
