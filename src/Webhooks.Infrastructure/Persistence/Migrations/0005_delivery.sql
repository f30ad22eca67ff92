-- Outbound delivery: subscribers' endpoints, the events to send them, each delivery and every attempt.
CREATE TABLE subscriptions (
    id                   uuid PRIMARY KEY,
    url                  text        NOT NULL,
    events               text[]      NOT NULL,   -- exact types or patterns: 'order.*', '*'
    description          text        NULL,
    is_active            boolean     NOT NULL,
    headers              jsonb       NOT NULL DEFAULT '{}'::jsonb,
    retry_count          integer     NOT NULL,
    timeout_seconds      integer     NOT NULL,
    signature_scheme     text        NOT NULL,   -- 'standard' or 'legacy'
    include_inbound      boolean     NOT NULL DEFAULT false,
    success_count        bigint      NOT NULL DEFAULT 0,
    failure_count        bigint      NOT NULL DEFAULT 0,
    consecutive_failures integer     NOT NULL DEFAULT 0,
    failing_since        timestamptz NULL,
    last_triggered_at    timestamptz NULL,
    last_error           text        NULL,
    disabled_at          timestamptz NULL,
    disabled_reason      text        NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL
);
CREATE INDEX ix_subscriptions_active ON subscriptions (is_active, id);

CREATE TABLE subscription_secrets (
    id              uuid PRIMARY KEY,
    subscription_id uuid        NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    protected       text        NOT NULL,
    hint            text        NOT NULL,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NULL
);
CREATE INDEX ix_subscription_secrets_sub ON subscription_secrets (subscription_id, created_at);

-- One row per event taken in (HTTP, webhooks.outbound, or opted-in inbound events); its id makes intake idempotent.
CREATE TABLE outbound_events (
    id           text PRIMARY KEY,
    type         text        NOT NULL,
    data         jsonb       NOT NULL,
    origin       text        NOT NULL,   -- 'http', 'amqp', 'inbound'
    fanned_out   integer     NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX ix_outbound_events_created ON outbound_events (created_at);

-- One row per (event, subscription): its id is the message id (webhook-id), the same on every attempt.
CREATE TABLE deliveries (
    id              uuid PRIMARY KEY,
    event_id        text        NOT NULL REFERENCES outbound_events (id) ON DELETE CASCADE,
    subscription_id uuid        NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    event_type      text        NOT NULL,
    status          text        NOT NULL,   -- pending, succeeded, dead
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    claimed_by      text        NULL,
    claimed_until   timestamptz NULL,
    last_status     integer     NULL,
    last_error      text        NULL,
    created_at      timestamptz NOT NULL,
    completed_at    timestamptz NULL,
    CONSTRAINT ux_deliveries_event_subscription UNIQUE (event_id, subscription_id)
);
CREATE INDEX ix_deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX ix_deliveries_subscription ON deliveries (subscription_id, status, created_at);

-- Every attempt, and every test send, as the subscription's log.
CREATE TABLE delivery_attempts (
    id               uuid PRIMARY KEY,
    subscription_id  uuid        NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
    delivery_id      uuid        NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    event            text        NOT NULL,
    attempt          integer     NOT NULL,
    status_code      integer     NULL,
    response_time_ms integer     NOT NULL,
    response_body    text        NULL,
    error            text        NULL,
    created_at       timestamptz NOT NULL
);
CREATE INDEX ix_delivery_attempts_sub ON delivery_attempts (subscription_id, id DESC);
