package notify

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/sink"
)

// sdID names appwatch's element of structured data. RFC 5424 wants
// NAME@PEN, a private enterprise number; 32473 is the one IANA reserves
// for documentation and examples (RFC 5612), since appwatch has none.
const sdID = "appwatch@32473"

// The syslog message sizes, in bytes: RFC 5426 asks UDP receivers for at
// least 2048; over TCP and TLS, 8192 is what common receivers (rsyslog)
// take by default.
const (
	defaultUDPSize = 2048
	defaultTCPSize = 8192
	minSyslogSize  = 1024
	maxSyslogSize  = 1 << 20
)

// facilities are the syslog facilities by name.
var facilities = map[string]int{
	"kern": 0, "user": 1, "mail": 2, "daemon": 3, "auth": 4, "syslog": 5, "lpr": 6, "news": 7,
	"uucp": 8, "cron": 9, "authpriv": 10, "ftp": 11, "ntp": 12, "security": 13, "console": 14,
	"local0": 16, "local1": 17, "local2": 18, "local3": 19, "local4": 20, "local5": 21, "local6": 22, "local7": 23,
}

// syslogSink writes each alert as an RFC 5424 message, its fields in
// structured data and its title, or the whole alert in CEF, as the text;
// over TCP and TLS framed by octet counting (RFC 6587), over UDP one
// datagram each.
type syslogSink struct {
	network, addr string
	tls           *tls.Config
	cef           bool
	facility      int
	maxSize       int
	hostname      string
	procID        string
	version       string
	p             *i18n.Printer
	now           func() time.Time
	timeout       time.Duration

	mu   sync.Mutex
	conn net.Conn
}

func newSyslog(cfg Config, target string, p *i18n.Printer, opts Options) (*syslogSink, error) {
	network, addr, err := syslogAddress(target)
	if err != nil {
		return nil, err
	}
	s := &syslogSink{network: network, addr: addr, facility: facilities["local0"], maxSize: defaultTCPSize,
		hostname: opts.Hostname, procID: strconv.Itoa(os.Getpid()), version: opts.Version, p: p, now: opts.Now, timeout: opts.Timeout}
	if network == "udp" {
		s.maxSize = defaultUDPSize
	}
	if err := s.setOptions(cfg.Options); err != nil {
		return nil, err
	}
	if network == "tls" {
		host, _, _ := net.SplitHostPort(addr)
		s.tls.ServerName = host
	}
	return s, nil
}

func (s *syslogSink) setOptions(opts map[string]string) error {
	s.tls = &tls.Config{MinVersion: tls.VersionTLS12}
	if v, ok := opts["cef"]; ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return i18n.Errorf("option cef: %q is not true or false", v)
		}
		s.cef = b
	}
	if v, ok := opts["facility"]; ok {
		f, known := facilities[v]
		if n, err := strconv.Atoi(v); err == nil && n >= 0 && n <= 23 {
			f, known = n, true
		}
		if !known {
			return i18n.Errorf("option facility: %q is not a facility name (auth, daemon, local0 ... local7) or a number from 0 to 23", v)
		}
		s.facility = f
	}
	if v, ok := opts["max-size"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < minSyslogSize || n > maxSyslogSize {
			return i18n.Errorf("option max-size: %q is not a number of bytes from %d to %d", v, minSyslogSize, maxSyslogSize)
		}
		s.maxSize = n
	}
	if path, ok := opts["ca"]; ok {
		if s.network != "tls" {
			return i18n.Errorf("option ca: only for syslog+tls")
		}
		pem, err := os.ReadFile(path)
		if err != nil {
			return i18n.Errorf("option ca: %w", err)
		}
		s.tls.RootCAs = x509.NewCertPool()
		if !s.tls.RootCAs.AppendCertsFromPEM(pem) {
			return i18n.Errorf("option ca: %s holds no PEM certificate", path)
		}
	}
	return nil
}

// Send writes one message per alert, on the connection it keeps open and
// opens again after a failure. A message counts as delivered once written
// to the connection: syslog has no acknowledgement.
func (s *syslogSink) Send(ctx context.Context, alerts []alert.Alert) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	conn, err := s.connect(ctx)
	if err != nil {
		return 0, err
	}
	deadline := time.Now().Add(s.timeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	conn.SetWriteDeadline(deadline)
	var frame []byte
	for i := range alerts {
		msg := s.message(&alerts[i])
		if s.network == "udp" {
			frame = msg
		} else {
			frame = appendOctetCounted(frame[:0], msg)
		}
		if _, err := conn.Write(frame); err != nil {
			s.drop()
			return i, temporary(fmt.Errorf("write to %s: %w", s.addr, err))
		}
	}
	return len(alerts), nil
}

