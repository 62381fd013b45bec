package notify

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/appwatch/appwatch/internal/alert"
)

// parsedSyslog is an RFC 5424 message read back.
type parsedSyslog struct {
	Pri                                         int
	Timestamp, Hostname, AppName, ProcID, MsgID string
	SD                                          map[string]map[string]string
	Msg                                         string
	BOM                                         bool
}

// parseRFC5424 reads one message of the syslog protocol, strictly: the
// header fields of printable US-ASCII within their lengths, structured
// data with '"', '\' and ']' escaped in values, the text after a space.
func parseRFC5424(b []byte) (parsedSyslog, error) {
	var m parsedSyslog
	s := string(b)
	if !utf8.ValidString(s) {
		return m, errors.New("not UTF-8")
	}
	end := strings.IndexByte(s, '>')
	if !strings.HasPrefix(s, "<") || end < 2 {
		return m, errors.New("no PRI")
	}
	pri, err := strconv.Atoi(s[1:end])
	if err != nil || pri > 191 {
		return m, fmt.Errorf("PRI %q", s[1:end])
	}
	m.Pri = pri
	s = s[end+1:]
	fields := strings.SplitN(s, " ", 7)
	if len(fields) < 7 || fields[0] != "1" {
		return m, fmt.Errorf("header %q", clip(s, 80))
	}
	for i, limit := range []int{0, 255, 48, 128, 32} {
		f := fields[i+1]
		if i > 0 && (len(f) > limit || strings.ContainsFunc(f, func(r rune) bool { return r < 33 || r > 126 })) {
			return m, fmt.Errorf("header field %q", f)
		}
	}
	m.Timestamp, m.Hostname, m.AppName, m.ProcID, m.MsgID = fields[1], fields[2], fields[3], fields[4], fields[5]
	if _, err := time.Parse(time.RFC3339Nano, m.Timestamp); err != nil {
		return m, fmt.Errorf("timestamp: %v", err)
	}
	rest := fields[6]
	m.SD = map[string]map[string]string{}
	if strings.HasPrefix(rest, "-") {
		rest = rest[1:]
	} else {
		for strings.HasPrefix(rest, "[") {
			var err error
			if rest, err = parseSDElement(rest, m.SD); err != nil {
				return m, err
			}
		}
		if len(m.SD) == 0 {
			return m, errors.New("no structured data")
		}
	}
	if rest != "" {
		if rest[0] != ' ' {
			return m, fmt.Errorf("no space before the text: %q", clip(rest, 40))
		}
		rest = rest[1:]
		m.Msg, m.BOM = strings.CutPrefix(rest, "\uFEFF")
	}
	return m, nil
}

func parseSDElement(s string, into map[string]map[string]string) (string, error) {
	s = s[1:]
	id, s, _ := strings.Cut(s, " ")
	if strings.HasSuffix(id, "]") {
		return "", errors.New("element without parameters")
	}
	params := map[string]string{}
	into[id] = params
	for {
		name, rest, ok := strings.Cut(s, `="`)
		if !ok || name == "" || strings.ContainsAny(name, ` ]"=`) {
			return "", fmt.Errorf("parameter name in %q", clip(s, 40))
		}
		var v strings.Builder
		i := 0
		for ; i < len(rest) && rest[i] != '"'; i++ {
			switch {
			case rest[i] == '\\' && i+1 < len(rest) && strings.IndexByte(`"\]`, rest[i+1]) >= 0:
				i++
				v.WriteByte(rest[i])
			case rest[i] == ']':
				return "", fmt.Errorf("unescaped ] in the value of %s", name)
			default:
				v.WriteByte(rest[i])
			}
		}
		if i == len(rest) {
			return "", fmt.Errorf("value of %s not closed", name)
		}
		params[name] = v.String()
		s = rest[i+1:]
		switch {
		case strings.HasPrefix(s, "]"):
			return s[1:], nil
		case strings.HasPrefix(s, " "):
			s = s[1:]
		default:
			return "", fmt.Errorf("after %s: %q", name, clip(s, 40))
		}
	}
}

