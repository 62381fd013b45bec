// Package dnscheck finds dangling host names: names an application still
// sends users or tokens to, but which no longer exist in DNS, or which are
// aliases (CNAME) of a name that no longer exists. When the end of such an
// alias chain lies under a shared cloud domain (a deleted web app under
// azurewebsites.net, say), anyone can register it and receive what the
// application sends there.
//
// A Resolver asks one DNS server, over UDP with a fallback to TCP for
// truncated answers, using golang.org/x/net/dns/dnsmessage. It bounds the
// lookups in flight, the number of distinct names it looks up and the
// time one LookupAll call may take, gives up on a server that answers
// none of the first lookups, and remembers every answer, so a name shared
// by many applications is asked once.
package dnscheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/appwatch/appwatch/internal/uricheck"
)

// State is what DNS said about a host name.
type State string

// The states of a lookup. Only NXDomain and DanglingCNAME say the name is
// dangling; ServFail, Timeout, Failed and Skipped say nothing about it.
const (
	// Resolves means the name exists: it has addresses, or it exists
	// without any (an empty answer).
	Resolves State = "resolves"
	// NXDomain means the name itself does not exist.
	NXDomain State = "nxdomain"
	// DanglingCNAME means the name is an alias, and the name at the end of
	// its alias chain does not exist.
	DanglingCNAME State = "dangling_cname"
	// ServFail means the server could not answer (SERVFAIL).
	ServFail State = "servfail"
	// Timeout means no answer came in time, after every attempt.
	Timeout State = "timeout"
	// Failed means the lookup failed otherwise: a refused query, a network
	// error, a malformed answer or an alias loop.
	Failed State = "error"
	// Skipped means the name was not looked up, or its lookup was cut
	// short: it is not a host name (an IP address, a wildcard), the
	// lookup limit or LookupAll's time limit was reached, or the server
	// answered nothing at all. Detail says which.
	Skipped State = "skipped"
)

// Result is the outcome of looking up one host name.
type Result struct {
	// Host is the name looked up, in lower case without a trailing dot.
	Host  string `json:"host"`
	State State  `json:"state"`
	// Chain holds the alias targets in the order they were followed,
	// ending with the last name reached.
	Chain []string `json:"chain,omitempty"`
	// Claimable is set for a dangling name whose missing name (the host
	// itself, or the end of its chain) lies under a shared cloud domain
	// where anyone can register it.
	Claimable bool `json:"claimable,omitempty"`
	// Detail explains a Failed or Skipped state.
	Detail string `json:"detail,omitempty"`
}

// Dangling reports whether DNS says the name leads nowhere.
func (r Result) Dangling() bool { return r.State == NXDomain || r.State == DanglingCNAME }

// Known reports whether the lookup gave an answer about the name: it
// resolves or it dangles.
func (r Result) Known() bool { return r.State == Resolves || r.Dangling() }

// Defaults for the fields of Config left at their zero value.
const (
	DefaultTimeout  = 2 * time.Second
	DefaultAttempts = 2
	DefaultWorkers  = 8
	DefaultMaxNames = 10_000
	DefaultMaxChain = 8
	// DefaultTimeLimit bounds one LookupAll call. Against a server that
	// never answers, 10,000 names would otherwise take 10,000 ×
	// DefaultAttempts × DefaultTimeout / DefaultWorkers, over 80 minutes.
	DefaultTimeLimit = 2 * time.Minute
)

// silentLimit is how many lookups of one LookupAll call may time out,
// with no answer of any kind from the server before them, before it
// takes the server to be unreachable and skips the remaining names.
const silentLimit = 16

