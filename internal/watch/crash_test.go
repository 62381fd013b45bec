//go:build unix

package watch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/corpus"
	"github.com/appwatch/appwatch/internal/store"
	"github.com/appwatch/appwatch/internal/store/storetest"
)

// buildAppwatch builds the appwatch binary into a temporary directory.
func buildAppwatch(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command to build appwatch with: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "appwatch")
	cmd := exec.Command(goTool, "build", "-o", bin, "github.com/appwatch/appwatch/cmd/appwatch")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build appwatch: %v\n%s", err, out)
	}
	return bin
}

// crashFile is one file the crash test writes, line by line.
type crashFile struct {
	name  string
	lines []string
	ends  []int64 // offset just past each line
	bad   []int   // 1-based numbers of the lines that are not records
}

// crashInput is what the crash test writes and expects.
type crashInput struct {
	files []*crashFile
	// alerts are the alerts scan raises on the complete files, as
	// canonical JSON, by file and line; correlation alerts apart.
	alerts      map[string]map[int][]string
	correlation []string
	all         []string
	records     int
}

// newCrashInput makes files of corpus records, with lines that are not
// records here and there, and works out what appwatch scan raises on them
// once they are complete in logs.
func newCrashInput(t *testing.T, logs string, files, perFile int, seed uint64) *crashInput {
	t.Helper()
	var b bytes.Buffer
	if _, err := corpus.Generate(&b, corpus.Options{Size: int64(files*perFile) * 3000, Seed: seed, AuditShare: 0.3}); err != nil {
		t.Fatal(err)
	}
	records := strings.SplitAfter(strings.TrimSuffix(b.String(), "\n"), "\n")
	// Both steps of a correlation, for apps of their own, land in
	// different files at different times.
	steps := testRecords(t, "credential-added-after-admin-consent", "match-eventhub.json")
	placed := map[[2]int]string{}
	for k := range 6 {
		r := strings.NewReplacer("c0ffee", fmt.Sprintf("c0ff%02x", k), "9f8e7d6c", fmt.Sprintf("9f8e7d%02x", k), "4d5e6f70", fmt.Sprintf("4d5e6f%02x", k))
		placed[[2]int{k % files, perFile/8 + 40*k}] = r.Replace(steps[0])
		placed[[2]int{(k + 1 + k%2) % files, perFile/2 + 40*k}] = r.Replace(steps[1])
	}
	in := &crashInput{alerts: map[string]map[int][]string{}}
	ref := t.TempDir()
	for i := range files {
		f := &crashFile{name: fmt.Sprintf("part-%02d.json", i)}
		for len(f.lines) < perFile && len(records) > 0 {
			switch n := len(f.lines) + 1; {
			case placed[[2]int{i, n}] != "":
				f.lines = append(f.lines, placed[[2]int{i, n}])
				in.records++
			case n%97 == 50:
				f.lines = append(f.lines, fmt.Sprintf("not a record %d.%d\n", i, n))
				f.bad = append(f.bad, n)
			case n%211 == 100:
				f.lines = append(f.lines, `{"time":"2026-03-02T07:00:00Z","category":}`+"\n")
				f.bad = append(f.bad, n)
			default:
				f.lines, records = append(f.lines, records[0]), records[1:]
				in.records++
			}
		}
		var off int64
		for _, l := range f.lines {
			off += int64(len(l))
			f.ends = append(f.ends, off)
		}
		in.records += len(f.bad)
		in.files = append(in.files, f)
		if err := os.WriteFile(filepath.Join(ref, f.name), []byte(strings.Join(f.lines, "")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// What scan raises on the complete files, named as in logs.
	for _, text := range scanAlerts(t, ref) {
		text = strings.ReplaceAll(text, ref+"/", logs+"/")
		in.all = append(in.all, text)
		var a struct {
			Correlation any
			Source      struct {
				File string
				Line int
			}
		}
		json.Unmarshal([]byte(text), &a)
		if a.Correlation != nil {
			in.correlation = append(in.correlation, text)
			continue
		}
		byLine := in.alerts[a.Source.File]
		if byLine == nil {
			byLine = map[int][]string{}
			in.alerts[a.Source.File] = byLine
		}
		byLine[a.Source.Line] = append(byLine[a.Source.Line], text)
	}
	slices.Sort(in.all)
	return in
}

// write writes the files one after the other, a few lines at a time and
// sometimes half a line, pacing itself so that writing takes about d.
func (in *crashInput) write(t *testing.T, logs string, r *rand.Rand, d time.Duration) {
	total := 0
	for _, f := range in.files {
		total += len(f.lines)
	}
	pause := d * 10 / time.Duration(total)
	for _, f := range in.files {
		out, err := os.OpenFile(filepath.Join(logs, f.name), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			t.Error(err)
			return
		}
		var rest string // the end of a line written in half
		for i := 0; i < len(f.lines); {
			n := min(1+r.IntN(20), len(f.lines)-i)
			chunk := rest + strings.Join(f.lines[i:i+n], "")
			i += n
			rest = ""
			if i < len(f.lines) && r.IntN(3) == 0 {
				half := len(f.lines[i]) / 2
				chunk, rest = chunk+f.lines[i][:half], f.lines[i][half:]
				i++
			}
			if _, err := out.WriteString(chunk); err != nil {
				t.Error(err)
				return
			}
			time.Sleep(pause) // the pace records arrive at, not a wait for a result
		}
		if _, err := out.WriteString(rest); err != nil {
			t.Error(err)
		}
		out.Close()
	}
}

// child is an appwatch watch process.
type child struct {
	cmd  *exec.Cmd
	done chan error
}

func startChild(t *testing.T, bin, dsn, logs string, log *os.File, extra ...string) *child {
	t.Helper()
	args := []string{"watch", "--store", dsn, "--source", "dir:" + logs, "--poll", "20ms", "--settle", "2s", "--log-format", "json"}
	cmd := exec.Command(bin, append(args, extra...)...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, done: make(chan error, 1)}
	exited := make(chan struct{})
	go func() {
		c.done <- cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() { // a test that fails half way leaves no child behind
		cmd.Process.Signal(syscall.SIGKILL)
		<-exited
	})
	return c
}

// kill kills the child with SIGKILL and waits for it to be gone.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-c.done
}

// TestCrash runs appwatch watch as a child process over a folder that
// grows, kills it with SIGKILL at random moments and starts it again.
// After each kill, the stored positions of every file have moved only past
// records whose alerts, rejections and counts are stored; at the end every
// alert appwatch scan raises on the complete files is stored exactly once
// and every record is counted. APPWATCH_CRASH_SEED picks another run.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds appwatch and runs it for a while")
	}
	seed := uint64(1)
	if s := os.Getenv("APPWATCH_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	bin := buildAppwatch(t)
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			crash(t, bin, storetest.DSN(t, d), seed)
		})
	}
}

