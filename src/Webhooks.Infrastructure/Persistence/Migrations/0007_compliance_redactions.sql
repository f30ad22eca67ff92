-- Shopify's redact requests the gateway has carried out on its own stored copies (one row per request).
CREATE TABLE compliance_redactions (
    inbox_id      uuid PRIMARY KEY,
    source        text        NOT NULL,
    topic         text        NOT NULL,
    redacted_rows integer     NOT NULL,
    processed_at  timestamptz NOT NULL
);

-- The redactor's scan for requests still to carry out walks only the redact requests.
CREATE INDEX ix_inbox_redact_requests ON inbox_messages (received_at)
    WHERE provider = 'shopify' AND topic IN ('customers/redact', 'shop/redact');

-- A stored body as JSON, or NULL when it is not JSON (one unparsable body must not stop a redaction).
CREATE FUNCTION webhooks_body_json(body bytea) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN convert_from(body, 'UTF8')::jsonb;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;
