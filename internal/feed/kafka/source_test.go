package kafka_test

import (
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/appwatch/appwatch/internal/feed/kafka"
)

// TestShapes reads diagnostic records in every shape a message may hold
// them, spread over the partitions: every record becomes one event, with
// a ref naming its message and place in it, and each partition's position
// ends past its last message.
func TestShapes(t *testing.T) {
	c := newCluster(t)
	p := newProducer(t, c)
	recs := flat(ruleRecords(t))
	want := map[string]bool{}
	next := map[string]string{}
	for i, s := 0, shape(0); i < len(recs); s = (s + 1) % shapes {
		n := min(1+int(s), len(recs)-i)
		if s == single {
			n = 1
		}
		part := int32(s) % partitions
		off := p.produce(part, message(s, recs[i:i+n]))[0]
		for k := range n {
			want[fmt.Sprintf("%s/%d@%d.%d", topic, part, off, k)] = true
		}
		next[strconv.Itoa(int(part))] = strconv.FormatInt(off+1, 10)
		i += n
	}
	k := newSink()
	r := run(t, newSource(t, c, "shapes", kafka.Options{}), k)
	waitFor(t, 20*time.Second, "every record stored", func() bool { return k.records() >= int64(len(recs)) })
	r.stop()

	if k.counts.Records != int64(len(recs)) || k.counts.Events != int64(len(recs)) {
		t.Errorf("counts = %+v, want %d records, all events", k.counts, len(recs))
	}
	for ref, n := range k.events {
		if !want[ref] || n != 1 {
			t.Errorf("event %s stored %d times, expected %v", ref, n, want[ref])
		}
	}
	if len(k.events) != len(want) {
		t.Errorf("%d events stored, want %d", len(k.events), len(want))
	}
	for r := range k.rejected {
		t.Errorf("rejected %s: %+v", r, k.rejected[r])
	}
	for s, v := range next {
		if k.pos[s] != v {
			t.Errorf("position of partition %s = %q, want %q", s, k.pos[s], v)
		}
	}
}

// TestRejected hands on messages that cannot be decoded, and records that
// cannot be decoded within a message, as rejected records naming their
// offset, with their reason and first bytes, and reads the good messages
// after them: a bad message never blocks its partition.
func TestRejected(t *testing.T) {
	c := newCluster(t)
	p := newProducer(t, c)
	recs := flat(ruleRecords(t))
	good := []byte(recs[0])
	type bad struct {
		value    []byte
		position string // after "offset N"
		reason   string
		records  int // records the message counts, events among them
		events   int
	}
	bads := []bad{
		{[]byte{}, "", "no record", 1, 0},
		{[]byte("hello, kafka"), "", "not JSON", 1, 0},
		{[]byte("\x00\x01\x02binary"), "", "not JSON", 1, 0},
		{[]byte(`{"records":[]}`), "", "no record", 1, 0},
		{[]byte(recs[1] + "\n{\"time\":\"2026-\n" + recs[2] + "\n"), " record 1", "invalid JSON", 3, 2},
		{[]byte(`{"records":[` + recs[3] + `,{"time":`), " record 1", "invalid JSON", 2, 1},
	}
	var records, events int
	for i, b := range bads {
		part := int32(i % partitions)
		off := p.produce(part, b.value, good)
		bads[i].position = "offset " + strconv.FormatInt(off[0], 10) + b.position
		records += b.records + 1
		events += b.events + 1
	}
	k := newSink()
	r := run(t, newSource(t, c, "rejected", kafka.Options{}), k)
	waitFor(t, 20*time.Second, "every record stored", func() bool { return k.records() >= int64(records) })
	r.stop()

	if k.counts.Records != int64(records) || k.counts.Events != int64(events) || k.counts.Rejected != int64(len(bads)) {
		t.Errorf("counts = %+v, want %d records, %d events, %d rejected", k.counts, records, events, len(bads))
	}
	for i, b := range bads {
		key := strconv.Itoa(i%partitions) + "/" + b.position
		rj, ok := k.rejected[key]
		switch {
		case !ok:
			t.Errorf("message %d: no rejected record at %s; have %v", i, key, k.rejected)
		case rj.Reason != b.reason:
			t.Errorf("message %d: reason %q, want %q", i, rj.Reason, b.reason)
		case len(b.value) > 0 && len(rj.Head) == 0:
			t.Errorf("message %d: no first bytes kept", i)
		case rj.Message == "":
			t.Errorf("message %d: no message", i)
		}
	}
	for s := range partitions {
		if k.pos[strconv.Itoa(s)] == "" {
			t.Errorf("partition %d: no position", s)
		}
	}
}

