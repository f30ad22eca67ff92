-- The delivery claim takes each endpoint's next due deliveries from here, a few per endpoint, instead of sorting the
-- whole due backlog on every claim: a claim then costs what the endpoints cost, not what the backlog does.
CREATE INDEX ix_deliveries_subscription_due ON deliveries (subscription_id, next_attempt_at) WHERE status = 'pending';