// syslogListener is a syslog receiver on loopback: TCP or TLS with octet
// counting, or UDP.
type syslogListener struct {
	network, addr string
	caFile        string
	msgs          chan []byte
	conns         chan net.Conn
}

func newSyslogListener(t *testing.T, network string) *syslogListener {
	t.Helper()
	l := &syslogListener{network: network, msgs: make(chan []byte, 100), conns: make(chan net.Conn, 10)}
	if network == "udp" {
		pc, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { pc.Close() })
		l.addr = pc.LocalAddr().String()
		go func() {
			buf := make([]byte, 65536)
			for {
				n, _, err := pc.ReadFrom(buf)
				if err != nil {
					return
				}
				l.msgs <- append([]byte(nil), buf[:n]...)
			}
		}()
		return l
	}
	var ln net.Listener
	var err error
	if network == "tls" {
		var cert tls.Certificate
		cert, l.caFile = testCertificate(t)
		ln, err = tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	} else {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	l.addr = ln.Addr().String()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			l.conns <- conn
			go l.readFrames(t, conn)
		}
	}()
	return l
}

// readFrames reads octet-counted messages until the connection ends.
func (l *syslogListener) readFrames(t *testing.T, conn net.Conn) {
	r := bufio.NewReader(conn)
	for {
		n, err := r.ReadString(' ')
		if err != nil {
			return
		}
		size, err := strconv.Atoi(strings.TrimSuffix(n, " "))
		if err != nil || size <= 0 {
			t.Errorf("frame length %q", n)
			return
		}
		msg := make([]byte, size)
		if _, err := io.ReadFull(r, msg); err != nil {
			t.Errorf("frame cut: %v", err)
			return
		}
		l.msgs <- msg
	}
}

func (l *syslogListener) next(t *testing.T) parsedSyslog {
	t.Helper()
	select {
	case b := <-l.msgs:
		m, err := parseRFC5424(b)
		if err != nil {
			t.Fatalf("%v in %q", err, clip(string(b), 300))
		}
		if len(b) > 65536 {
			t.Fatalf("message of %d bytes", len(b))
		}
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message")
	}
	return parsedSyslog{}
}

// testCertificate makes a self-signed certificate for 127.0.0.1 and
// writes it to a PEM file, the CA a client trusts.
func testCertificate(t *testing.T) (tls.Certificate, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "syslog test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, path
}

// syslogSpec is the sink for a listener, with more options.
func (l *syslogListener) spec(opts ...string) string {
	s := "syslog:" + l.network + "://" + l.addr
	if l.network == "tls" {
		s = "syslog+tls://" + l.addr
		opts = append(opts, "ca="+l.caFile)
	}
	if len(opts) > 0 {
		s += "#" + strings.Join(opts, "&")
	}
	return s
}

// wantSD is what the structured data of a should hold.
func wantSD(a alert.Alert) map[string]string {
	ev, _ := json.Marshal(a.Evidence)
	m := map[string]string{
		"alert_key": a.AlertKey, "status": a.Status, "first_seen": a.FirstSeen, "guide_row": a.GuideRow, "rule_id": a.RuleID,
		"level": a.Level, "time": a.Time, "event_id": a.EventID, "tenant_id": a.TenantID, "actor_type": a.Actor.Type,
		"actor_id": a.Actor.ID, "actor_name": a.Actor.Name, "actor_upn": a.Actor.UPN, "actor_ip": a.Actor.IP,
		"target_type": a.Target.Type, "target_id": a.Target.ID, "target_app_id": a.Target.AppID, "target_name": a.Target.Name,
		"attack": strings.Join(a.Attack, ","), "outside_business_hours": strconv.FormatBool(a.OutsideBusinessHours),
		"source_format": a.Source.Format, "source_file": a.Source.File, "title": a.Title, "evidence": string(ev),
	}
	for k, v := range m {
		if v == "" {
			delete(m, k)
		}
	}
	return m
}