// Config configures a Resolver. Only Server is required.
type Config struct {
	// Server is the address of the DNS server to ask, "host:port", for
	// example "127.0.0.53:53". See SystemServer.
	Server string
	// Timeout bounds one attempt of one query. Default DefaultTimeout.
	Timeout time.Duration
	// Attempts is how many times a query that timed out is sent. Default
	// DefaultAttempts.
	Attempts int
	// Workers bounds the lookups LookupAll runs at once. Default
	// DefaultWorkers.
	Workers int
	// MaxNames bounds the distinct names the Resolver looks up in its
	// life; further names are Skipped. Default DefaultMaxNames.
	MaxNames int
	// MaxChain bounds the aliases followed from one name. Default
	// DefaultMaxChain.
	MaxChain int
	// TimeLimit bounds one LookupAll call: names without an answer when
	// it runs out are Skipped. Default DefaultTimeLimit.
	TimeLimit time.Duration
	// Claimable tells whether anyone can register a name. Default
	// uricheck.Claimable.
	Claimable func(host string) bool
	// Progress, when set, is called each time LookupAll has a result for
	// a name, with the number of names done and to do. Calls come one at
	// a time.
	Progress func(done, total int)
}

// Resolver looks up host names and remembers the results. It is safe for
// concurrent use.
type Resolver struct {
	cfg    Config
	dialer net.Dialer

	mu    sync.Mutex
	cache map[string]*entry
}

// entry is one name's lookup, finished when done is closed.
type entry struct {
	done chan struct{}
	res  Result
}

// New returns a Resolver for cfg.
func New(cfg Config) (*Resolver, error) {
	if cfg.Server == "" {
		return nil, errors.New("dns resolver: no server address")
	}
	if _, _, err := net.SplitHostPort(cfg.Server); err != nil {
		return nil, fmt.Errorf("dns resolver: server %q: %w", cfg.Server, err)
	}
	cfg.Timeout = positive(cfg.Timeout, DefaultTimeout)
	cfg.Attempts = positive(cfg.Attempts, DefaultAttempts)
	cfg.Workers = positive(cfg.Workers, DefaultWorkers)
	cfg.MaxNames = positive(cfg.MaxNames, DefaultMaxNames)
	cfg.MaxChain = positive(cfg.MaxChain, DefaultMaxChain)
	cfg.TimeLimit = positive(cfg.TimeLimit, DefaultTimeLimit)
	if cfg.Claimable == nil {
		cfg.Claimable = uricheck.Claimable
	}
	return &Resolver{cfg: cfg, cache: map[string]*entry{}}, nil
}

