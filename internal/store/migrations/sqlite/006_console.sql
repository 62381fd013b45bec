-- The console's history of posture snapshots: how many findings each
-- check had in each snapshot, and what each application held from one
-- snapshot to the next (the store keeps only the latest snapshot).

-- Findings per check in each snapshot a source took; rule_id '' counts
-- them all, so that a snapshot without findings is there too.
CREATE TABLE snapshot_findings (
	source   TEXT    NOT NULL,
	taken_ns INTEGER NOT NULL,
	rule_id  TEXT    NOT NULL,
	n        INTEGER NOT NULL,
	PRIMARY KEY (source, taken_ns, rule_id)
);

-- What an application held across snapshots: a credential, a permission
-- or an owner (kind), named by item, from the first snapshot that had it
-- to the last; an item gone and back gets a new row. detail is JSON.
CREATE TABLE app_history (
	source   TEXT    NOT NULL,
	app_id   TEXT    NOT NULL,
	kind     TEXT    NOT NULL,
	item     TEXT    NOT NULL,
	first_ns INTEGER NOT NULL,
	last_ns  INTEGER NOT NULL,
	detail   TEXT    NOT NULL,
	PRIMARY KEY (source, app_id, kind, item, first_ns)
);
CREATE INDEX app_history_by_last ON app_history (source, last_ns);