// TestSyslogRoundTrip sends an ordinary and a hostile alert over each
// transport, with room for the whole hostile alert, and reads every
// field back from the structured data.
func TestSyslogRoundTrip(t *testing.T) {
	for _, network := range []string{"tcp", "tls", "udp"} {
		t.Run(network, func(t *testing.T) {
			l := newSyslogListener(t, network)
			opts := []string{}
			if network != "udp" {
				opts = append(opts, "max-size=1048576")
			}
			s := mustSink(t, l.spec(opts...), Options{Hostname: "watch-1.example.com"})
			alerts := []alert.Alert{credentialAlert(), hostileAlert()}
			if network == "udp" {
				alerts = alerts[:1]
			}
			if n, err := s.Send(t.Context(), alerts); n != len(alerts) || err != nil {
				t.Fatalf("Send = %d, %v", n, err)
			}
			for _, a := range alerts {
				m := l.next(t)
				if m.Pri != 16*8+3 || m.Hostname != "watch-1.example.com" || m.AppName != "appwatch" || m.MsgID != a.GuideRow ||
					m.Timestamp != a.FirstSeen || m.ProcID != strconv.Itoa(os.Getpid()) {
					t.Errorf("header: %+v", m)
				}
				if !m.BOM || m.Msg != a.Title {
					t.Errorf("text %q (BOM %v), want the title %q after a BOM", m.Msg, m.BOM, a.Title)
				}
				got := m.SD[sdID]
				for k, want := range wantSD(a) {
					if got[k] != want {
						t.Errorf("%s = %q, want %q", k, clip(got[k], 80), clip(want, 80))
					}
				}
				if _, cut := got["truncated"]; cut || len(got) != len(wantSD(a)) {
					t.Errorf("%d parameters (truncated: %v), want %d", len(got), cut, len(wantSD(a)))
				}
			}
		})
	}
}

// TestSyslogSizes sends the hostile alert with its 10 KB value within the
// default sizes: the values are cut, the message says so and fits.
func TestSyslogSizes(t *testing.T) {
	for _, tt := range []struct {
		network string
		opts    []string
		size    int
	}{
		{"udp", nil, 2048},
		{"tcp", nil, 8192},
		{"tcp", []string{"max-size=1024", "cef"}, 1024},
	} {
		t.Run(fmt.Sprint(tt.network, tt.size), func(t *testing.T) {
			l := newSyslogListener(t, tt.network)
			s := mustSink(t, l.spec(tt.opts...), Options{Hostname: "watch-1"})
			if _, err := s.Send(t.Context(), []alert.Alert{hostileAlert()}); err != nil {
				t.Fatal(err)
			}
			raw := <-l.msgs
			m, err := parseRFC5424(raw)
			if err != nil {
				t.Fatal(err)
			}
			sd := m.SD[sdID]
			if len(raw) > tt.size || sd["truncated"] != "true" || sd["alert_key"] != hostileAlert().AlertKey {
				t.Errorf("%d bytes, truncated=%q, alert_key %q", len(raw), sd["truncated"], sd["alert_key"])
			}
		})
	}
}

func TestSyslogCEF(t *testing.T) {
	l := newSyslogListener(t, "tcp")
	s := mustSink(t, l.spec("cef", "facility=auth", "max-size=1048576"), Options{Hostname: "watch-1", Version: "1.4.0"})
	a := hostileAlert()
	a.Actor.IP = "2001:db8::7"
	if _, err := s.Send(t.Context(), []alert.Alert{credentialAlert(), a}); err != nil {
		t.Fatal(err)
	}
	for i, a := range []alert.Alert{credentialAlert(), a} {
		m := l.next(t)
		if m.Pri != 4*8+3 || m.BOM {
			t.Errorf("PRI %d, BOM %v; want 35 and no BOM before CEF", m.Pri, m.BOM)
		}
		e, err := parseCEF(m.Msg)
		if err != nil {
			t.Fatalf("%v in %q", err, clip(m.Msg, 200))
		}
		ext := map[string]string{}
		for _, x := range e.Ext {
			ext[x.Key] = x.Value
		}
		if e.Vendor != "appwatch" || e.Version != "1.4.0" || e.SignatureID != a.RuleID || e.Severity != 8 ||
			e.Name != strings.NewReplacer("\n", " ").Replace(clip(a.Title, 512)) {
			t.Errorf("alert %d: header %+v", i, e)
		}
		want := map[string]string{"externalId": a.AlertKey, "cat": a.GuideRow, "suser": a.Actor.UPN, "suid": a.Actor.ID,
			"duid": a.Target.ID, "cs1": a.Target.AppID, "cs1Label": "TargetAppId", "cs2": a.Target.Name, "cs2Label": "TargetName",
			"cs3": "T1098.001", "cs5": a.EventID, "cs6": "true", "cs6Label": "OutsideBusinessHours", "rt": "1780789267000"}
		if i == 0 {
			want["src"] = "203.0.113.7"
		} else {
			want["c6a2"] = "2001:db8::7"
		}
		for k, v := range want {
			if ext[k] != v {
				t.Errorf("alert %d: %s = %q, want %q", i, k, ext[k], v)
			}
		}
		if !strings.Contains(ext["msg"], "outside business hours") {
			t.Errorf("alert %d: msg %q does not explain the alert", i, ext["msg"])
		}
	}
}

