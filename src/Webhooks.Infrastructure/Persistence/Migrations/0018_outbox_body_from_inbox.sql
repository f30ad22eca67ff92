-- A webhook's body is stored once, in its inbox row. The evt.webhook.received envelope of a JSON body is stored
-- without its data.payload; payload_at is where the relay puts ,"payload":<the inbox body> back when it publishes
-- (a UTF-16 index into envelope). NULL: the envelope is complete as stored.
ALTER TABLE outbox_messages ADD COLUMN payload_at integer NULL;
