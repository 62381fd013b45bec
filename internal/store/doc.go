// Package store keeps what appwatch watch must not lose: stored alerts,
// the position reached in each source stream, records that could not be
// decoded, record ids already seen, correlation state, leases and the
// latest tenant snapshot of each posture source. It runs on SQLite
// (sqlite:PATH, embedded, one process) and PostgreSQL (postgres://...,
// shared by several processes) with one logical schema, kept by
// migrations embedded per dialect.
//
// What it guarantees:
//
//   - Commit stores a batch's alerts, rejected records, correlation hits,
//     counts and new source positions in one transaction: after a crash
//     either all of a batch is stored or none of it, so a source position
//     never moves past a record whose alerts were not stored.
//   - A position checked against the one its batch was read from
//     (Position.Check) never moves back: a batch read from a position
//     that another process has moved on from is not stored at all, so
//     its records are not counted twice.
//   - Alerts are stored once per alert key: storing the same key again,
//     from a retried batch, a restarted process or another instance, is a
//     no-op that keeps the first copy. Rejected records and correlation
//     hits are stored once per key in the same way.
//   - Alerts are stored once per change (Alert.Change): the alert of
//     another record of a change already alerted on, close in time, is a
//     copy and is not stored. Copies are decided in the batch's
//     transaction, with the change locked against other processes, so
//     two processes storing two records of one change at once store one
//     alert. A change whose alerts are copies at any time has a unique
//     key in the alerts table (alerts_one_per_change).
//   - Evaluate runs correlation groups, each locked against the other
//     processes sharing the store, and stores their results, the hits they
//     no longer need and the hits they file in outer correlations in one
//     transaction. It hands the evaluation the results the group stored
//     before, with their windows, so that a result found again, however
//     its hits arrived, keeps its key. A group changed by a commit stays
//     marked dirty until it has been evaluated, so a crash between the two
//     loses nothing.
//   - A commit may also change the status of alerts stored before
//     (resolving the posture findings that went away, reopening those
//     that came back) and replace the source's snapshot, in the same
//     transaction as the rest of its batch.
//   - A lease is held by one holder at a time until it expires.
//   - Every transaction that stores or deletes alerts, or changes their
//     status or assignee, raises the alerts' generation (Generation) as
//     its last statement. What is computed from the alerts after reading
//     generation g, such as the counts Facets keeps, stays true while the
//     generation is g, whichever process sharing the store changes them.
//
// Times are stored as Unix nanoseconds (UTC), and alert bodies as the
// JSON of the alert contract, byte for byte as they were given.
package store
