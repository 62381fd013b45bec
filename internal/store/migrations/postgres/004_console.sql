-- The web console: triage state and facets of alerts, the records alerts
-- were raised on, the audit trail of what people did, local accounts,
-- sign-in sessions and when data last arrived from each source.

-- Columns the console filters, sorts and groups alerts by. sort_ns is
-- the activity time, or when the alert was stored for alerts without
-- one (posture findings), so that every alert has a place in the list.
ALTER TABLE alerts ADD COLUMN sort_ns BIGINT  NOT NULL DEFAULT 0;
ALTER TABLE alerts ADD COLUMN outside_hours BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE alerts ADD COLUMN event_id TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN correlation_id TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN app_name TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN actor_name TEXT NOT NULL DEFAULT '';
-- Triage: who the alert is assigned to, the verdict it was resolved
-- with (true-positive, benign, false-positive) and when people last
-- changed it.
ALTER TABLE alerts ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN triaged_ns BIGINT;
UPDATE alerts SET
	sort_ns = COALESCE(time_ns, first_seen_ns),
	outside_hours = COALESCE((body::jsonb ->> 'outside_business_hours')::boolean, FALSE),
	event_id = COALESCE(body::jsonb ->> 'event_id', ''),
	correlation_id = COALESCE(body::jsonb ->> 'correlation_id', ''),
	app_name = COALESCE(body::jsonb -> 'target' ->> 'name', ''),
	actor_name = COALESCE(body::jsonb -> 'actor' ->> 'upn', body::jsonb -> 'actor' ->> 'name', actor_id);
CREATE INDEX alerts_by_sort ON alerts (sort_ns, seq);
CREATE INDEX alerts_by_status_sort ON alerts (status, sort_ns, seq);
CREATE INDEX alerts_by_row_sort ON alerts (guide_row, sort_ns, seq);
CREATE INDEX alerts_by_app_sort ON alerts (app_id, sort_ns, seq);
CREATE INDEX alerts_by_event ON alerts (event_id) WHERE event_id <> '';
CREATE INDEX alerts_by_correlation ON alerts (correlation_id) WHERE correlation_id <> '';
-- Every facet the console counts alerts by, in the order it groups them,
-- and the time they sort by: the counts read this index, not the alerts.
CREATE INDEX alerts_facets ON alerts (status, level, guide_row, tenant_id, app_id, actor_id, outside_hours, app_name, actor_name, sort_ns);

-- The record each alert was raised on, as appwatch read it (the
-- normalized event, JSON), kept as long as its alert.
CREATE TABLE alert_records (
	alert_key TEXT PRIMARY KEY REFERENCES alerts (alert_key) ON DELETE CASCADE,
	record    TEXT NOT NULL
);

-- The records behind correlation alerts, by event id, both ways.
CREATE TABLE alert_events (
	alert_key TEXT NOT NULL REFERENCES alerts (alert_key) ON DELETE CASCADE,
	event_id  TEXT NOT NULL,
	PRIMARY KEY (alert_key, event_id)
);
CREATE INDEX alert_events_by_event ON alert_events (event_id);

-- Everything people did: triage actions, sign-ins refused. (Silences
-- keep their own trail, silence_events.)
-- detail is JSON. Kept when the alerts it names are pruned.
CREATE TABLE audit_log (
	seq       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at_ns     BIGINT  NOT NULL,
	user_id   TEXT    NOT NULL,
	user_name TEXT    NOT NULL,
	action    TEXT    NOT NULL,
	alert_key TEXT    NOT NULL,
	detail    TEXT    NOT NULL
);
CREATE INDEX audit_by_alert ON audit_log (alert_key, seq);

-- Local accounts, for installations without Entra ID sign-in. hash is
-- an argon2id hash in the PHC string format.
CREATE TABLE users (
	name       TEXT    PRIMARY KEY,
	hash       TEXT    NOT NULL,
	role       TEXT    NOT NULL,
	updated_ns BIGINT  NOT NULL
);

-- Signed-in sessions, by the SHA-256 of the session cookie's value.
CREATE TABLE sessions (
	id_hash    TEXT    PRIMARY KEY,
	user_id    TEXT    NOT NULL,
	user_name  TEXT    NOT NULL,
	role       TEXT    NOT NULL,
	csrf       TEXT    NOT NULL,
	lang       TEXT    NOT NULL,
	created_ns BIGINT  NOT NULL,
	seen_ns    BIGINT  NOT NULL,
	expires_ns BIGINT  NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_ns);

-- Sign-ins with Entra ID under way, by the SHA-256 of their state.
CREATE TABLE oidc_logins (
	state_hash TEXT    PRIMARY KEY,
	nonce      TEXT    NOT NULL,
	verifier   TEXT    NOT NULL,
	return_to  TEXT    NOT NULL,
	expires_ns BIGINT  NOT NULL
);

-- Each user's choices (the language), kept across sessions.
CREATE TABLE user_prefs (
	user_id    TEXT    PRIMARY KEY,
	lang       TEXT    NOT NULL,
	updated_ns BIGINT  NOT NULL
);

-- When data last arrived from each source, per kind of log (kind ''
-- counts every record), and the usual time between arrivals: an
-- average of the pauses longer than a minute.
CREATE TABLE arrivals (
	source   TEXT    NOT NULL,
	kind     TEXT    NOT NULL,
	first_ns BIGINT  NOT NULL,
	last_ns  BIGINT  NOT NULL,
	batches  BIGINT  NOT NULL,
	records  BIGINT  NOT NULL,
	gap_ns   BIGINT  NOT NULL,
	PRIMARY KEY (source, kind)
);
