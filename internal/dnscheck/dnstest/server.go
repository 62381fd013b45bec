// Package dnstest runs a small DNS server on the loopback interface for
// tests: it answers A queries over UDP and TCP from a fixed table, the way
// a recursive resolver would, and can be told to fail, stall or truncate
// for chosen names.
package dnstest

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strings"
	"sync"

	"golang.org/x/net/dns/dnsmessage"
)

// Name is how the server treats one name. The zero value answers NXDOMAIN.
type Name struct {
	// A is an IPv4 address for the name.
	A string
	// CNAME makes the name an alias of another.
	CNAME string
	// Empty makes the name exist without any address (NOERROR, no data).
	Empty bool
	// ServFail answers SERVFAIL.
	ServFail bool
	// Refused answers REFUSED.
	Refused bool
	// Drop never answers, so that the client times out.
	Drop bool
	// Truncate sets the truncated flag on UDP answers about the name, so
	// that the client must ask again over TCP.
	Truncate bool
}

// Options change how the server answers.
type Options struct {
	// Shallow stops each answer after the first alias, as a server that
	// does not chase aliases would; the client must ask for the target.
	Shallow bool
}

// Server is a running test DNS server.
type Server struct {
	// Addr is the "127.0.0.1:port" address it listens on, for UDP and TCP.
	Addr string

	zone map[string]Name
	opts Options
	udp  net.PacketConn
	tcp  net.Listener
	wg   sync.WaitGroup

	mu      sync.Mutex
	queries map[string]int
}

// Start starts a server for zone, keyed by name in lower case without the
// final dot. Names not in zone do not exist.
func Start(zone map[string]Name, opts Options) (*Server, error) {
	if err := check(zone); err != nil {
		return nil, err
	}
	s := &Server{zone: zone, opts: opts, queries: map[string]int{}}
	var err error
	for range 20 { // the UDP port may be taken for TCP; try another
		if s.udp, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("dnstest: %w", err)
		}
		s.Addr = s.udp.LocalAddr().String()
		if s.tcp, err = net.Listen("tcp", s.Addr); err == nil {
			break
		}
		s.udp.Close()
	}
	if err != nil {
		return nil, fmt.Errorf("dnstest: %w", err)
	}
	s.wg.Go(s.serveUDP)
	s.wg.Go(s.serveTCP)
	return s, nil
}

// Close stops the server and waits for it to finish.
func (s *Server) Close() {
	s.udp.Close()
	s.tcp.Close()
	s.wg.Wait()
}

// Queries returns how many queries for name the server received.
func (s *Server) Queries(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.queries[name]
}

func (s *Server) serveUDP() {
	buf := make([]byte, 65535)
	for {
		n, from, err := s.udp.ReadFrom(buf)
		if err != nil {
			return
		}
		if out, ok := s.answer(buf[:n], true); ok {
			s.udp.WriteTo(out, from)
		}
	}
}

func (s *Server) serveTCP() {
	for {
		conn, err := s.tcp.Accept()
		if err != nil {
			return
		}
		s.wg.Go(func() {
			defer conn.Close()
			var size [2]byte
			if _, err := io.ReadFull(conn, size[:]); err != nil {
				return
			}
			msg := make([]byte, binary.BigEndian.Uint16(size[:]))
			if _, err := io.ReadFull(conn, msg); err != nil {
				return
			}
			if out, ok := s.answer(msg, false); ok {
				conn.Write(binary.BigEndian.AppendUint16(nil, uint16(len(out))))
				conn.Write(out)
			}
		})
	}
}

// answer builds the reply to query msg, or reports false to stay silent.
func (s *Server) answer(msg []byte, udp bool) ([]byte, bool) {
	var q dnsmessage.Message
	if err := q.Unpack(msg); err != nil || len(q.Questions) != 1 {
		return nil, false
	}
	qn := strings.TrimSuffix(strings.ToLower(q.Questions[0].Name.String()), ".")
	s.mu.Lock()
	s.queries[qn]++
	s.mu.Unlock()
	resp := dnsmessage.Message{
		Header:    dnsmessage.Header{ID: q.ID, Response: true, RecursionDesired: q.RecursionDesired, RecursionAvailable: true},
		Questions: q.Questions,
	}
	name, cur := s.zone[qn], qn
	if name.Drop {
		return nil, false
	}
	if udp && name.Truncate {
		resp.Truncated = true
		return pack(resp)
	}
	for name.CNAME != "" {
		target := strings.ToLower(name.CNAME)
		resp.Answers = append(resp.Answers, record(cur, &dnsmessage.CNAMEResource{CNAME: mustName(target)}))
		cur, name = target, s.zone[target]
		if s.opts.Shallow || len(resp.Answers) > 16 {
			return pack(resp)
		}
	}
	s.finish(&resp, cur, name)
	return pack(resp)
}

// finish sets the rcode and address of the last name reached.
func (s *Server) finish(resp *dnsmessage.Message, cur string, name Name) {
	_, known := s.zone[cur]
	switch {
	case name.ServFail:
		resp.RCode = dnsmessage.RCodeServerFailure
	case name.Refused:
		resp.RCode = dnsmessage.RCodeRefused
	case name.A != "":
		a, _ := netip.ParseAddr(name.A)
		resp.Answers = append(resp.Answers, record(cur, &dnsmessage.AResource{A: a.As4()}))
	case !known:
		resp.RCode = dnsmessage.RCodeNameError
	}
}

func record(owner string, body dnsmessage.ResourceBody) dnsmessage.Resource {
	return dnsmessage.Resource{
		Header: dnsmessage.ResourceHeader{Name: mustName(owner), Class: dnsmessage.ClassINET, TTL: 60},
		Body:   body,
	}
}

// check makes sure every name and address of zone can be written in a
// DNS message.
func check(zone map[string]Name) error {
	for owner, n := range zone {
		for _, s := range []string{owner, n.CNAME} {
			if _, err := dnsmessage.NewName(s + "."); s != "" && err != nil {
				return fmt.Errorf("dnstest: name %q: %w", s, err)
			}
		}
		if a, err := netip.ParseAddr(n.A); n.A != "" && (err != nil || !a.Is4()) {
			return fmt.Errorf("dnstest: %s: %q is not an IPv4 address", owner, n.A)
		}
	}
	return nil
}

// mustName converts a name check has accepted.
func mustName(s string) dnsmessage.Name {
	n, _ := dnsmessage.NewName(s + ".")
	return n
}

func pack(m dnsmessage.Message) ([]byte, bool) {
	b, err := m.Pack()
	return b, err == nil
}
