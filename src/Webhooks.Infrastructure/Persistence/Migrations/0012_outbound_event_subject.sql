-- The subscription a gateway event is about (an alert on it, its disabling): never delivered to that subscription,
-- neither when it is fanned out nor when an operator replays the subscription's missed events.
ALTER TABLE outbound_events ADD COLUMN about_subscription uuid NULL;