func positive[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// Lookup looks host up, or returns what an earlier lookup of it found.
// Concurrent lookups of one name share a single query. A lookup cut short
// by ctx is not remembered.
func (r *Resolver) Lookup(ctx context.Context, host string) Result {
	name := normalize(host)
	if why := notHostName(name); why != "" {
		return Result{Host: name, State: Skipped, Detail: why}
	}
	r.mu.Lock()
	e, ok := r.cache[name]
	if !ok && len(r.cache) >= r.cfg.MaxNames {
		r.mu.Unlock()
		return Result{Host: name, State: Skipped, Detail: fmt.Sprintf("lookup limit of %d names reached", r.cfg.MaxNames)}
	}
	if !ok {
		e = &entry{done: make(chan struct{})}
		r.cache[name] = e
	}
	r.mu.Unlock()
	if !ok {
		e.res = r.resolve(ctx, name)
		close(e.done)
		if ctx.Err() != nil { // the answer is about the context, not the name
			r.mu.Lock()
			delete(r.cache, name)
			r.mu.Unlock()
		}
	}
	select {
	case <-e.done:
		return e.res
	case <-ctx.Done():
		return Result{Host: name, State: Failed, Detail: ctx.Err().Error()}
	}
}

// LookupAll looks up every host, at most Config.Workers at a time and
// for at most Config.TimeLimit, and returns the results by host as given.
// When the time limit runs out, or the first lookups all time out without
// a single answer from the server, the names left are Skipped and their
// Detail says why.
func (r *Resolver) LookupAll(ctx context.Context, hosts []string) map[string]Result {
	limit := fmt.Errorf("time limit of %s for DNS lookups reached", r.cfg.TimeLimit)
	ctx, stopTime := context.WithTimeoutCause(ctx, r.cfg.TimeLimit, limit)
	defer stopTime()
	ctx, giveUp := context.WithCancelCause(ctx)
	defer giveUp(nil)
	names := uniq(hosts)
	b := batch{out: make(map[string]Result, len(names)), total: len(names), progress: r.cfg.Progress, giveUp: giveUp}
	work := make(chan string)
	var wg sync.WaitGroup
	for range min(r.cfg.Workers, max(len(names), 1)) {
		wg.Go(func() {
			for h := range work {
				b.record(h, r.lookupBefore(ctx, h, limit))
			}
		})
	}
	for _, h := range names {
		if stopped(ctx, limit) != nil {
			break
		}
		select {
		case work <- h:
		case <-ctx.Done():
		}
	}
	close(work)
	wg.Wait()
	for _, h := range names {
		if _, ok := b.out[h]; !ok {
			b.out[h] = Result{Host: normalize(h), State: Skipped, Detail: stopped(ctx, limit).Error()}
		}
	}
	return b.out
}

// lookupBefore looks host up unless ctx has stopped, and turns a failure
// that came from ctx stopping into a Skipped result that says why.
func (r *Resolver) lookupBefore(ctx context.Context, host string, limit error) Result {
	if why := stopped(ctx, limit); why != nil {
		return Result{Host: normalize(host), State: Skipped, Detail: why.Error()}
	}
	res := r.Lookup(ctx, host)
	if why := stopped(ctx, limit); why != nil && !res.Known() {
		return withDetail(Result{Host: res.Host}, Skipped, why.Error())
	}
	return res
}

// stopped returns why ctx has stopped, or nil. A deadline that has passed
// counts as limit even before ctx's timer fires: on a loaded machine the
// timer can be late while every dial already fails against the deadline.
func stopped(ctx context.Context, limit error) error {
	if err := context.Cause(ctx); err != nil {
		return err
	}
	if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
		return limit
	}
	return nil
}

// batch gathers the results of one LookupAll call and watches for a
// server that answers nothing.
type batch struct {
	mu       sync.Mutex
	out      map[string]Result
	total    int
	progress func(done, total int)
	giveUp   context.CancelCauseFunc
	answered bool // the server has answered at least once
	silent   int  // lookups timed out before any answer
}

// record keeps the result for host, reports progress, and gives up on
// the server when the first silentLimit lookups all timed out.
func (b *batch) record(host string, res Result) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.out[host] = res
	switch res.State {
	case Resolves, NXDomain, DanglingCNAME, ServFail:
		b.answered = true
	case Timeout:
		if b.silent++; !b.answered && b.silent == silentLimit {
			b.giveUp(fmt.Errorf("the DNS server answered none of the first %d lookups", silentLimit))
		}
	}
	if b.progress != nil {
		b.progress(len(b.out), b.total)
	}
}

// uniq returns hosts without repeats, in their first order.
func uniq(hosts []string) []string {
	seen := make(map[string]bool, len(hosts))
	out := make([]string, 0, len(hosts))
	for _, h := range hosts {
		if !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	return out
}

// normalize lower-cases a name and drops a trailing dot.
func normalize(host string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
}

// notHostName says why name cannot be looked up, or returns "" when it
// can: it must be a dotted DNS name of letters, digits, hyphens and
// underscores, with labels of 1 to 63 bytes, 253 bytes at most.
func notHostName(name string) string {
	switch {
	case name == "":
		return "empty name"
	case uricheck.IsIP(name):
		return "an IP address"
	case strings.Contains(name, "*"):
		return "a wildcard"
	case len(name) > 253:
		return "name longer than 253 bytes"
	case !strings.Contains(name, "."):
		return "not a fully qualified name"
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 {
			return "a label is empty or longer than 63 bytes"
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return fmt.Sprintf("character %q is not allowed in a host name", label[i:i+1])
			}
		}
	}
	return ""
}
