// Package feed defines what appwatch watch reads from. A Source reads one
// place (a folder of exported logs here; Event Hubs, Kafka and Microsoft
// Graph are sources of the same shape) and hands on batches: the events
// decoded from its records, the records it could not decode, and the
// position of each stream after them.
//
// The contract between a source and the service that runs it:
//
//   - A source resumes each stream from the position the store holds, and
//     the positions it puts in a batch are those just past the batch's
//     records. The service stores a batch's alerts, rejected records and
//     positions in one transaction, and only then calls the batch's Ack,
//     so a position never moves past a record that was not stored.
//   - Batches of one stream are handed on in order and stored in order.
//   - Every record read is counted once: turned into an event, rejected
//     with a reason, or skipped as holding nothing appwatch looks at.
//   - A record read again (after a crash, or from an overlap window) gives
//     the same events with the same Ref, so their alerts get the same keys
//     and are stored once.
//   - A source that raises alerts itself (posture findings, changes found
//     by comparing snapshots) gives each a key that is the same each time
//     the same finding is raised, and hands them on in Batch.Alerts.
//   - Work that only one of several instances sharing a store may do
//     (polling Microsoft Graph, taking snapshots) is done by the holder
//     of a lease in the store.
//
// Sources live in packages of their own below this one (feed/dir,
// feed/kafka, feed/graphpoll, feed/posturepoll).
package feed

import (
	"context"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/store"
)

// Source reads records from one place. A source that is also a
// prometheus.Collector has its own metrics served with the service's.
type Source interface {
	// Name is the source as given on the command line (dir:/var/log/x);
	// positions, counts and rejected records are stored under it.
	Name() string
	// Run reads until ctx is done, sending batches to out, and returns
	// ctx's error then; it returns another error when it cannot go on.
	// It reads the positions to resume from from st.
	Run(ctx context.Context, st State, out chan<- *Batch) error
}

// State is what a source reads back from the store.
type State interface {
	// Positions returns the stored positions of source, by stream.
	Positions(ctx context.Context, source string) (map[string]string, error)
}

// Store is the whole of what the store offers a source: its State, and
// what sources that read records again or do work only one instance may
// do need besides. The State the service hands a source is a Store
// (*store.Store is one); sources that need more than State assert it.
type Store interface {
	State
	// SeenIDs returns which of ids (Batch.Seen) source has read and
	// still remembers.
	SeenIDs(ctx context.Context, source string, ids []string) (map[string]bool, error)
	// Lease takes or renews the lease name for holder until ttl from now
	// and reports whether holder has it; Release gives it up.
	Lease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	Release(ctx context.Context, name, holder string) error
	// Alerts calls fn with the stored alerts f selects.
	Alerts(ctx context.Context, f store.Filter, fn func(alert.Alert) error) error
	// Snapshot returns the snapshot stored for source (Batch.Snapshot),
	// or nil.
	Snapshot(ctx context.Context, source string) (*store.Snapshot, error)
}

// Batch is what a source read at once.
type Batch struct {
	Events   []Event
	Rejected []store.Rejected
	// Positions are the positions of the streams the batch advanced, just
	// past its records.
	Positions []store.Position
	// Counts counts the batch's records: events, rejected and skipped.
	Counts store.Counts
	// Seen are ids of records the batch holds, remembered for a while so
	// that a source reading records again can leave out those stored.
	Seen []store.Seen
	// Alerts are alerts the source raised itself, with their keys; they
	// are stored as they are, once per key.
	Alerts []store.Alert
	// Resolve and Reopen are keys of alerts the source raised before
	// whose condition went away, or came back.
	Resolve, Reopen []string
	// Snapshot, when set, replaces the source's stored snapshot.
	Snapshot *store.Snapshot
	// Ack, when set, is called once the batch is stored (a Kafka source
	// commits its offsets there).
	Ack func()
	// Stale, when set, is called instead of Ack when the store refused
	// the batch because a position it checks (store.Position.Check) had
	// moved on: another process stored those records, or an earlier
	// batch of this source was refused. The source reads on from the
	// stored positions.
	Stale func()
}

// Event is an event decoded from a source record.
type Event struct {
	Event *event.Event
	// Ref names the record within the source, the same each time it is
	// read: its stream and place there. Alert keys use it for records
	// that carry no id of their own.
	Ref string
}
