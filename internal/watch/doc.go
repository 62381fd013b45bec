// Package watch is the service behind appwatch watch: it runs sources
// (package feed), passes what they read through the same detection as
// appwatch scan (scan.Detector: enrich, match, policy), stores alerts,
// rejected records and positions (package store), completes correlations
// from state kept in the store, and serves /healthz, /readyz and
// Prometheus /metrics.
//
// What it guarantees (the watch contract):
//
//   - Nothing lost. A batch's alerts, rejected records, correlation hits,
//     counts and source positions are stored in one transaction, retried
//     while the store fails; a source position therefore never moves
//     past a record that was not stored, and a process killed at any
//     moment resumes from the last stored position.
//   - Each alert once. An alert's key is derived from its rule, its tenant
//     and its record (the record's own id, or its place in the source when
//     the log gives it none); a correlation alert's key from its rule, its
//     group and its first contribution. The store keeps one alert per key,
//     so a record read twice, by a restarted process or by another
//     instance, never stores its alert twice. The other records of a
//     change alerted on (scan.Change) are copies, decided by the store in
//     the batch's transaction rather than by a detector's memory, so a
//     restart or a second instance decides alike. A correlation result
//     found again, its hits having arrived in another order, keeps the
//     key stored with its window.
//   - Correlations survive restarts and span instances. Hits of rules that
//     correlations use are stored with the batch; each correlation group
//     touched is then evaluated from the store, locked against other
//     instances, so of two instances storing the last two hits of a
//     pattern at once, at least one sees both. Groups stored but not yet
//     evaluated stay marked, and any instance evaluates them within a
//     few seconds. Windows
//     whose condition has no upper bound alert as soon as they meet it;
//     the others once the newest event time, less Options.Lateness, has
//     passed their end.
//   - SIGTERM or SIGINT (the context being done) stops the sources, stores
//     what is in flight and returns within Options.StopTimeout.
//   - A reload (Options.Reload) takes up new rules, policy and sinks; one
//     that fails keeps those in use, and says why.
package watch
