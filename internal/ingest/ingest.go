// Package ingest reads a run's inputs into events: it opens each input,
// decodes it (package decode), counts what was read and skipped, and
// reports progress. Several inputs can be read at once.
package ingest

import (
	"context"
	"errors"
	"sync"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/progress"
	"github.com/appwatch/appwatch/internal/source"
)

// Options tune Run.
type Options struct {
	Decode decode.Options
	// Workers is how many inputs are decoded at once. Events reach emit
	// in input order whatever the number.
	Workers int
	// Progress, when not nil, is advanced as input bytes are read.
	Progress *progress.Bar
}

// queueSize is how many decoded events an input may hold ready while an
// earlier input is still being emitted; it bounds the memory that reading
// ahead takes.
const queueSize = 256

// Run reads every input and passes each event to emit, in input order and
// in each input's record order, so that runs are repeatable. Inputs are
// decoded on opts.Workers goroutines ahead of the one calling emit; calls
// to emit are never concurrent. Inputs that cannot be read are recorded in
// the summary and the run goes on; Run returns an error only when ctx is
// done or emit fails.
func Run(ctx context.Context, inputs []source.Input, opts Options, emit decode.Emit) (*Summary, error) {
	workers := min(max(opts.Workers, 1), max(len(inputs), 1))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	sum := &Summary{Files: make([]*decode.Stats, len(inputs)), failed: make([]error, len(inputs)), text: make([]bool, len(inputs))}
	queues := make([]chan *event.Event, len(inputs))
	for i := range queues {
		queues[i] = make(chan *event.Event, queueSize)
	}
	next := make(chan int)
	go feed(ctx, len(inputs), next)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := decode.NewDecoder(opts.Decode)
			for i := range next {
				send := func(e *event.Event) error {
					select {
					case queues[i] <- e:
						return nil
					case <-ctx.Done():
						return context.Cause(ctx)
					}
				}
				sum.Files[i], sum.failed[i] = readOne(ctx, d, inputs[i], opts.Progress, send)
				if inputs[i].Listed && errors.Is(sum.failed[i], decode.ErrText) {
					sum.failed[i], sum.text[i] = nil, true
				}
				close(queues[i])
			}
		}()
	}
	consume(ctx, cancel, queues, opts.Progress, emit)
	stopped := context.Cause(ctx) // before the cancel below, which only releases the workers
	cancel(nil)
	wg.Wait()
	return sum, stopped
}

// feed hands out the input indexes in order until ctx is done.
func feed(ctx context.Context, n int, next chan<- int) {
	defer close(next)
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			return
		}
	}
}

// consume emits the events of each queue in turn, stopping the run with
// emitError when emit fails.
func consume(ctx context.Context, cancel context.CancelCauseFunc, queues []chan *event.Event, bar *progress.Bar, emit decode.Emit) {
	for _, q := range queues {
		for {
			var e *event.Event
			var ok bool
			select {
			case e, ok = <-q:
			case <-ctx.Done():
				return
			}
			if !ok {
				break
			}
			if ctx.Err() != nil { // select picks at random when both are ready
				return
			}
			bar.Item()
			if err := emit(e); err != nil {
				cancel(emitError{err})
				return
			}
		}
	}
}

// emitError marks an error returned by the caller's emit function, which
// stops the run.
type emitError struct{ err error }

func (e emitError) Error() string { return e.err.Error() }
func (e emitError) Unwrap() error { return e.err }

// readOne opens and decodes one input.
func readOne(ctx context.Context, d *decode.Decoder, in source.Input, bar *progress.Bar, emit decode.Emit) (*decode.Stats, error) {
	rc, err := in.Open()
	if err != nil {
		return &decode.Stats{Name: in.Name}, err
	}
	defer rc.Close()
	return d.Decode(ctx, in.Name, progress.Reader{R: rc, Bar: bar}, emit)
}
