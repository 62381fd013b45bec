-- The latest tenant snapshot of each posture source, which the next
-- snapshot is compared with. body is the source's own encoding.
CREATE TABLE snapshots (
	source   TEXT    PRIMARY KEY,
	taken_ns BIGINT  NOT NULL,
	body     BYTEA   NOT NULL
);

-- The alerts a source raised, by status: a posture source resolves the
-- findings that went away.
CREATE INDEX alerts_by_source ON alerts (source, status);
