-- Ingest outcomes per source and minute, added to by every instance: the rejection-rate alerts, the per-minute
-- rejection summaries and the dashboard's charts read them (metrics are per process; these are for the whole service).
CREATE TABLE ingest_minutes (
    minute  timestamptz NOT NULL,
    source  text        NOT NULL,
    outcome text        NOT NULL,
    count   bigint      NOT NULL,
    PRIMARY KEY (minute, source, outcome)
);

-- Up to five client addresses per (minute, source) whose deliveries were rejected, and which (minute, source) pairs
-- were already summarised as evt.gateway.rejected (one event per source per minute, never one per request).
CREATE TABLE rejection_samples (
    minute  timestamptz NOT NULL,
    source  text        NOT NULL,
    address text        NOT NULL,
    PRIMARY KEY (minute, source, address)
);
CREATE TABLE rejection_reports (
    minute timestamptz NOT NULL,
    source text        NOT NULL,
    PRIMARY KEY (minute, source)
);

-- Alerts: opened → acknowledged → resolved. At most one active alert per (kind, subject).
CREATE TABLE alerts (
    id              uuid             PRIMARY KEY,
    kind            text             NOT NULL,
    subject         text             NOT NULL,
    severity        text             NOT NULL,
    status          text             NOT NULL,
    value           double precision NOT NULL,
    threshold       double precision NOT NULL,
    window_seconds  integer          NOT NULL,
    opened_at       timestamptz      NOT NULL,
    acknowledged_at timestamptz      NULL,
    resolved_at     timestamptz      NULL,
    clear_since     timestamptz      NULL,
    updated_at      timestamptz      NOT NULL
);
CREATE UNIQUE INDEX ux_alerts_active ON alerts (kind, subject) WHERE status <> 'resolved';
CREATE INDEX ix_alerts_status_id ON alerts (status, id DESC);
