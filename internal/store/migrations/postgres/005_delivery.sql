-- Delivery: the outbox of alerts to sinks, their groups and shared state,
-- silences with their audit trail, and why an alert was suppressed.
-- Times are Unix nanoseconds (UTC).

-- Why a suppressed alert is: "policy" (a suppression of the policy file),
-- "silence:ID" or "first-seen"; empty for the others.
ALTER TABLE alerts ADD COLUMN suppressed_by TEXT NOT NULL DEFAULT '';
CREATE INDEX alerts_by_suppressed_by ON alerts (suppressed_by);
-- First-seen suppression looks for an alert of the same rule, app and
-- actor near in time.
CREATE INDEX alerts_by_rule_app_actor ON alerts (rule_id, app_id, actor_id, time_ns);

-- One row per alert and sink that takes it, written with the alert.
CREATE TABLE deliveries (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	alert_key  TEXT    NOT NULL REFERENCES alerts (alert_key) ON DELETE CASCADE,
	sink       TEXT    NOT NULL,
	-- the group the alert joins on a sink that groups, '' otherwise
	grp        TEXT    NOT NULL,
	state      TEXT    NOT NULL CHECK (state IN ('pending', 'sent', 'dead', 'silenced')),
	attempts   INTEGER NOT NULL,
	created_ns BIGINT  NOT NULL,
	-- when the current run of attempts began: created_ns, or when an
	-- operator retried a dead delivery; a delivery still failing long
	-- enough after it is dead
	since_ns   BIGINT  NOT NULL,
	-- not tried again before
	due_ns     BIGINT  NOT NULL,
	-- the process that claimed it, and until when; '' and 0 when unclaimed
	holder     TEXT    NOT NULL,
	lease_ns   BIGINT  NOT NULL,
	-- when it was sent, dead or silenced
	done_ns    BIGINT,
	last_error TEXT    NOT NULL,
	UNIQUE (alert_key, sink)
);
CREATE INDEX deliveries_pending ON deliveries (sink, due_ns) WHERE state = 'pending';
CREATE INDEX deliveries_by_state ON deliveries (state, sink, created_ns);

-- What the processes sending to one sink share: the time of its next
-- message (its rate limit and its pause after failures) and how many
-- attempts in a row failed.
CREATE TABLE delivery_sinks (
	sink       TEXT    PRIMARY KEY,
	next_ns    BIGINT  NOT NULL,
	failures   INTEGER NOT NULL,
	updated_ns BIGINT  NOT NULL
);

-- The groups of sinks that group alerts: when the last message went, the
-- alerts it listed (for repeats), and who is sending the next.
CREATE TABLE delivery_groups (
	sink         TEXT    NOT NULL,
	grp          TEXT    NOT NULL,
	last_sent_ns BIGINT  NOT NULL,
	keys         TEXT    NOT NULL,
	holder       TEXT    NOT NULL,
	lease_ns     BIGINT  NOT NULL,
	PRIMARY KEY (sink, grp)
);

-- Silences: alerts matching every matcher, between created and expiry,
-- are stored suppressed and not delivered.
CREATE TABLE silences (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	matchers   TEXT    NOT NULL,
	reason     TEXT    NOT NULL,
	author     TEXT    NOT NULL,
	created_ns BIGINT  NOT NULL,
	expires_ns BIGINT  NOT NULL,
	expired_by TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX silences_by_expiry ON silences (expires_ns);

-- Who did what to a silence, and when.
CREATE TABLE silence_events (
	seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	silence_id BIGINT  NOT NULL REFERENCES silences (id),
	action     TEXT    NOT NULL CHECK (action IN ('add', 'expire')),
	author     TEXT    NOT NULL,
	at_ns      BIGINT  NOT NULL,
	detail     TEXT    NOT NULL
);
CREATE INDEX silence_events_by_silence ON silence_events (silence_id, seq);
