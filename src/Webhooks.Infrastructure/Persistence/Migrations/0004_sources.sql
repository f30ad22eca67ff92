-- Sources managed at run time. Configured sources are seeded here at start-up; every instance reads this table.
CREATE TABLE sources (
    name        text PRIMARY KEY,
    provider    text        NOT NULL,
    settings    jsonb       NOT NULL,  -- SourceOptions without secrets
    origin      text        NOT NULL,  -- 'configuration' or 'api'
    config_hash text        NULL,      -- fingerprint of the configured definition last seeded (encrypted)
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- Secrets encrypted with ASP.NET Core Data Protection; hint is at most the last 4 characters.
CREATE TABLE source_secrets (
    id          uuid PRIMARY KEY,
    source_name text        NOT NULL REFERENCES sources (name) ON DELETE CASCADE,
    protected   text        NOT NULL,
    hint        text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NULL
);
CREATE INDEX ix_source_secrets_source ON source_secrets (source_name, created_at);

-- Bumped in the same transaction as every change, so each instance notices a change with one cheap read.
CREATE TABLE source_catalog_version (
    id      int PRIMARY KEY CHECK (id = 1),
    version bigint NOT NULL
);
INSERT INTO source_catalog_version (id, version) VALUES (1, 0);

-- The Data Protection key ring, shared by every instance (secrets at rest, anti-forgery tokens).
CREATE TABLE data_protection_keys (
    id            bigserial PRIMARY KEY,
    friendly_name text        NOT NULL UNIQUE,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
