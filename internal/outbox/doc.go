// Package outbox delivers stored alerts to sinks (package notify) so that
// none is lost: the store writes one pending delivery per alert and sink
// that takes it, in the transaction that stores the alert (store.Route),
// and a Dispatcher sends them.
//
// What it guarantees:
//
//   - At least once. A delivery is pending until its sink said it took
//     the alert; only then is it recorded sent. A process that dies
//     between the two sends it again after its claim runs out, carrying
//     the same alert_key (the webhook-id header, the alert_key field, the
//     CEF externalId), so the receiver can drop the repeat. Nothing else
//     sends an alert twice.
//   - Never two senders at once. A delivery is claimed, with a lease, in
//     a transaction (on PostgreSQL, processes claiming at once skip each
//     other's rows), and a claim is never sent on when less than the
//     sink's timeout is left of its lease, so two processes sharing a
//     store never send one delivery at the same time, as long as their
//     clocks agree to within a second.
//   - Retries with backoff, per delivery. A failed attempt is tried
//     again after an exponential backoff with jitter (MinBackoff doubling
//     up to MaxBackoff), and never before the Retry-After the receiver
//     asked for.
//   - A sink pauses only when it is down. When the receiver asks to slow
//     down or wait (429, Retry-After), or a retryable failure (5xx, 408,
//     no answer) comes in a claim of which no message went through, all
//     of the sink pauses (shared through the store by every process), and
//     the next attempt is a probe of one message. A retryable failure
//     while other messages of the claim went through is the one
//     delivery's: it waits its backoff and the others go on.
//   - Dead letters, never silent loss. A delivery the sink refused for
//     good (a 4xx answer other than 408 and 429) is dead at once, and
//     the sink goes on; when the refusal was of a batch or of a group
//     message, the first alert the receiver did not take (of a group,
//     each alert) is sent again alone first, so that only an alert
//     refused on its own is given up. One that still fails DeadAfter
//     after its alert was stored is dead then, and so are the others the
//     sink could not take by then. Dead deliveries stay in the store
//     until an operator retries them (appwatch deliveries retry), or the
//     alert is pruned.
//   - Limits per sink. At most Delivery.Concurrency messages are on
//     their way to a sink at once (per process), and at most
//     Delivery.Rate a second across every process sharing the store.
//   - Grouping for chat sinks, as Alertmanager does: the alerts of one
//     group (by application and guide row, unless the sink says otherwise)
//     wait Grouping.Wait after the first of them, then go in one message;
//     later ones go at most every Grouping.Interval, and open alerts are
//     sent again every Grouping.Repeat when it is set.
//   - Silences hold to the end. A delivery whose alert a silence matches
//     when it is about to be sent is not sent: it is recorded silenced,
//     and the alert, if still open, becomes suppressed by the silence.
//   - Restarts lose nothing: everything above lives in the store.
//
// Send delivers without a store, for one-off runs (appwatch scan
// --notify): the same retries and grouping, in memory, for as long as its
// GiveUp allows.
package outbox
