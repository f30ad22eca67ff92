-- Contract v3, partners who receive outbound webhooks keep their receivers: a subscription's own User-Agent,
-- X-Webhook-Version, retry schedule (seconds; replaces the default and retry_count) and what is retried.
ALTER TABLE subscriptions
    ADD COLUMN user_agent     text      NULL,
    ADD COLUMN api_version    text      NULL,
    ADD COLUMN retry_schedule integer[] NULL,
    ADD COLUMN retry_on       text      NOT NULL DEFAULT 'retryable';   -- 'retryable' or 'any_non_2xx'

-- When the event occurred (its envelope's timestamp on every attempt); NULL: when it was taken in (created_at).
ALTER TABLE outbound_events ADD COLUMN occurred_at timestamptz NULL;

-- A test send's body (a delivery's is rebuilt from its event: the same on every attempt but for the attempt number).
ALTER TABLE delivery_attempts ADD COLUMN payload text NULL;

-- Failed deliveries are worked like dead letters: delivered (was 'succeeded'), dead, archived.
UPDATE deliveries SET status = 'delivered' WHERE status = 'succeeded';
ALTER TABLE deliveries ADD COLUMN archived_at timestamptz NULL;
CREATE INDEX ix_deliveries_status_id ON deliveries (status, id DESC);

-- Bulk jobs of two kinds: replays of relay dead letters, retries of dead deliveries.
ALTER TABLE replay_jobs ADD COLUMN kind text NOT NULL DEFAULT 'dead-letters';
