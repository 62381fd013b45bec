// Package kafka is the Kafka source of appwatch watch, for Azure Event
// Hubs through its Kafka endpoint (eventhub://) and for a team's own
// Kafka (kafka://, kafkas:// with TLS). A source reads one topic as a
// member of a consumer group: several appwatch watch instances in one
// group share its partitions.
//
// Each message holds Azure Monitor diagnostic records, as diagnostic
// settings stream them to an event hub: a "records" wrapper, one record,
// or JSON Lines, possibly gzipped; package decode reads them. A message
// that cannot be decoded, or a record within it, is handed on as rejected
// (topic, partition and offset, the reason, its first bytes) like any
// other record, so it never blocks its partition and is never dropped
// unsaid.
//
// What it guarantees, with the service that stores its batches:
//
//   - Positions. Each partition is a stream whose position in the store
//     is the next offset to read. On assignment a partition starts at its
//     stored position; only when the store holds none does it start at
//     the group's committed offset, else at the earliest (or, with
//     start=latest, the next) message.
//   - Commits follow the store. A batch's offsets are committed to the
//     group only after the batch is stored, so the group's offsets lag
//     the store's and serve lag monitoring and a store that starts empty.
//   - Rebalances. Rebalances wait while a poll's records are handed on.
//     Before giving up partitions the source waits, at most
//     Options.SettleWait, for their batches in flight to be stored and
//     commits their offsets, so the next member starts after them. A batch
//     stored later than that, or by a member the group dropped, is read
//     again by the next member: its alerts have the same keys and are
//     stored once.
//   - Refs. An event's ref is topic/partition@offset.index, the same on
//     every read, for the alert keys of records that carry no id.
//
// Credentials come from the environment: APPWATCH_EVENTHUB_CONNECTION_STRING
// for eventhub:// (SASL PLAIN as $ConnectionString, TLS, port 9093, the
// protocol pinned to Kafka 3.8's); APPWATCH_KAFKA_USERNAME,
// APPWATCH_KAFKA_PASSWORD and APPWATCH_KAFKA_SASL_MECHANISM (PLAIN,
// SCRAM-SHA-256 or SCRAM-SHA-512) for kafka:// and kafkas://, with
// APPWATCH_KAFKA_CA_FILE for a private certificate authority.
package kafka
