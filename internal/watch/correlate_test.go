package watch

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/clock"
	"github.com/appwatch/appwatch/internal/decode"
	"github.com/appwatch/appwatch/internal/event"
	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/scan"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// idle is a source that reads nothing, for services a test hands batches
// to.
type idle struct{}

func (idle) Name() string { return "test" }

func (idle) Run(ctx context.Context, _ feed.State, _ chan<- *feed.Batch) error {
	<-ctx.Done()
	return ctx.Err()
}

// driven is a service whose batches a test hands in, one at a time: it
// detects, stores and evaluates each as the running service does.
type driven struct {
	t    *testing.T
	s    *service
	p    *processor
	corr *correlator
}

// newDriven starts a service on the store dsn with the clock now.
func newDriven(t *testing.T, dsn string, now func() time.Time) *driven {
	t.Helper()
	s, err := start(t.Context(), Options{Store: dsn, Sources: []feed.Source{idle{}}, Load: loader(), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.store.Close() })
	p := &processor{s: s, source: "test"}
	p.refresh()
	return &driven{t: t, s: s, p: p, corr: newCorrelator(s)}
}

// store stores evs as one batch and evaluates the scopes it touched.
func (d *driven) store(evs []feed.Event) {
	d.t.Helper()
	b := &feed.Batch{Events: evs, Counts: store.Counts{Records: int64(len(evs)), Events: int64(len(evs))}}
	sb := d.p.detect(b, nil)
	res, err := d.s.store.Commit(d.t.Context(), sb)
	if err != nil {
		d.t.Fatal(err)
	}
	d.p.stored(b, sb, res)
	d.corr.evaluateAll(d.t.Context(), res.Scopes)
}

// step is one record of a correlation pattern: an administrator's consent
// to application n, or a credential added to it, at a time.
type step struct {
	credential bool
	app        int
	at         time.Time
}

var (
	timeField     = regexp.MustCompile(`"time":"[^"]*"`)
	activityField = regexp.MustCompile(`"activityDateTime":"[^"]*"`)
	recordID      = regexp.MustCompile(`FIX\d+_\d+`)
	operationID   = regexp.MustCompile(`c0ffee1\d\d`)
)

// patternRecords writes steps as records of the test records of
// credential-added-after-admin-consent (a consent, then a credential added
// within 24 hours, by application), each with an id of its own.
func patternRecords(t *testing.T, steps []step) []string {
	t.Helper()
	recs := testRecords(t, "credential-added-after-admin-consent", "match-eventhub.json")
	out := make([]string, len(steps))
	for n, s := range steps {
		r := recs[0]
		if s.credential {
			r = recs[1]
		}
		r = timeField.ReplaceAllLiteralString(r, `"time":"`+s.at.Format(time.RFC3339Nano)+`"`)
		r = activityField.ReplaceAllLiteralString(r, `"activityDateTime":"`+s.at.Format(time.RFC3339Nano)+`"`)
		r = recordID.ReplaceAllLiteralString(r, fmt.Sprintf("FIX%d_%d", n, n))
		r = operationID.ReplaceAllLiteralString(r, fmt.Sprintf("c%08d", n))
		r = strings.NewReplacer("9f8e7d6c-5b4a-4c3d-9e2f-1a0b9c8d7e6f", fmt.Sprintf("9f8e7d6c-5b4a-4c3d-9e2f-1a0b9c8d7e%02x", s.app),
			"4d5e6f70", fmt.Sprintf("4d5e6f%02x", s.app)).Replace(r)
		out[n] = r
	}
	return out
}

