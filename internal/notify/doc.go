// Package notify delivers stored alerts to the places a security team
// works: a signed webhook, Microsoft Teams (Workflows), Slack, syslog
// (RFC 5424, optionally CEF), Splunk's HTTP Event Collector, Microsoft
// Sentinel through the Azure Monitor Logs Ingestion API, and a JSON Lines
// file.
//
// A sink is written KIND:TARGET[#OPTIONS] (see Parse); New turns it into a
// Sink, which filters alerts by level and guide row, renders them in its
// language and hands them to the Sender of its kind, one small file each.
//
// What it guarantees:
//
//   - Send reports how many of the alerts it was given were delivered, in
//     order, so a caller that retries the rest never sends an alert twice
//     because another one failed. An alert counts as delivered only when
//     the receiver said so (a 2xx answer, a written and synced file line, a
//     message written to the syslog connection).
//   - Every failure is an *Error that says whether retrying can help:
//     4xx answers other than 408 and 429 are permanent, everything else
//     (5xx, 408, 429, network errors, time-outs) is worth retrying, and the
//     wait a receiver asks for with Retry-After is kept.
//   - Secrets (the webhook signing secret, the HEC token, URLs that carry
//     a signature) are read from the environment, never from the sink
//     written on the command line, and never appear in a Sink's name or in
//     an error.
//   - Every limit a receiver documents (Slack's 50 blocks and 3,000
//     characters a text, Teams' 28 KB a message, 1 MB a Logs Ingestion
//     call, a syslog message's size) is kept by cutting text on character
//     boundaries and saying that it was cut.
//
// Retrying, grouping, silences and the outbox that makes delivery survive
// restarts are the caller's; a Sink sends what it is given, once.
package notify