// TestResume restarts a source: each partition starts at the position
// the store holds, ahead of the offsets committed to the group when the
// last batches' commits were lost; the group's offsets move only once a
// batch is stored; a store that holds no position starts at the group's
// committed offsets, and a new group at the earliest message.
func TestResume(t *testing.T) {
	c := newCluster(t)
	p := newProducer(t, c)
	recs := flat(ruleRecords(t))
	adm := kadm.NewClient(p.cl)
	produce := func(n int) map[string]bool {
		refs := map[string]bool{}
		for i := range n {
			part := int32(i % partitions)
			off := p.produce(part, []byte(recs[i%len(recs)]))[0]
			refs[fmt.Sprintf("%s/%d@%d.0", topic, part, off)] = true
		}
		return refs
	}
	committed := func() int64 {
		offs, err := adm.FetchOffsets(t.Context(), "resume")
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		offs.Each(func(o kadm.OffsetResponse) { n += o.At })
		return n
	}
	expect := func(k *sink, refs map[string]bool) {
		t.Helper()
		if len(k.events) != len(refs) {
			t.Errorf("%d events stored, want %d", len(k.events), len(refs))
		}
		for ref, n := range k.events {
			if !refs[ref] || n != 1 {
				t.Errorf("event %s stored %d times, expected %v", ref, n, refs[ref])
			}
		}
	}

	// A first run stores and commits 30 messages.
	k := newSink()
	first := produce(30)
	r := run(t, newSource(t, c, "resume", kafka.Options{}), k)
	waitFor(t, 20*time.Second, "30 records", func() bool { return k.records() == 30 })
	waitFor(t, 10*time.Second, "offsets committed", func() bool { return committed() == 30 })
	r.stop()
	expect(k, first)

	// A second run stores 30 more, but their commits never happen.
	k2 := newSink()
	k2.pos, k2.noAck = k.pos, true
	second := produce(30)
	r = run(t, newSource(t, c, "resume", kafka.Options{}), k2)
	waitFor(t, 20*time.Second, "30 more records", func() bool { return k2.records() == 30 })
	r.stop()
	expect(k2, second)
	if n := committed(); n != 30 {
		t.Errorf("group offsets sum to %d with nothing acknowledged, want 30", n)
	}

	// The third starts at the stored positions, not at the group's.
	k3 := newSink()
	k3.pos = k2.pos
	third := produce(30)
	r = run(t, newSource(t, c, "resume", kafka.Options{}), k3)
	waitFor(t, 20*time.Second, "30 new records", func() bool { return k3.records() >= 30 })
	waitFor(t, 10*time.Second, "offsets committed", func() bool { return committed() == 90 })
	r.stop()
	expect(k3, third)

	// An empty store starts at the group's offsets.
	k4 := newSink()
	fourth := produce(6)
	r = run(t, newSource(t, c, "resume", kafka.Options{}), k4)
	waitFor(t, 20*time.Second, "6 new records", func() bool { return k4.records() >= 6 })
	r.stop()
	expect(k4, fourth)

	// A new group with an empty store reads from the start.
	k5 := newSink()
	r = run(t, newSource(t, c, "resume-new", kafka.Options{}), k5)
	waitFor(t, 20*time.Second, "every record", func() bool { return k5.records() >= 96 })
	r.stop()
	if len(k5.events) != 96 {
		t.Errorf("new group: %d events, want 96", len(k5.events))
	}
}

// TestHandOver runs two sources of one group over one store while
// messages stream in: one joins, then the other leaves. Partitions move
// between them, and every message is stored exactly once.
func TestHandOver(t *testing.T) {
	c := newCluster(t)
	p := newProducer(t, c)
	recs := flat(ruleRecords(t))
	k := newSink()
	const total = 600
	produced := make(chan struct{})
	go func() {
		defer close(produced)
		for i := range total {
			p.produce(int32(i%partitions), []byte(recs[i%len(recs)]))
			time.Sleep(2 * time.Millisecond)
		}
	}()
	a := run(t, newSource(t, c, "handover", kafka.Options{MaxMessages: 20}), k)
	waitFor(t, 20*time.Second, "some records", func() bool { return k.records() > 100 })
	b := run(t, newSource(t, c, "handover", kafka.Options{MaxMessages: 20}), k)
	waitFor(t, 20*time.Second, "more records", func() bool { return k.records() > 300 })
	a.stop()
	<-produced
	waitFor(t, 30*time.Second, "every record", func() bool { return k.records() >= total })
	b.stop()
	if k.counts.Records != total {
		t.Errorf("%d records stored, want %d", k.counts.Records, total)
	}
	for ref, n := range k.events {
		if n != 1 {
			t.Errorf("%s stored %d times", ref, n)
		}
	}
	if len(k.events) != total {
		t.Errorf("%d distinct events, want %d", len(k.events), total)
	}
}

// TestStale moves a partition's stored position on behind the source's
// back, as a member that took the partition over would: the source's
// next batch is refused as stale, and the source reads on from the
// stored position, never storing a record before it or moving it back.
func TestStale(t *testing.T) {
	c := newCluster(t)
	p := newProducer(t, c)
	recs := flat(ruleRecords(t))
	produce := func(n int) {
		for i := range n {
			p.produce(0, []byte(recs[i%len(recs)]))
		}
	}
	k := newSink()
	produce(10)
	r := run(t, newSource(t, c, "stale", kafka.Options{}), k)
	waitFor(t, 20*time.Second, "10 records", func() bool { return k.records() == 10 })
	k.mu.Lock()
	k.pos["0"] = "15" // another member stored offsets 10 to 14
	k.mu.Unlock()
	produce(20)
	waitFor(t, 30*time.Second, "the position past the last message", func() bool {
		k.mu.Lock()
		defer k.mu.Unlock()
		return k.pos["0"] == "30"
	})
	r.stop()
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.stale == 0 {
		t.Error("no batch refused as stale: the test checks nothing")
	}
	for off := range 30 {
		ref := fmt.Sprintf("%s/0@%d.0", topic, off)
		want := 1
		if off >= 10 && off < 15 {
			want = 0
		}
		if k.events[ref] != want {
			t.Errorf("message at offset %d stored %d times, want %d", off, k.events[ref], want)
		}
	}
	if k.counts.Records != 25 {
		t.Errorf("%d records counted, want 25", k.counts.Records)
	}
}