func crash(t *testing.T, bin, dsn string, seed uint64) {
	const minKills = 20
	logs := t.TempDir()
	source := "dir:" + logs
	in := newCrashInput(t, logs, 4, 700, seed)
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
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(writing)
		in.write(t, logs, rand.New(rand.NewPCG(seed, 8)), 12*time.Second)
	}()
	defer wg.Wait()

	kills := 0
	for ; kills < minKills || !closed(writing); kills++ {
		c := startChild(t, bin, dsn, logs, log)
		time.Sleep(time.Duration(50+r.IntN(700)) * time.Millisecond) // a random moment to kill at
		c.kill(t)
		in.check(t, dsn, source, false)
		if t.Failed() {
			t.Fatalf("after kill %d", kills+1)
		}
	}
	wg.Wait()

	// Started once more, appwatch reads what is left and stops on SIGTERM.
	started := watchingLines(t, log.Name())
	c := startChild(t, bin, dsn, logs, log)
	waitFor(t, 30*time.Second, "the last child running", func() bool { return watchingLines(t, log.Name()) > started })
	st := openStore(t, dsn)
	waitFor(t, 60*time.Second, "every record stored", func() bool { return recordsStored(t, st, source) == int64(in.records) })
	waitFor(t, 30*time.Second, "every alert stored", func() bool { return len(storedAlerts(t, st)) >= len(in.all) })
	stopped := time.Now()
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-c.done:
		if err != nil {
			t.Errorf("appwatch watch exited with %v after SIGTERM, want 0", err)
		}
	case <-time.After(10 * time.Second):
		c.kill(t)
		t.Fatal("appwatch watch did not stop within 10 seconds of SIGTERM")
	}
	took := time.Since(stopped)
	in.check(t, dsn, source, true)
	t.Logf("%d kills with SIGKILL while %d records (%d of them not records) streamed into %d files; %d alerts stored once each (%d of correlations); stopped %v after SIGTERM",
		kills, in.records, in.records-in.recordsOnly(), len(in.files), len(in.all), len(in.correlation), took.Round(time.Millisecond))
}

