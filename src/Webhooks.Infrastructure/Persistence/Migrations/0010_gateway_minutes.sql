-- The gateway's own figures per minute, for the alerts and the dashboard's charts of the last day (metrics are per
-- process and kept by no one here; these are for the whole service). Counts and sums are added to by every instance;
-- levels (backlog, paused, broker down, slowest publish) keep the highest any instance saw in that minute.
CREATE TABLE gateway_minutes (
    minute timestamptz      NOT NULL,
    metric text             NOT NULL,
    value  double precision NOT NULL,
    PRIMARY KEY (minute, metric)
);