// events decodes records, one event each, named by their index.
func events(t *testing.T, records []string) []feed.Event {
	t.Helper()
	dec := decode.NewDecoder(decode.Options{})
	var out []feed.Event
	for i, r := range records {
		_, err := dec.Decode(t.Context(), "test", strings.NewReader(r), func(e *event.Event) error {
			out = append(out, feed.Event{Event: e, Ref: fmt.Sprintf("test:%d", i)})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(out) != len(records) {
		t.Fatalf("%d events from %d records", len(out), len(records))
	}
	return out
}

// scanCorrelations returns what appwatch scan raises on records: its
// correlation alerts, counted by rule and group.
func scanCorrelations(t *testing.T, records []string) map[string]int {
	t.Helper()
	cfg, err := loader()(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	d := scan.NewDetector(scan.Config{Rules: cfg.Rules, Enricher: cfg.Enricher(), Policy: cfg.Policy, Lang: cfg.Lang})
	for _, e := range events(t, records) {
		d.Observe(e.Event)
	}
	out := map[string]int{}
	for _, a := range d.Finish() {
		if a.Correlation != nil {
			out[correlationGroup(a)]++
		}
	}
	return out
}

// storedCorrelations counts the correlation alerts stored by rule and
// group.
func storedCorrelations(t *testing.T, st *store.Store) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, a := range storedAlerts(t, st) {
		if a.Correlation != nil {
			out[correlationGroup(a)]++
		}
	}
	return out
}

func correlationGroup(a alert.Alert) string {
	return fmt.Sprintf("%s %v", a.RuleID, a.Correlation.Group)
}

// randomPattern returns steps for apps: consents and credentials at
// random times over three days, so that some apps raise the correlation
// once, some several times and some never. The steps are in time order,
// as scan, which bounds how late a correlation input may come, needs
// them to find every correlation; the test shuffles them for watch.
func randomPattern(r *rand.Rand, apps, steps int) []step {
	base := time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)
	out := make([]step, steps)
	for i := range out {
		out[i] = step{credential: r.IntN(2) == 0, app: r.IntN(apps), at: base.Add(time.Duration(r.IntN(3*24*60)) * time.Minute)}
	}
	slices.SortStableFunc(out, func(a, b step) int { return a.at.Compare(b.at) })
	return out
}

// TestCorrelationArrivalOrder stores the records of correlation patterns
// in shuffled orders and random batches, by one or two instances, with
// restarts, and expects the correlation alerts appwatch scan raises on
// the same records: as many per group, each stored once.
func TestCorrelationArrivalOrder(t *testing.T) {
	const trials = 6
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			for trial := range trials {
				r := rand.New(rand.NewPCG(uint64(trial), 11))
				records := patternRecords(t, randomPattern(r, 4, 40))
				want := scanCorrelations(t, records)
				if trial == 0 && len(want) == 0 {
					t.Fatal("the patterns raise no correlation: the test checks nothing")
				}
				dsn := storetest.DSN(t, d)
				now := func() time.Time { return time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC) }
				instances := []*driven{newDriven(t, dsn, now)}
				if trial%2 == 1 {
					instances = append(instances, newDriven(t, dsn, now))
				}
				evs := events(t, records)
				r.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
				for i, n := 0, 0; i < len(evs); n++ {
					k := min(1+r.IntN(6), len(evs)-i)
					in := instances[n%len(instances)]
					if r.IntN(5) == 0 { // a restart: new detection and correlation state
						in = newDriven(t, dsn, now)
						instances[n%len(instances)] = in
					}
					in.store(evs[i : i+k])
					i += k
				}
				got := storedCorrelations(t, instances[0].s.store)
				if !maps.Equal(got, want) {
					t.Errorf("trial %d: stored correlations %v, scan raises %v", trial, got, want)
				}
			}
		})
	}
}

// TestCorrelationBehindNewerEvents stores the first step of a
// correlation, then a record of a much newer event (another partition or
// file ahead of the others), then the second step: the correlation is
// raised, since the steps arrived within the lateness allowed of each
// other, whatever the event times between them. Hits stored longer ago
// than the lateness, behind the newest event time, are let go.
func TestCorrelationBehindNewerEvents(t *testing.T) {
	at := time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC)
	records := patternRecords(t, []step{
		{app: 1, at: at},
		{app: 2, at: at.Add(72 * time.Hour)}, // newer by far than the rest
		{app: 1, at: at.Add(30 * time.Minute), credential: true},
		{app: 3, at: at},
		{app: 3, at: at.Add(30 * time.Minute), credential: true},
	})
	const rule = "credential-added-after-admin-consent"
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			c := clock.NewFake(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
			dsn := storetest.DSN(t, d)
			in := newDriven(t, dsn, c.Now)
			evs := events(t, records)
			app1 := scopeKey(rule, []string{"9f8e7d6c-5b4a-4c3d-9e2f-1a0b9c8d7e01"})
			in.store(evs[0:1])
			in.store(evs[1:2])
			c.Advance(DefaultLateness / 2)
			// A sweep, and an evaluation of app 1's group, between the
			// newer event and the second step.
			in.corr.sweep(t.Context())
			in.corr.evaluateAll(t.Context(), []string{app1})
			in.store(evs[2:3])
			if got := storedCorrelations(t, in.s.store); len(got) != 1 || got[rule+" map[app.id:9f8e7d6c-5b4a-4c3d-9e2f-1a0b9c8d7e01]"] != 1 {
				t.Errorf("correlations %v, want app 1's, once", got)
			}
			// App 3's first step waits longer than the lateness: a
			// sweep lets it go, and the second step alone raises
			// nothing.
			in.store(evs[3:4])
			c.Advance(2 * DefaultLateness)
			in.corr.sweep(t.Context())
			in.store(evs[4:5])
			if got := storedCorrelations(t, in.s.store); len(got) != 1 {
				t.Errorf("correlations %v, want app 1's only", got)
			}
		})
	}
}

// TestDirtyScopeOfDeadInstance stores correlation hits as an instance
// that dies before evaluating them does: a running instance evaluates
// them soon, without waiting for its next sweep or for new records.
func TestDirtyScopeOfDeadInstance(t *testing.T) {
	at := time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC)
	records := patternRecords(t, []step{{app: 1, at: at}, {app: 1, at: at.Add(time.Minute), credential: true}})
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			startService(t, Options{Store: dsn, Sources: []feed.Source{idle{}}, Sweep: time.Hour})
			dead := newDriven(t, dsn, time.Now)
			b := &feed.Batch{Events: events(t, records)}
			res, err := dead.s.store.Commit(t.Context(), dead.p.detect(b, nil))
			if err != nil || len(res.Scopes) == 0 {
				t.Fatalf("commit: %v, scopes %v", err, res)
			}
			waitFor(t, 4*dirtyAfter+5*time.Second, "the correlation of the dead instance's hits", func() bool {
				return len(storedCorrelations(t, dead.s.store)) == 1
			})
		})
	}
}
