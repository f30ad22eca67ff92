-- Contract v3, providers that never retry: what a source's backfill calls its provider's API with (a GitHub token, an
-- app's private key, a Stripe API key), encrypted with Data Protection like the signing secrets; hint is at most the
-- last 4 characters. One of each name per source.
CREATE TABLE source_credentials (
    id          uuid PRIMARY KEY,
    source_name text        NOT NULL REFERENCES sources (name) ON DELETE CASCADE,
    name        text        NOT NULL,   -- 'token', 'api_key', 'private_key'
    protected   text        NOT NULL,
    hint        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NULL,
    UNIQUE (source_name, name)
);

-- Each source's backfill: the lease of a run in progress (one instance at a time; leased_by names the process holding
-- it, so that process takes over a lease its own run left behind when the database went away), where the last complete run started
-- (the next looks back from there less the overlap), a provider's rate-limit pause, the last run's figures and the
-- failures in a row the backfill_failing alert is judged by.
CREATE TABLE backfill_state (
    source               text PRIMARY KEY REFERENCES sources (name) ON DELETE CASCADE,
    leased_until         timestamptz NULL,
    leased_by            uuid        NULL,
    last_run_at          timestamptz NULL,
    last_finished_at     timestamptz NULL,
    last_outcome         text        NULL,   -- succeeded, incomplete, rate_limited, failed
    last_error           text        NULL,
    found                integer     NOT NULL DEFAULT 0,
    recovered            integer     NOT NULL DEFAULT 0,
    skipped              integer     NOT NULL DEFAULT 0,
    failed_runs_in_a_row integer     NOT NULL DEFAULT 0,
    covered_until        timestamptz NULL,
    paused_until         timestamptz NULL,
    runs                 bigint      NOT NULL DEFAULT 0,
    recovered_total      bigint      NOT NULL DEFAULT 0
);

-- GitHub deliveries the gateway asked to redeliver, so each is asked once; kept a day past the lookback.
CREATE TABLE backfill_redeliveries (
    source       text        NOT NULL,
    guid         text        NOT NULL,
    delivery_id  bigint      NOT NULL,
    requested_at timestamptz NOT NULL,
    PRIMARY KEY (source, guid)
);
CREATE INDEX ix_backfill_redeliveries_requested ON backfill_redeliveries (requested_at);

-- The schedule every instance's scheduler claims each run from, so a run happens once across instances: the run is
-- due at due_at; claimed_at is when the latest run was claimed (a run after an outage is claimed once, too).
CREATE TABLE backfill_schedule (
    id         int PRIMARY KEY CHECK (id = 1),
    due_at     timestamptz NOT NULL,
    claimed_at timestamptz NULL
);
INSERT INTO backfill_schedule (id, due_at) VALUES (1, '-infinity');
