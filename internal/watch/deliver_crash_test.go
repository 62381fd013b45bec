//go:build unix

package watch

import (
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// faultyHook is a webhook receiver that, at random (seeded), takes an
// alert, answers 500, answers 429 with Retry-After, or takes it and
// hangs past the sink's timeout before answering. It records the
// webhook-id of every alert it took, repeats included, as a receiver
// that dedupes would see them.
type faultyHook struct {
	mu    sync.Mutex
	r     *rand.Rand
	ids   map[string]int // webhook-id → times taken
	fault map[string]int // what it answered, by kind
	// healed turns the faults off: the receiver has recovered.
	healed bool
}

func (h *faultyHook) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	io.Copy(io.Discard, req.Body)
	id := req.Header.Get("webhook-id")
	h.mu.Lock()
	n := h.r.IntN(100)
	kind := "ok"
	switch {
	case h.healed:
	case n < 15:
		kind = "500"
	case n < 25:
		kind = "429"
	case n < 35:
		kind = "hang"
	}
	h.fault[kind]++
	if kind == "ok" || kind == "hang" {
		h.ids[id]++
	}
	h.mu.Unlock()
	switch kind {
	case "500":
		w.WriteHeader(http.StatusInternalServerError)
	case "429":
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	case "hang":
		select { // longer than the sink's timeout: the sender gives up and sends again
		case <-req.Context().Done():
		case <-time.After(3 * time.Second):
		}
	}
}

func (h *faultyHook) taken() (distinct, total int, ids map[string]bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	ids = map[string]bool{}
	for id, n := range h.ids {
		ids[id] = true
		total += n
	}
	return len(ids), total, ids
}

// TestCrashDelivery runs appwatch watch as a child process with a webhook
// sink that fails, throttles and hangs at random, kills it with SIGKILL
// at random moments while records stream in and deliveries are in
// flight, and starts it again. Once the receiver recovers, at the end every alert stored open has
// reached the webhook at least once, the distinct webhook-ids the
// receiver saw are exactly the stored alerts' keys, and no delivery is
// left pending or dead.
func TestCrashDelivery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds appwatch and runs it for a while")
	}
	bin := buildAppwatch(t)
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			crashDelivery(t, bin, storetest.DSN(t, d), 3)
		})
	}
}

func crashDelivery(t *testing.T, bin, dsn string, seed uint64) {
	const minKills = 12
	hook := &faultyHook{r: rand.New(rand.NewPCG(seed, 9)), ids: map[string]int{}, fault: map[string]int{}}
	srv := httptest.NewServer(hook)
	defer srv.Close()
	sink := []string{"--sink", "webhook:" + srv.URL + "#name=hook&timeout=1s", "--retry-max", "2s"}

	logs := t.TempDir()
	source := "dir:" + logs
	in := newCrashInput(t, logs, 3, 400, seed)
	log, err := os.Create(filepath.Join(t.TempDir(), "watch.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("the children's log ends:\n%s", tail(string(b), 4000))
		}
	}()
	r := rand.New(rand.NewPCG(seed, 7))
	var wg sync.WaitGroup
	writing := make(chan struct{})
	wg.Go(func() {
		defer close(writing)
		in.write(t, logs, rand.New(rand.NewPCG(seed, 8)), 8*time.Second)
	})
	defer wg.Wait()

	kills, inFlight := 0, 0
	for ; kills < minKills || !closed(writing); kills++ {
		c := startChild(t, bin, dsn, logs, log, sink...)
		time.Sleep(time.Duration(100+r.IntN(900)) * time.Millisecond) // a random moment to kill at
		c.kill(t)
		if claimed(t, dsn) > 0 {
			inFlight++
		}
	}
	wg.Wait()

	// The receiver recovers; started once more, appwatch delivers what
	// is left and stops on SIGTERM.
	hook.mu.Lock()
	hook.healed = true
	hook.mu.Unlock()
	started := watchingLines(t, log.Name())
	c := startChild(t, bin, dsn, logs, log, sink...)
	waitFor(t, 30*time.Second, "the last child running", func() bool { return watchingLines(t, log.Name()) > started })
	st := openStore(t, dsn)
	waitFor(t, 60*time.Second, "every record stored", func() bool { return recordsStored(t, st, source) == int64(in.records) })
	waitFor(t, 30*time.Second, "every alert stored", func() bool { return len(storedAlerts(t, st)) >= len(in.all) })
	waitFor(t, 120*time.Second, "every delivery sent", func() bool {
		b, err := st.Backlog(t.Context())
		return err == nil && b["hook"].Pending == 0 && b["hook"].Dead == 0
	})
	c.cmd.Process.Signal(syscall.SIGTERM)
	if err := <-c.done; err != nil {
		t.Errorf("appwatch watch exited with %v after SIGTERM, want 0", err)
	}
	in.check(t, dsn, source, true)

	routed := map[string]bool{}
	err = st.Deliveries(t.Context(), store.DeliveryFilter{Sinks: []string{"hook"}}, func(d store.Delivery) error {
		if d.State != store.DeliverySent {
			t.Errorf("delivery %d of %s is %s, want sent", d.ID, d.AlertKey, d.State)
		}
		routed[d.AlertKey] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	open := 0
	for key, a := range storedAlerts(t, st) {
		if a.Status == "open" {
			open++
			if !routed[key] {
				t.Errorf("open alert %s has no delivery", key)
			}
		}
	}
	distinct, total, ids := hook.taken()
	for key := range routed {
		if !ids[key] {
			t.Errorf("alert %s never reached the webhook", key)
		}
	}
	if distinct != len(routed) || distinct != open {
		t.Errorf("the webhook saw %d distinct webhook-ids; %d deliveries, %d open alerts stored", distinct, len(routed), open)
	}
	t.Logf("%d kills with SIGKILL (%d with deliveries claimed); %d alerts stored, %d open: the webhook took %d messages, %d distinct webhook-ids (%d repeats to drop); faults %v",
		kills, inFlight, len(in.all), open, total, distinct, total-distinct, hook.fault)
}

// claimed counts the deliveries a process had claimed, and not finished,
// in the store at dsn: those in flight when it died.
func claimed(t *testing.T, dsn string) int {
	st, err := store.Open(t.Context(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n := 0
	st.Deliveries(t.Context(), store.DeliveryFilter{States: []string{store.DeliveryPending}}, func(d store.Delivery) error {
		if !d.Lease.IsZero() {
			n++
		}
		return nil
	})
	return n
}