// watchingLines counts the lines in which children said they run, which
// they do once they handle SIGTERM.
func watchingLines(t *testing.T, path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Count(string(b), `"msg":"watching"`)
}

func (in *crashInput) recordsOnly() int {
	n := in.records
	for _, f := range in.files {
		n -= len(f.bad)
	}
	return n
}

func closed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// check reads what the store holds after a child stopped. For each file,
// the records before its stored position are those counted, their alerts
// are stored and the lines that are not records are rejected; nothing
// else is stored. At the end, every file is stored whole and the alerts
// are exactly those scan raises, correlations included.
func (in *crashInput) check(t *testing.T, dsn, source string, final bool) {
	t.Helper()
	st, err := store.Open(t.Context(), dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	positions, err := st.Positions(t.Context(), source)
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]bool{}
	all := storedAlerts(t, st)
	for _, a := range all {
		a.AlertKey, a.Status, a.FirstSeen = "", "", ""
		c := canonical(t, a)
		if stored[c] {
			t.Errorf("stored twice, under two keys: %.200s", c)
		}
		stored[c] = true
	}
	rejected := map[string]bool{}
	st.RejectedRecords(t.Context(), source, func(r store.RejectedRecord) error {
		rejected[r.Stream+" "+r.Position] = true
		return nil
	})
	// Which file each stream is, and how far it was read.
	read := map[string]int64{}
	streamOf := map[string]string{}
	for stream, text := range positions {
		var p struct {
			Offset int64
			Name   string
		}
		if err := json.Unmarshal([]byte(text), &p); err != nil {
			t.Fatalf("position %s: %v", text, err)
		}
		read[p.Name] = p.Offset
		streamOf[p.Name] = stream
	}
	counted, wantRejected := 0, 0
	for _, f := range in.files {
		path := filepath.Join(strings.TrimPrefix(source, "dir:"), f.name)
		offset := read[path]
		lines, _ := slices.BinarySearch(f.ends, offset+1) // lines whose end is at or before offset
		if final && lines != len(f.lines) {
			t.Errorf("%s: read %d of %d lines", f.name, lines, len(f.lines))
		}
		if lines > 0 && f.ends[lines-1] != offset {
			t.Errorf("%s: position %d is inside line %d", f.name, offset, lines+1)
		}
		counted += lines
		for n := 1; n <= lines; n++ {
			for _, a := range in.alerts[path][n] {
				if !stored[a] {
					t.Errorf("%s: position past line %d, whose alert is not stored: %.200s", f.name, n, a)
				}
			}
		}
		for _, n := range f.bad {
			if n <= lines {
				wantRejected++
				if !rejected[streamOf[path]+" line "+strconv.Itoa(n)] {
					t.Errorf("%s: position past line %d, not a record, which is not stored as rejected", f.name, n)
				}
			}
		}
	}
	counts, err := st.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c := counts[source]
	if c.Records != int64(counted) || c.Rejected != int64(wantRejected) || c.Records != c.Events+c.Skipped+c.Rejected {
		t.Errorf("counts %+v; the positions are past %d records, %d of them rejected", c, counted, wantRejected)
	}
	if len(rejected) != wantRejected {
		t.Errorf("%d rejected records stored, want %d", len(rejected), wantRejected)
	}
	for a := range stored {
		if !slices.Contains(in.all, a) {
			t.Errorf("stored an alert scan does not raise: %s", a)
		}
	}
	if final && len(stored) != len(in.all) {
		t.Errorf("%d alerts stored, scan raises %d", len(stored), len(in.all))
	}
}
