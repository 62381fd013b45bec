// Package ingest reads a run's inputs into events: it opens each input,
// decodes it (package decode), counts what was read and skipped, and
// reports progress.
//
// Reading uses every worker it is given, for one large input as for many
// small ones. Readers cut inputs into batches of records (decode.Input),
// decoders on other goroutines turn batches into events
// (decode.Decoder.DecodeBatch) and, with RunPrepared, do the caller's work
// that needs one event alone, and the caller's goroutine takes the decoded
// batches back in input order, counts them into each input's statistics
// and emits the events one by one (decode.Sequencer). Memory stays
// bounded: each input being read has at most a few batches in flight, and
// only the inputs being read have any.
package ingest

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/progress"
	"github.com/appwatch/appwatch/internal/source"
)

// Options tune Run.
type Options struct {
	Decode decode.Options
	// Workers is how many goroutines decode at once, 1 when zero. Events
	// reach emit in input order whatever the number.
	Workers int
	// Progress, when not nil, is advanced as input bytes are read.
	Progress *progress.Bar
	// Transient promises that emit keeps no event once it has returned,
	// so that the events of a batch are reused for a later one rather
	// than made anew.
	Transient bool
}

// inFlight is how many batches of one input may be cut and not yet
// emitted: enough for every worker to be busy on a single input.
func inFlight(workers int) int { return 2*workers + 2 }

// maxJobs bounds the batches alive at once: those of the consumer's
// input, of the inputs waiting for it (one per reader) and of the one feed
// holds; for each, its batches queued, the one its reader is filling and
// the one being emitted. Emitted batches are kept for reuse up to that
// many, so that none is thrown away only for a new one, with its buffers,
// to be made for the next batch.
func maxJobs(readers, workers int) int { return (readers + 2) * (inFlight(workers) + 2) }

// Run reads every input and passes each event to emit, in input order and
// in each input's record order, so that runs are repeatable whatever the
// number of workers. Calls to emit are never concurrent, and all happen on
// the goroutine that called Run. Inputs that cannot be read are recorded
// in the summary and the run goes on; Run returns an error only when ctx
// is done or emit fails.
func Run(ctx context.Context, inputs []source.Input, opts Options, emit decode.Emit) (*Summary, error) {
	return RunPrepared(ctx, inputs, opts, nil, func(e *event.Event, _ struct{}) error { return emit(e) })
}

// Prepare makes, for one decoding goroutine, the function that prepares
// the events it decodes: the work of the caller that needs one event
// alone. Its result is handed to emit with the event.
type Prepare[T any] func() func(*event.Event) T

// RunPrepared is Run with work moved off the caller's goroutine: each
// decoding goroutine calls a function prepare made for it on every event
// it decodes, in any order, and emit receives each event with what that
// function returned. Events that the run completes from the events before
// them (see decode.Decoded.Visit) are not prepared; emit receives them
// with the zero T. A nil prepare prepares nothing. The events prepared do
// not have their Source.Index yet.
func RunPrepared[T any](ctx context.Context, inputs []source.Input, opts Options, prepare Prepare[T], emit func(*event.Event, T) error) (*Summary, error) {
	workers := max(opts.Workers, 1)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	r := &run[T]{
		ctx:     ctx,
		opts:    opts,
		inputs:  inputs,
		prepare: prepare,
		sum:     &Summary{Files: make([]*decode.Stats, len(inputs)), failed: make([]error, len(inputs)), text: make([]bool, len(inputs))},
		jobs:    make(chan *job[T], workers*inFlight(workers)),
	}
	readers := min(workers, max(len(inputs), 1))
	r.free = make(chan *job[T], maxJobs(readers, workers))
	toRead := make(chan *reading[T])
	toEmit := make(chan *reading[T], readers)
	var wg sync.WaitGroup
	wg.Go(func() { r.feed(toRead, toEmit) })
	var readersDone sync.WaitGroup
	for range readers {
		readersDone.Go(func() {
			for in := range toRead {
				r.read(in, workers)
			}
		})
	}
	for range workers {
		wg.Go(r.decode)
	}
	go func() {
		readersDone.Wait()
		close(r.jobs)
	}()
	r.consume(toEmit, cancel, emit)
	stopped := context.Cause(ctx) // before the cancel below, which only releases the others
	cancel(nil)
	for range toEmit { // let feed finish
	}
	wg.Wait()
	readersDone.Wait()
	return r.sum, stopped
}

// run is the state of one Run.
type run[T any] struct {
	ctx     context.Context
	opts    Options
	inputs  []source.Input
	prepare Prepare[T]
	sum     *Summary
	jobs    chan *job[T] // batches to decode, of every input being read
	free    chan *job[T] // batches emitted, for reuse
}

