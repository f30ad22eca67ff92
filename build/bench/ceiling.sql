-- The one-transaction-per-webhook ceiling (kept fixed: the ingest target is a multiple of it).
-- One 2 KB inbox row with a unique key into the real inbox table (same indexes), two outbox rows, one commit.
\set n random(1, 2000000000)
BEGIN;
INSERT INTO inbox_messages (id, source, provider, topic, idempotency_key, content_type, headers, body, correlation_id, client_address, received_at, status)
VALUES (gen_random_uuid(), 'pgbench', 'shopify', 'orders/create', gen_random_uuid()::text || :n, 'application/json',
        '{"x-shopify-topic":"orders/create"}', convert_to(repeat('x', 2048), 'UTF8'), 'bench', '127.0.0.1', now(), 'processed')
ON CONFLICT (source, idempotency_key) DO NOTHING;
INSERT INTO outbox_messages (id, inbox_id, source, event_type, envelope, status, attempts, next_attempt_at, created_at)
VALUES (gen_random_uuid(), NULL, 'pgbench', 'evt.webhook.received', repeat('e', 900), 'published', 1, now(), now());
INSERT INTO outbox_messages (id, inbox_id, source, event_type, envelope, status, attempts, next_attempt_at, created_at)
VALUES (gen_random_uuid(), NULL, 'pgbench', 'evt.webhook.order.created', repeat('e', 600), 'published', 1, now(), now());
COMMIT;
