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
//
// Sources live in packages of their own below this one (feed/dir,
// feed/kafka).
package feed

import (
	"context"

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

// Batch is what a source read at once.
type Batch struct {
	Events   []Event
	Rejected []store.Rejected
	// Positions are the positions of the streams the batch advanced, just
	// past its records.
	Positions []store.Position
	// Counts counts the batch's records: events, rejected and skipped.
	Counts store.Counts
	// Ack, when set, is called once the batch is stored (a Kafka source
	// commits its offsets there).
	Ack func()
}

// Event is an event decoded from a source record.
type Event struct {
	Event *event.Event
	// Ref names the record within the source, the same each time it is
	// read: its stream and place there. Alert keys use it for records
	// that carry no id of their own.
	Ref string
}