// reading is one input being read. Its batches go to the decoders through
// run.jobs and, in order, to the consumer through batches; inFlight bounds
// them.
type reading[T any] struct {
	i       int
	batches chan *job[T]
	stats   *decode.Stats
	err     error // why the input could not be read at all
}

// job is one batch of one input: cut by a reader, decoded by a decoder,
// emitted by the consumer.
type job[T any] struct {
	batch    decode.Batch
	decoded  decode.Decoded
	prepared []T           // what prepare gave for each event, in order
	done     chan struct{} // closed once decoded
}

// feed hands out the inputs in order, to the readers and to the consumer,
// until ctx is done.
func (r *run[T]) feed(toRead, toEmit chan<- *reading[T]) {
	defer close(toEmit)
	defer close(toRead)
	for i := range r.inputs {
		in := &reading[T]{i: i, batches: make(chan *job[T], inFlight(max(r.opts.Workers, 1)))}
		select {
		case toRead <- in:
		case <-r.ctx.Done():
			return
		}
		select {
		case toEmit <- in:
		case <-r.ctx.Done():
			return
		}
	}
}

// read opens one input and cuts it into batches.
func (r *run[T]) read(in *reading[T], workers int) {
	defer close(in.batches)
	src := r.inputs[in.i]
	rc, err := src.Open()
	if err != nil {
		in.stats, in.err = &decode.Stats{Name: src.Name}, err
		return
	}
	defer rc.Close()
	input, err := decode.Open(src.Name, progress.Reader{R: rc, Bar: r.opts.Progress}, r.opts.Decode)
	in.stats, in.err = input.Stats, err
	if err != nil {
		return
	}
	defer input.Close()
	for {
		j := r.getJob()
		err := input.Next(r.ctx, &j.batch)
		if err != nil && err != io.EOF {
			return // ctx is done
		}
		if j.batch.Len() > 0 {
			select {
			case in.batches <- j:
			case <-r.ctx.Done():
				return
			}
			select {
			case r.jobs <- j:
			case <-r.ctx.Done():
				return
			}
		}
		if err == io.EOF {
			return
		}
	}
}

func (r *run[T]) getJob() *job[T] {
	select {
	case j := <-r.free:
		j.done = make(chan struct{})
		return j
	default:
		return &job[T]{done: make(chan struct{})}
	}
}

// decode decodes and prepares batches until there are no more.
func (r *run[T]) decode() {
	d := decode.NewDecoder(r.opts.Decode)
	var prepare func(*event.Event) T
	if r.prepare != nil {
		prepare = r.prepare()
	}
	for j := range r.jobs {
		d.DecodeBatch(&j.batch, &j.decoded)
		clear(j.prepared)
		j.prepared = j.prepared[:0]
		if prepare != nil {
			j.decoded.Visit(func(e *event.Event, final bool) {
				var t T
				if final {
					t = prepare(e)
				}
				j.prepared = append(j.prepared, t)
			})
		}
		close(j.done)
	}
}

// consume emits the events of each input's batches in turn, recording the
// inputs' statistics, and stops the run with emitError when emit fails.
func (r *run[T]) consume(toEmit <-chan *reading[T], cancel context.CancelCauseFunc, emit func(*event.Event, T) error) {
	var seq decode.Sequencer
	done := r.ctx.Done()
	var prepared []T // of the batch being emitted
	guarded := func(e *event.Event) error {
		select {
		case <-done:
			return context.Cause(r.ctx)
		default:
		}
		r.opts.Progress.Item()
		var t T
		if len(prepared) > 0 {
			t, prepared = prepared[0], prepared[1:]
		}
		if err := emit(e, t); err != nil {
			return emitError{err}
		}
		return nil
	}
	for in := range toEmit {
		var st *decode.Stats
		for j := range in.batches {
			select {
			case <-j.done:
			case <-done:
				return
			}
			if st == nil {
				st = in.stats // set before the first batch was sent
			}
			prepared = j.prepared
			if err := seq.Apply(st, &j.decoded, guarded); err != nil {
				var ee emitError
				if errors.As(err, &ee) {
					cancel(ee)
				}
				return
			}
			if r.opts.Transient {
				j.decoded.Recycle()
			}
			select {
			case r.free <- j:
			default:
			}
		}
		if r.ctx.Err() != nil {
			return
		}
		r.record(in)
	}
}

// record keeps the statistics of an input read to the end.
func (r *run[T]) record(in *reading[T]) {
	r.sum.Files[in.i], r.sum.failed[in.i] = in.stats, in.err
	if r.inputs[in.i].Listed && errors.Is(in.err, decode.ErrText) {
		r.sum.failed[in.i], r.sum.text[in.i] = nil, true
	}
}

// emitError marks an error returned by the caller's emit function, which
// stops the run.
type emitError struct{ err error }

func (e emitError) Error() string { return e.err.Error() }
func (e emitError) Unwrap() error { return e.err }
