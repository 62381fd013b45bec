package kafka_test

import (
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/feed/kafka"
)

const (
	secretKey = "c2VjcmV0LWtleS1vZi10aGUtdGVzdA=="
	connStr   = "Endpoint=sb://contoso-logs.servicebus.windows.net/;SharedAccessKeyName=appwatch-listen;SharedAccessKey=" + secretKey
)

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestParse(t *testing.T) {
	sasl := map[string]string{kafka.EnvUsername: "u", kafka.EnvPassword: "p"}
	tests := []struct {
		source string
		env    map[string]string
		want   kafka.Config // fields compared: Brokers, Topic, Group, TLS, EventHubs, Mechanism, Start, SessionTimeout
	}{
		{"kafka://k1:9092,10.0.0.2:9093/entra-logs?group=appwatch", nil, kafka.Config{
			Brokers: []string{"k1:9092", "10.0.0.2:9093"}, Topic: "entra-logs", Group: "appwatch", Start: "earliest", SessionTimeout: kafka.DefaultSessionTimeout}},
		{"kafkas://kafka.example.com:9094/audit.v1?group=g&start=latest&session_timeout=10s", sasl, kafka.Config{
			Brokers: []string{"kafka.example.com:9094"}, Topic: "audit.v1", Group: "g", TLS: true, Mechanism: "PLAIN", Start: "latest", SessionTimeout: 10 * time.Second}},
		{"kafka://[::1]:9092/t?group=g", map[string]string{kafka.EnvUsername: "u", kafka.EnvPassword: "p", kafka.EnvMechanism: "scram-sha-512"}, kafka.Config{
			Brokers: []string{"[::1]:9092"}, Topic: "t", Group: "g", Mechanism: "SCRAM-SHA-512", Start: "earliest", SessionTimeout: kafka.DefaultSessionTimeout}},
		{"eventhub://Contoso-Logs.servicebus.windows.net/insights-logs-auditlogs?group=appwatch", map[string]string{kafka.EnvConnectionString: connStr + ";EntityPath=insights-logs-auditlogs"}, kafka.Config{
			Brokers: []string{"contoso-logs.servicebus.windows.net:9093"}, Topic: "insights-logs-auditlogs", Group: "appwatch", TLS: true, EventHubs: true, Mechanism: "PLAIN", Start: "earliest", SessionTimeout: kafka.DefaultSessionTimeout}},
	}
	for _, tt := range tests {
		t.Run(tt.source, func(t *testing.T) {
			c, err := kafka.Parse(tt.source, envOf(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			got := kafka.Config{Brokers: c.Brokers, Topic: c.Topic, Group: c.Group, TLS: c.TLS, EventHubs: c.EventHubs, Mechanism: c.Mechanism, Start: c.Start, SessionTimeout: c.SessionTimeout}
			if strings.Join(got.Brokers, ",") != strings.Join(tt.want.Brokers, ",") || got.Topic != tt.want.Topic || got.Group != tt.want.Group ||
				got.TLS != tt.want.TLS || got.EventHubs != tt.want.EventHubs || got.Mechanism != tt.want.Mechanism ||
				got.Start != tt.want.Start || got.SessionTimeout != tt.want.SessionTimeout {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			if c.Name != tt.source {
				t.Errorf("Name = %q, want the source as given", c.Name)
			}
		})
	}
}

// TestParseErrors checks that a bad source or environment is refused
// with a message saying what is wrong, and never quotes the key.
func TestParseErrors(t *testing.T) {
	eh := "eventhub://contoso-logs.servicebus.windows.net/hub?group=g"
	tests := []struct {
		source string
		env    map[string]string
		want   string
	}{
		{"kafka:broker:9092/t?group=g", nil, "want kafka://"},
		{"nats://b:4222/t?group=g", nil, "unknown scheme nats"},
		{"kafka://b:9092/t", nil, "group= is required"},
		{"kafka://b/t?group=g", nil, `broker "b": want HOST:PORT`},
		{"kafka://b:99999/t?group=g", nil, "port"},
		{"kafka://b:9092,/t?group=g", nil, `broker ""`},
		{"kafka://b:9092/?group=g", nil, "topic"},
		{"kafka://b:9092/a/b?group=g", nil, "topic"},
		{"kafka://b:9092/t?group=g&partition=1", nil, "unknown parameter partition="},
		{"kafka://b:9092/t?group=g&group=h", nil, "group= given 2 times"},
		{"kafka://b:9092/t?group=g&start=oldest", nil, "start=oldest"},
		{"kafka://b:9092/t?group=g&session_timeout=100ms", nil, "session_timeout=100ms"},
		{"kafka://b:9092/t?group=g", map[string]string{kafka.EnvUsername: "u"}, "needs both"},
		{"kafka://b:9092/t?group=g", map[string]string{kafka.EnvUsername: "u", kafka.EnvPassword: "p", kafka.EnvMechanism: "GSSAPI"}, "GSSAPI"},
		{eh, nil, "APPWATCH_EVENTHUB_CONNECTION_STRING is not set"},
		{"eventhub://contoso-logs.servicebus.windows.net:9093/hub?group=g", map[string]string{kafka.EnvConnectionString: connStr}, "without a port"},
		{eh, map[string]string{kafka.EnvConnectionString: "just-a-key"}, "Key=Value"},
		{eh, map[string]string{kafka.EnvConnectionString: "SharedAccessKeyName=a;SharedAccessKey=" + secretKey}, "no Endpoint"},
		{eh, map[string]string{kafka.EnvConnectionString: "Endpoint=https://contoso-logs.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=" + secretKey}, "want sb://"},
		{eh, map[string]string{kafka.EnvConnectionString: strings.Replace(connStr, "contoso-logs", "fabrikam", 1)}, "namespace fabrikam.servicebus.windows.net"},
		{eh, map[string]string{kafka.EnvConnectionString: "Endpoint=sb://contoso-logs.servicebus.windows.net/;SharedAccessKeyName=a"}, "no SharedAccessKeyName and SharedAccessKey"},
		{eh, map[string]string{kafka.EnvConnectionString: connStr + ";EntityPath=other-hub"}, "event hub other-hub"},
	}
	for _, tt := range tests {
		t.Run(tt.source+" "+tt.want, func(t *testing.T) {
			_, err := kafka.Parse(tt.source, envOf(tt.env))
			if err == nil {
				t.Fatalf("no error, want one saying %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secretKey) {
				t.Errorf("error %q quotes the key", err)
			}
		})
	}
}
