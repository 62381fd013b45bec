package dnscheck

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"time"

	"golang.org/x/net/dns/dnsmessage"
)

// udpPayload is the EDNS0 UDP payload size offered, the size DNS Flag Day
// 2020 settled on to avoid fragmentation.
const udpPayload = 1232

// maxMessage bounds a DNS message read over TCP or UDP.
const maxMessage = 65535

// errTimeout marks a query that got no answer in time.
var errTimeout = errors.New("no answer in time")

// answer is what one response says about a name: its rcode, the aliases
// it lists and the names it gives addresses for.
type answer struct {
	rcode   dnsmessage.RCode
	aliases map[string]string
	addrs   map[string]bool
}

// resolve looks name up, following the alias chain when the server stops
// short of its end, and says what became of it.
func (r *Resolver) resolve(ctx context.Context, name string) Result {
	res := Result{Host: name}
	cur := name
	seen := map[string]bool{name: true}
	for {
		ans, err := r.query(ctx, cur)
		if err != nil {
			return failure(res, err)
		}
		hops, end, loop := ans.follow(cur, seen)
		res.Chain = append(res.Chain, hops...)
		switch {
		case loop:
			return withDetail(res, Failed, "alias loop at "+end)
		case len(res.Chain) > r.cfg.MaxChain:
			return withDetail(res, Failed, fmt.Sprintf("alias chain longer than %d names", r.cfg.MaxChain))
		}
		switch ans.rcode {
		case dnsmessage.RCodeSuccess:
			if len(hops) == 0 || ans.addrs[end] {
				res.State = Resolves
				return res
			}
			cur = end // the server gave aliases but nothing for the last one
		case dnsmessage.RCodeNameError:
			res.State = NXDomain
			if len(res.Chain) > 0 {
				res.State = DanglingCNAME
			}
			res.Claimable = r.cfg.Claimable(end)
			return res
		case dnsmessage.RCodeServerFailure:
			res.State = ServFail
			return res
		default:
			return withDetail(res, Failed, "server answered "+rcodeName(ans.rcode))
		}
	}
}

func failure(res Result, err error) Result {
	if errors.Is(err, errTimeout) {
		res.State = Timeout
		return res
	}
	return withDetail(res, Failed, err.Error())
}

func withDetail(res Result, s State, detail string) Result {
	res.State, res.Detail = s, detail
	return res
}

// rcodeName names an rcode without the Go prefix dnsmessage gives it.
func rcodeName(c dnsmessage.RCode) string {
	return strings.ToUpper(strings.TrimPrefix(c.String(), "RCode"))
}

// follow walks the aliases of the answer from name and returns the
// targets met, the last name reached, and whether the walk came back to a
// name already seen. seen gains every name met.
func (a *answer) follow(name string, seen map[string]bool) (hops []string, end string, loop bool) {
	end = name
	for {
		next, ok := a.aliases[end]
		if !ok {
			return hops, end, false
		}
		if seen[next] {
			return hops, next, true
		}
		seen[next] = true
		hops = append(hops, next)
		end = next
	}
}

