package notify

import (
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/i18n"
)

// BenchmarkEncode measures what each sink does to one alert before it is
// sent, against the baseline of writing the stored alert's JSON (what the
// file sink does): compare the sub-benchmarks' ns/op as ratios.
func BenchmarkEncode(b *testing.B) {
	alerts, _ := demoAlerts(b, "en")
	p := i18n.NewPrinter("ja")
	keys, err := parseSecrets("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		b.Fatal(err)
	}
	newSyslog := func(cef bool) *syslogSink {
		return &syslogSink{network: "tcp", cef: cef, facility: 16, maxSize: defaultTCPSize, hostname: "watch-1", procID: "1", version: "dev", p: p}
	}
	syslogTCP, syslogCEF := newSyslog(false), newSyslog(true)
	encoders := []struct {
		name string
		fn   func(a *alert.Alert) ([]byte, error)
	}{
		{"json-baseline", func(a *alert.Alert) ([]byte, error) { return storedJSON(*a) }},
		{"webhook-signed", func(a *alert.Alert) ([]byte, error) {
			body, err := storedJSON(*a)
			sign(keys, a.AlertKey, "1780789267", body)
			return body, err
		}},
		{"teams-card", func(a *alert.Alert) ([]byte, error) { return teamsAlert(p, a) }},
		{"slack-blocks", func(a *alert.Alert) ([]byte, error) { return marshal(slackAlert(p, a)) }},
		{"syslog-rfc5424", func(a *alert.Alert) ([]byte, error) { return syslogTCP.message(a), nil }},
		{"syslog-cef", func(a *alert.Alert) ([]byte, error) { return syslogCEF.message(a), nil }},
	}
	for _, enc := range encoders {
		b.Run(enc.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				out, err := enc.fn(&alerts[n%len(alerts)])
				if err != nil || len(out) == 0 {
					b.Fatal(err)
				}
				n++
			}
		})
	}
}