// connect returns the open connection, after checking that the receiver
// has not closed it, or opens one.
func (s *syslogSink) connect(ctx context.Context) (net.Conn, error) {
	if s.conn != nil && (s.network == "udp" || open(s.conn)) {
		return s.conn, nil
	}
	s.drop()
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	var conn net.Conn
	var err error
	switch s.network {
	case "tls":
		d := tls.Dialer{Config: s.tls}
		conn, err = d.DialContext(ctx, "tcp", s.addr)
	default:
		var d net.Dialer
		conn, err = d.DialContext(ctx, s.network, s.addr)
	}
	if err != nil {
		return nil, temporary(fmt.Errorf("connect to %s: %w", s.addr, err))
	}
	s.conn = conn
	return conn, nil
}

// open reports whether the receiver still holds a stream connection open.
// A syslog receiver never writes, so a read that times out means open,
// and anything else (end of file, a reset) means closed: writing to it
// would seem to succeed and lose the first message.
func open(conn net.Conn) bool {
	conn.SetReadDeadline(time.Now().Add(time.Millisecond))
	var b [1]byte
	_, err := conn.Read(b[:])
	conn.SetReadDeadline(time.Time{})
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (s *syslogSink) drop() {
	if s.conn != nil {
		s.conn.Close()
		s.conn = nil
	}
}

// Close closes the connection.
func (s *syslogSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.drop()
	return nil
}

// message writes a as one syslog message of at most maxSize bytes when
// cutting its values can make it fit: to 1024 characters each, then 256,
// 64 and 16, then leaving out all but those that identify the alert. A
// message whose values were cut says so with truncated="true".
func (s *syslogSink) message(a *alert.Alert) []byte {
	var b []byte
	for _, n := range []int{-1, 1024, 256, 64, 16, 0} {
		m := s.syslogMessage(a, n)
		if b = appendRFC5424(b[:0], &m); len(b) <= s.maxSize {
			break
		}
	}
	return b
}

// syslogMessage lays out a, its values cut to n characters (-1: not cut).
func (s *syslogSink) syslogMessage(a *alert.Alert, n int) syslogMessage {
	cut := func(v string) string {
		if n < 0 {
			return v
		}
		return clip(v, n)
	}
	var params []sdParam
	for _, p := range sdParams(a) {
		if !identifies(p.Name) {
			p.Value = cut(p.Value)
		}
		if p.Value != "" {
			params = append(params, p)
		}
	}
	if n >= 0 {
		params = append(params, sdParam{"truncated", "true"})
	}
	m := syslogMessage{
		Facility: s.facility, Severity: syslogSeverity(a.Level), Time: s.when(a),
		Hostname: s.hostname, AppName: "appwatch", ProcID: s.procID, MsgID: a.GuideRow,
		SD: []sdElement{{ID: sdID, Params: params}},
	}
	if s.cef {
		e := cefOf(a, s.version, s.p, n)
		m.Msg = e.String()
	} else {
		m.Msg, m.BOM = cut(a.Title), true
	}
	return m
}

// identifies reports whether a parameter identifies or classifies the
// alert, and so is never cut.
func identifies(param string) bool {
	switch param {
	case "alert_key", "status", "first_seen", "guide_row", "rule_id", "level", "time", "outside_business_hours":
		return true
	}
	return false
}

// when is the message's time: when the alert was stored, or now.
func (s *syslogSink) when(a *alert.Alert) time.Time {
	if t, err := time.Parse(time.RFC3339Nano, a.FirstSeen); err == nil {
		return t
	}
	return s.now()
}

// sdParams lists the alert's fields as structured data, leaving out the
// empty ones; evidence is its JSON.
func sdParams(a *alert.Alert) []sdParam {
	ev, _ := marshal(a.Evidence)
	all := []sdParam{
		{"alert_key", a.AlertKey}, {"status", a.Status}, {"first_seen", a.FirstSeen},
		{"guide_row", a.GuideRow}, {"rule_id", a.RuleID}, {"level", a.Level}, {"time", a.Time},
		{"event_id", a.EventID}, {"tenant_id", a.TenantID},
		{"actor_type", a.Actor.Type}, {"actor_id", a.Actor.ID}, {"actor_name", a.Actor.Name},
		{"actor_upn", a.Actor.UPN}, {"actor_ip", a.Actor.IP},
		{"target_type", a.Target.Type}, {"target_id", a.Target.ID}, {"target_app_id", a.Target.AppID},
		{"target_name", a.Target.Name},
		{"attack", strings.Join(a.Attack, ",")},
		{"outside_business_hours", strconv.FormatBool(a.OutsideBusinessHours)},
		{"source_format", a.Source.Format}, {"source_file", a.Source.File},
		{"title", a.Title}, {"evidence", string(ev)},
	}
	if a.Evidence == nil {
		all[len(all)-1].Value = "{}"
	}
	out := all[:0]
	for _, p := range all {
		if p.Value != "" {
			out = append(out, p)
		}
	}
	return out
}

// syslogSeverity maps a level to a syslog severity: critical 2 (crit),
// high 3 (err), medium 4 (warning), low 5 (notice), informational 6 (info).
func syslogSeverity(level string) int {
	switch level {
	case alert.LevelCritical:
		return 2
	case alert.LevelHigh:
		return 3
	case alert.LevelMedium:
		return 4
	case alert.LevelLow:
		return 5
	}
	return 6
}

// cefSeverity maps a level to CEF's 0 to 10.
func cefSeverity(level string) int {
	switch level {
	case alert.LevelCritical:
		return 10
	case alert.LevelHigh:
		return 8
	case alert.LevelMedium:
		return 5
	case alert.LevelLow:
		return 3
	}
	return 1
}

// cefOf writes a in CEF with the keys of the CEF dictionary, each value
// cut to the length the dictionary allows (and to n characters when n is
// not negative): rt, externalId, cat, msg, suser, suid, src (IPv4) or c6a2
// (IPv6), duid, and custom strings for the rest, each with its label.
func cefOf(a *alert.Alert, version string, p *i18n.Printer, n int) cefEvent {
	nameLimit := 512
	if n >= 0 {
		nameLimit = min(nameLimit, max(n, 16))
	}
	e := cefEvent{Vendor: "appwatch", Product: "appwatch", Version: version,
		SignatureID: clip(a.RuleID, 1023), Name: clip(a.Title, nameLimit), Severity: cefSeverity(a.Level)}
	add := func(key, value string, limit int) bool {
		if n >= 0 && !slices.Contains([]string{"externalId", "cat", "rt", "src", "c6a2"}, key) && !strings.HasSuffix(key, "Label") {
			limit = min(limit, n)
		}
		if value = clip(value, limit); value == "" {
			return false
		}
		e.Ext = append(e.Ext, cefExt{key, value})
		return true
	}
	if t, err := time.Parse(time.RFC3339Nano, a.Time); err == nil {
		add("rt", strconv.FormatInt(t.UnixMilli(), 10), 64)
	}
	add("externalId", a.AlertKey, 40)
	add("cat", a.GuideRow, 1023)
	add("msg", strings.Join(sink.Explain(p.Lang(), a), "; "), 1023)
	add("suser", cmp.Or(a.Actor.UPN, a.Actor.Name), 1023)
	add("suid", a.Actor.ID, 1023)
	if ip := net.ParseIP(a.Actor.IP); ip != nil && ip.To4() != nil {
		add("src", a.Actor.IP, 64)
	} else if ip != nil && add("c6a2", a.Actor.IP, 64) {
		add("c6a2Label", "ActorIPv6", 1023)
	}
	add("duid", a.Target.ID, 1023)
	custom := []struct{ label, value string }{
		{"TargetAppId", a.Target.AppID}, {"TargetName", a.Target.Name}, {"Attack", strings.Join(a.Attack, ",")},
		{"TenantId", a.TenantID}, {"EventId", a.EventID}, {"OutsideBusinessHours", strconv.FormatBool(a.OutsideBusinessHours)},
	}
	for i, c := range custom {
		k := "cs" + strconv.Itoa(i+1)
		if add(k, c.value, 4000) {
			add(k+"Label", c.label, 1023)
		}
	}
	return e
}