// query asks the server for the IPv4 addresses of name, retrying when an
// attempt times out, and over TCP when the UDP answer was truncated.
func (r *Resolver) query(ctx context.Context, name string) (*answer, error) {
	msg, id, err := buildQuery(name)
	if err != nil {
		return nil, err
	}
	var last error
	for range r.cfg.Attempts {
		resp, err := r.exchange(ctx, "udp", msg, id, name)
		if err == nil && resp.truncated {
			resp, err = r.exchange(ctx, "tcp", msg, id, name)
		}
		if err == nil {
			return resp.answer, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		last = err
		if !errors.Is(err, errTimeout) {
			return nil, err
		}
	}
	return nil, last
}

// buildQuery packs a recursive A query for name with an EDNS0 record.
func buildQuery(name string) ([]byte, uint16, error) {
	n, err := dnsmessage.NewName(name + ".")
	if err != nil {
		return nil, 0, fmt.Errorf("query %s: %w", name, err)
	}
	id := uint16(rand.Uint32())
	var opt dnsmessage.ResourceHeader
	if err := opt.SetEDNS0(udpPayload, dnsmessage.RCodeSuccess, false); err != nil {
		return nil, 0, fmt.Errorf("query %s: %w", name, err)
	}
	m := dnsmessage.Message{
		Header:      dnsmessage.Header{ID: id, RecursionDesired: true},
		Questions:   []dnsmessage.Question{{Name: n, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET}},
		Additionals: []dnsmessage.Resource{{Header: opt, Body: &dnsmessage.OPTResource{}}},
	}
	b, err := m.Pack()
	if err != nil {
		return nil, 0, fmt.Errorf("query %s: %w", name, err)
	}
	return b, id, nil
}

// response is a parsed answer to one query.
type response struct {
	answer    *answer
	truncated bool
}

// exchange sends msg over network ("udp" or "tcp") and reads the answer
// whose id and question match, within one attempt's timeout.
func (r *Resolver) exchange(ctx context.Context, network string, msg []byte, id uint16, name string) (*response, error) {
	conn, err := r.dialer.DialContext(ctx, network, r.cfg.Server)
	if err != nil {
		return nil, fmt.Errorf("query %s: %w", name, err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	conn.SetDeadline(time.Now().Add(r.cfg.Timeout))
	if network == "tcp" {
		return exchangeTCP(conn, msg, id, name)
	}
	return exchangeUDP(conn, msg, id, name)
}

func exchangeUDP(conn net.Conn, msg []byte, id uint16, name string) (*response, error) {
	if _, err := conn.Write(msg); err != nil {
		return nil, netError(name, err)
	}
	buf := make([]byte, maxMessage)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return nil, netError(name, err)
		}
		resp, err := parseResponse(buf[:n], id, name)
		if errors.Is(err, errMismatch) {
			continue // a stray or spoofed datagram: keep waiting
		}
		return resp, err
	}
}

func exchangeTCP(conn net.Conn, msg []byte, id uint16, name string) (*response, error) {
	framed := binary.BigEndian.AppendUint16(make([]byte, 0, len(msg)+2), uint16(len(msg)))
	if _, err := conn.Write(append(framed, msg...)); err != nil {
		return nil, netError(name, err)
	}
	var size [2]byte
	if _, err := io.ReadFull(conn, size[:]); err != nil {
		return nil, netError(name, err)
	}
	buf := make([]byte, binary.BigEndian.Uint16(size[:]))
	if _, err := io.ReadFull(conn, buf); err != nil {
		return nil, netError(name, err)
	}
	return parseResponse(buf, id, name)
}

// netError wraps a network error, marking deadlines as timeouts.
func netError(name string, err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return fmt.Errorf("query %s: %w", name, errTimeout)
	}
	return fmt.Errorf("query %s: %w", name, err)
}

// errMismatch marks a message that does not answer the query sent.
var errMismatch = errors.New("message does not answer the query")

// parseResponse reads a response to the query with id about name. It
// keeps the aliases and the names with A or AAAA records of the answer
// section, with names in lower case and without the final dot.
func parseResponse(b []byte, id uint16, name string) (*response, error) {
	var p dnsmessage.Parser
	h, err := p.Start(b)
	if err != nil {
		return nil, fmt.Errorf("answer for %s: %w", name, err)
	}
	if !h.Response || h.ID != id {
		return nil, errMismatch
	}
	q, err := p.Question()
	if err != nil || normalize(q.Name.String()) != name || q.Type != dnsmessage.TypeA {
		return nil, errMismatch
	}
	if err := p.SkipAllQuestions(); err != nil {
		return nil, fmt.Errorf("answer for %s: %w", name, err)
	}
	resp := &response{truncated: h.Truncated, answer: &answer{rcode: h.RCode, aliases: map[string]string{}, addrs: map[string]bool{}}}
	if h.Truncated {
		return resp, nil
	}
	for {
		rh, err := p.AnswerHeader()
		if errors.Is(err, dnsmessage.ErrSectionDone) {
			return resp, nil
		}
		if err != nil {
			return nil, fmt.Errorf("answer for %s: %w", name, err)
		}
		if err := resp.answer.add(&p, rh); err != nil {
			return nil, fmt.Errorf("answer for %s: %w", name, err)
		}
	}
}

// add records one answer record: an alias or an address.
func (a *answer) add(p *dnsmessage.Parser, rh dnsmessage.ResourceHeader) error {
	owner := normalize(rh.Name.String())
	switch rh.Type {
	case dnsmessage.TypeCNAME:
		c, err := p.CNAMEResource()
		if err != nil {
			return err
		}
		a.aliases[owner] = normalize(c.CNAME.String())
		return nil
	case dnsmessage.TypeA, dnsmessage.TypeAAAA:
		a.addrs[owner] = true
	}
	return p.SkipAnswer()
}
