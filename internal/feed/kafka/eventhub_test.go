package kafka_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"

	"github.com/appwatch/appwatch/internal/feed"
	"github.com/appwatch/appwatch/internal/feed/kafka"
)

const namespace = "contoso-logs.servicebus.windows.net"

// eventHubs is an in-process cluster that stands for an Event Hubs
// namespace's Kafka endpoint: TLS with a certificate for the namespace,
// SASL PLAIN with the user $ConnectionString and the connection string
// as password.
type eventHubs struct {
	c     *kfake.Cluster
	roots *x509.CertPool
	conn  string
}

func newEventHubs(t *testing.T) *eventHubs {
	cert, roots := certificate(t, namespace)
	conn := "Endpoint=sb://" + namespace + "/;SharedAccessKeyName=appwatch-listen;SharedAccessKey=" + secretKey
	c, err := kfake.NewCluster(
		kfake.NumBrokers(1),
		kfake.SeedTopics(partitions, topic),
		kfake.EnableSASL(),
		kfake.Superuser("PLAIN", "$ConnectionString", conn),
		kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}),
		kfake.GroupMinSessionTimeout(500*time.Millisecond),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return &eventHubs{c: c, roots: roots, conn: conn}
}

// source returns an eventhub:// source of the namespace signing in with
// conn; its connections to the namespace's endpoint reach the cluster.
func (h *eventHubs) source(t *testing.T, conn string) *kafka.Source {
	cfg, err := kafka.Parse("eventhub://"+namespace+"/"+topic+"?group=$Default&session_timeout=1s",
		envOf(map[string]string{kafka.EnvConnectionString: conn}))
	if err != nil {
		t.Fatal(err)
	}
	addr := h.c.ListenAddrs()[0]
	var d net.Dialer
	src, err := kafka.New(cfg, kafka.Options{
		RootCAs: h.roots,
		Dial: func(ctx context.Context, network, host string) (net.Conn, error) {
			if host == namespace+":"+kafka.EventHubsPort {
				host = addr
			}
			return d.DialContext(ctx, network, host)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestEventHub reads an event hub over TLS, signed in with the
// namespace's connection string.
func TestEventHub(t *testing.T) {
	h := newEventHubs(t)
	prod, err := kgo.NewClient(
		kgo.SeedBrokers(h.c.ListenAddrs()...),
		kgo.DialTLSConfig(&tls.Config{RootCAs: h.roots, ServerName: namespace}),
		kgo.SASL(plain.Auth{User: "$ConnectionString", Pass: h.conn}.AsMechanism()),
		kgo.DefaultProduceTopic(topic),
	)
	if err != nil {
		t.Fatal(err)
	}
	defer prod.Close()
	recs := flat(ruleRecords(t))[:10]
	if err := prod.ProduceSync(t.Context(), &kgo.Record{Value: message(wrapper, recs)}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	k := newSink()
	r := run(t, h.source(t, h.conn), k)
	waitFor(t, 20*time.Second, "the records", func() bool { return k.records() >= int64(len(recs)) })
	r.stop()
	if len(k.events) != len(recs) {
		t.Errorf("%d events, want %d", len(k.events), len(recs))
	}
}

// TestEventHubRefused stops a source whose connection string the
// namespace refuses, instead of waiting for ever. (Event Hubs answers
// SASL_AUTHENTICATION_FAILED; the test cluster closes the connection.)
func TestEventHubRefused(t *testing.T) {
	h := newEventHubs(t)
	wrong := strings.Replace(h.conn, secretKey, "d3Jvbmcta2V5", 1)
	src := h.source(t, wrong)
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	err := src.Run(ctx, newSink(), make(chan *feed.Batch))
	if err == nil || ctx.Err() != nil {
		t.Fatalf("Run: %v, want it to stop on its own", err)
	}
	if strings.Contains(err.Error(), "d3Jvbmcta2V5") {
		t.Errorf("error %q quotes the key", err)
	}
}

// TestMissingTopic stops a source whose topic does not exist, saying so.
func TestMissingTopic(t *testing.T) {
	c := newCluster(t)
	cfg, err := kafka.Parse(strings.Replace(sourceURL(c, "g"), "/"+topic+"?", "/no-such-topic?", 1), credentials)
	if err != nil {
		t.Fatal(err)
	}
	src, err := kafka.New(cfg, kafka.Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = src.Run(t.Context(), newSink(), make(chan *feed.Batch))
	if !errors.Is(err, kerr.UnknownTopicOrPartition) || !strings.Contains(err.Error(), "topic no-such-topic") {
		t.Errorf("Run: %v, want the topic named unknown", err)
	}
}

// certificate makes a self-signed certificate for host and 127.0.0.1
// (the address the cluster advertises), and a pool trusting it.
func certificate(t *testing.T, host string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: host},
		DNSNames:              []string{host},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
