-- The first schema of the watch store. Times are Unix nanoseconds (UTC).

-- Alerts, once per alert_key. body is the alert-contract JSON.
CREATE TABLE alerts (
	seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	alert_key     TEXT    NOT NULL UNIQUE,
	rule_id       TEXT    NOT NULL,
	guide_row     TEXT    NOT NULL,
	level         TEXT    NOT NULL,
	level_rank    INTEGER NOT NULL,
	time_ns       BIGINT,
	tenant_id     TEXT    NOT NULL,
	app_id        TEXT    NOT NULL,
	actor_id      TEXT    NOT NULL,
	status        TEXT    NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved', 'suppressed')),
	first_seen_ns BIGINT  NOT NULL,
	source        TEXT    NOT NULL,
	-- names the change the alert's record describes, for recognising
	-- the alerts of its other records (event.Event.CopyKey)
	copy_key      TEXT    NOT NULL,
	body          TEXT    NOT NULL
);
CREATE INDEX alerts_by_time ON alerts (time_ns, seq);
CREATE INDEX alerts_by_first_seen ON alerts (first_seen_ns);
CREATE INDEX alerts_by_row ON alerts (guide_row, time_ns);
CREATE INDEX alerts_by_status ON alerts (status, time_ns);

-- How far each stream of each source has been stored.
CREATE TABLE positions (
	source     TEXT    NOT NULL,
	stream     TEXT    NOT NULL,
	position   TEXT    NOT NULL,
	updated_ns BIGINT  NOT NULL,
	PRIMARY KEY (source, stream)
);

-- Records that could not be decoded, once per place in their stream.
CREATE TABLE rejected (
	seq      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	source   TEXT    NOT NULL,
	stream   TEXT    NOT NULL,
	position TEXT    NOT NULL,
	reason   TEXT    NOT NULL,
	message  TEXT    NOT NULL,
	head     BYTEA   NOT NULL,
	at_ns    BIGINT  NOT NULL,
	UNIQUE (source, stream, position)
);
CREATE INDEX rejected_by_at ON rejected (at_ns);

-- Record ids a source has read, for sources that read records again
-- (Graph's overlap window).
CREATE TABLE seen (
	source     TEXT    NOT NULL,
	record_id  TEXT    NOT NULL,
	expires_ns BIGINT  NOT NULL,
	PRIMARY KEY (source, record_id)
);
CREATE INDEX seen_by_expiry ON seen (expires_ns);

-- What each source has read, counted in the batch transactions.
CREATE TABLE source_counts (
	source     TEXT    PRIMARY KEY,
	records    BIGINT  NOT NULL,
	events     BIGINT  NOT NULL,
	skipped    BIGINT  NOT NULL,
	rejected   BIGINT  NOT NULL,
	alerts     BIGINT  NOT NULL,
	updated_ns BIGINT  NOT NULL
);

-- Correlation state: one scope per correlation rule and group, with the
-- hits its windows may still use.
CREATE TABLE corr_scopes (
	scope      TEXT    PRIMARY KEY,
	corr_rule  TEXT    NOT NULL,
	dirty      BOOLEAN NOT NULL,
	updated_ns BIGINT  NOT NULL
);
CREATE INDEX corr_scopes_dirty ON corr_scopes (updated_ns) WHERE dirty;

CREATE TABLE corr_hits (
	scope    TEXT    NOT NULL REFERENCES corr_scopes (scope) ON DELETE CASCADE,
	hit_key  TEXT    NOT NULL,
	rule_id  TEXT    NOT NULL,
	time_ns  BIGINT  NOT NULL,
	grp      TEXT    NOT NULL,
	value    TEXT,
	ref      TEXT    NOT NULL,
	PRIMARY KEY (scope, hit_key)
);
CREATE INDEX corr_hits_by_time ON corr_hits (time_ns);

-- Work one process at a time does (Graph polling, posture, pruning).
CREATE TABLE leases (
	name       TEXT    PRIMARY KEY,
	holder     TEXT    NOT NULL,
	expires_ns BIGINT  NOT NULL
);