// TestSyslogReconnects has the receiver drop the connection between two
// sends: the second alert goes out on a new connection and arrives.
func TestSyslogReconnects(t *testing.T) {
	for _, network := range []string{"tcp", "tls"} {
		t.Run(network, func(t *testing.T) {
			l := newSyslogListener(t, network)
			s := mustSink(t, l.spec(), Options{})
			if _, err := s.Send(t.Context(), []alert.Alert{stored(credentialAlert(), 1)}); err != nil {
				t.Fatal(err)
			}
			l.next(t)
			(<-l.conns).Close()
			if _, err := s.Send(t.Context(), []alert.Alert{stored(credentialAlert(), 2)}); err != nil {
				t.Fatal(err)
			}
			if m := l.next(t); m.SD[sdID]["alert_key"] != stored(credentialAlert(), 2).AlertKey {
				t.Errorf("got %q", m.SD[sdID]["alert_key"])
			}
		})
	}
}

func TestSyslogDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := mustSink(t, "syslog:tcp://"+addr+"#timeout=2s", Options{})
	n, err := s.Send(t.Context(), []alert.Alert{credentialAlert()})
	if n != 0 || err == nil || IsPermanent(err) || !strings.Contains(err.Error(), "connect to "+addr) {
		t.Errorf("Send to nobody = %d, %v; want an error to retry", n, err)
	}
}

func TestSyslogOptionErrors(t *testing.T) {
	for _, tt := range []struct{ spec, want string }{
		{"syslog:tcp://127.0.0.1:514#facility=kernel", "not a facility name"},
		{"syslog:tcp://127.0.0.1:514#facility=24", "not a facility name"},
		{"syslog:tcp://127.0.0.1:514#max-size=100", "not a number of bytes"},
		{"syslog:tcp://127.0.0.1:514#cef=maybe", "not true or false"},
		{"syslog:tcp://127.0.0.1:514#ca=/x.pem", "only for syslog+tls"},
		{"syslog+tls://127.0.0.1#ca=/nonexistent/ca.pem", "no such file"},
	} {
		cfg, err := Parse(tt.spec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := New(cfg, Options{}); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want one saying %q", tt.spec, err, tt.want)
		}
	}
}

// FuzzRFC5424 checks that any parameter value and text read back as
// written.
func FuzzRFC5424(f *testing.F) {
	for _, v := range hostileValues[:len(hostileValues)-1] {
		f.Add(v, v)
	}
	f.Add(`a"]\`, "]]]")
	f.Fuzz(func(t *testing.T, value, msg string) {
		m := syslogMessage{Facility: 16, Severity: 3, Time: time.Unix(1780789267, 5000), Hostname: "h", AppName: "a", ProcID: "1", MsgID: "m",
			SD: []sdElement{{ID: sdID, Params: []sdParam{{"v", value}, {"w", value}}}}, Msg: msg, BOM: true}
		got, err := parseRFC5424(appendRFC5424(nil, &m))
		if err != nil {
			t.Fatal(err)
		}
		want := strings.ToValidUTF8(value, "\uFFFD")
		if got.SD[sdID]["v"] != want || got.SD[sdID]["w"] != want || got.Msg != strings.ToValidUTF8(msg, "\uFFFD") {
			t.Fatalf("read back %+v", got)
		}
	})
}
