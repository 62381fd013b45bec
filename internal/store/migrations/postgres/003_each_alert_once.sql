-- Each alert once, whatever order records arrive in and whichever
-- process reads them.

-- The change an alert is about (scan.Change), and the time it happened:
-- an alert of a change that has an alert stored already, close enough in
-- time, is a copy and is not stored. Alerts stored before this step have
-- none. It replaces copy_key, which detectors read back to recognise
-- copies in memory.
ALTER TABLE alerts ADD COLUMN change_key TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN change_ns BIGINT NOT NULL DEFAULT 0;
ALTER TABLE alerts DROP COLUMN copy_key;
CREATE INDEX alerts_by_change ON alerts (change_key, change_ns) WHERE change_key <> '';

-- How far apart in time two alerts of one change are copies (0: at any
-- time). A change whose alerts are copies at any time has one alert,
-- whatever process stores it: the key enforces it.
ALTER TABLE alerts ADD COLUMN change_within_ns BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX alerts_one_per_change ON alerts (change_key) WHERE change_key <> '' AND change_within_ns = 0;

-- The results of each correlation scope, by key and window: a result
-- whose window overlaps one stored before is that result. It outlives
-- the scope's hits.
CREATE TABLE corr_results (
	scope      TEXT    NOT NULL,
	result_key TEXT    NOT NULL,
	start_ns   BIGINT  NOT NULL,
	end_ns     BIGINT  NOT NULL,
	PRIMARY KEY (scope, result_key)
);
CREATE INDEX corr_results_by_end ON corr_results (end_ns);

-- When each hit was stored: hits stay for the lateness allowed after
-- that, whatever the event times seen since.
ALTER TABLE corr_hits ADD COLUMN stored_ns BIGINT NOT NULL DEFAULT 0;
