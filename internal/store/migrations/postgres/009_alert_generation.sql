-- The generation of the alerts: every transaction that stores or deletes
-- alerts, or changes their status or assignee, adds one to it as the
-- last thing it does before it commits. Readers that keep something
-- computed from the alerts (the console's counts by facet) keep it while
-- the generation stays the same, whichever process changed the alerts.
CREATE TABLE alert_generation (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	n  BIGINT  NOT NULL
);
INSERT INTO alert_generation (id, n) VALUES (1, 0);
