// Package graphpoll is the graph source of appwatch watch: it polls the
// tenant's directory audits (/auditLogs/directoryAudits, Graph v1.0) and
// sign-ins (/auditLogs/signIns, Graph beta, one stream per value of
// signInEventTypes: interactive, non-interactive, service principal and
// managed identity sign-ins, which the guide's sign-in rows need and
// v1.0 does not list).
//
// Each stream of each tenant has a cursor in the store: the newest
// activity time read from it. A poll asks for the records at or after the
// cursor less an overlap window, because Entra delivers records minutes
// after the activity, and not in order: a record that shows up late is
// read by a later poll as long as it is not older than the newest record
// read before it by more than the overlap. The cursor follows the
// records, not the wall clock, so a stream whose records all arrive late
// is read whole however late they are. A stream read for the first time
// starts Options.Backfill before then, and that cursor is stored at the
// first poll even when the stream is empty, so that a restart, however
// much later, reads the records written meanwhile.
//
// What it guarantees:
//
//   - Each record is handed on once. The ids of the records handed on
//     are stored with their batch and remembered for Options.SeenFor
//     (longer than the overlap), so that the records read again from the
//     overlap window, or after a restart, are left out before they are
//     decoded. Were one handed on twice, its alerts would still be stored
//     once: their keys come from the record's id.
//   - A cursor moves only with the batch holding the last page of a poll,
//     so a poll cut short by an error, a crash or a lost lease is done
//     again from where the stored cursor says.
//   - One instance polls at a time: the holder of the lease named after
//     the source. Another instance takes over when it stops or, if it
//     was killed, once its lease expires.
//   - Graph's reporting budget (five requests per ten seconds per app and
//     tenant) is kept by the client's rate limit (RequestsPerSecond), and
//     a 429 or 503 answer's Retry-After is honoured by package graph.
//   - A stream Graph refuses (a token it does not accept, a missing
//     permission, a tenant without the licence sign-in logs need) does
//     not stop the others. It is asked again at each poll, and the
//     refusal is logged once, with the permission to grant, until Graph
//     answers: a 401 refusing every stream is one line, not one a poll.
package graphpoll
