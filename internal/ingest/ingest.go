// Package ingest reads a run's inputs into events: it opens each input,
// decodes it (package decode), counts what was read and skipped, and
// reports progress. Several inputs can be read at once.
package ingest

import (
	"context"
	"sync"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/progress"
	"github.com/appwatch/appwatch/internal/source"
)

// Options tune Run.
type Options struct {
	Decode decode.Options
	// Workers is how many inputs are read at once. With 1 (or 0) events
	// arrive in input order.
	Workers int
	// Progress, when not nil, is advanced as input bytes are read.
	Progress *progress.Bar
}

// Run reads every input and passes each event to emit. Calls to emit are
// never concurrent. Inputs that cannot be read are recorded in the summary
// and the run goes on; Run returns an error only when ctx is done or emit
// fails.
func Run(ctx context.Context, inputs []source.Input, opts Options, emit decode.Emit) (*Summary, error) {
	workers := max(opts.Workers, 1)
	workers = min(workers, max(len(inputs), 1))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	sum := &Summary{Files: make([]*decode.Stats, len(inputs)), failed: make([]error, len(inputs))}
	var mu sync.Mutex
	// serial hands events to emit one at a time, and none once the run
	// is stopped: an emit error cancels it at once, so that events other
	// workers decoded meanwhile are not emitted after the failure.
	serial := func(e *event.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		opts.Progress.Item()
		if err := emit(e); err != nil {
			err = emitError{err}
			cancel(err)
			return err
		}
		return nil
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d := decode.NewDecoder(opts.Decode)
			for i := range next {
				sum.Files[i], sum.failed[i] = readOne(ctx, d, inputs[i], opts.Progress, serial)
			}
		}()
	}
	for i := range inputs {
		select {
		case next <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return sum, err
	}
	return sum, nil
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
