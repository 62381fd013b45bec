package kafka

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/appwatch/appwatch/internal/i18n"
)

// Environment variables the sources read their credentials from.
const (
	EnvUsername         = "APPWATCH_KAFKA_USERNAME"
	EnvPassword         = "APPWATCH_KAFKA_PASSWORD"
	EnvMechanism        = "APPWATCH_KAFKA_SASL_MECHANISM"
	EnvCAFile           = "APPWATCH_KAFKA_CA_FILE"
	EnvConnectionString = "APPWATCH_EVENTHUB_CONNECTION_STRING"
)

// SASL mechanisms.
const (
	Plain       = "PLAIN"
	ScramSHA256 = "SCRAM-SHA-256"
	ScramSHA512 = "SCRAM-SHA-512"
)

// EventHubsPort is the port of the Kafka endpoint of an Event Hubs
// namespace.
const EventHubsPort = "9093"

// Start values: where a partition with no position, stored or committed,
// is read from.
const (
	StartEarliest = "earliest"
	StartLatest   = "latest"
)

// DefaultSessionTimeout is how long the group waits for a member that
// stopped answering before moving its partitions, when the source does not
// say (session_timeout=).
const DefaultSessionTimeout = 30 * time.Second

// Config is a source as named on the command line, with the credentials
// the environment gives it.
type Config struct {
	// Name is the source as given; positions are stored under it.
	Name    string
	Brokers []string
	Topic   string
	Group   string
	// TLS is set for kafkas:// and eventhub://; CAFile, when set, names
	// PEM certificates trusted besides the system's.
	TLS    bool
	CAFile string
	// EventHubs is set for eventhub://: the protocol is pinned to what
	// Event Hubs accepts.
	EventHubs bool
	// Mechanism is the SASL mechanism, empty for none.
	Mechanism string
	// Start says where a partition with no position is read from.
	Start          string
	SessionTimeout time.Duration

	user, password string
}

// topicName is what Kafka and Event Hubs accept as a topic (event hub)
// name.
var topicName = regexp.MustCompile(`^[A-Za-z0-9._-]{1,249}$`)

// Parse reads a source, kafka://HOST:PORT[,HOST:PORT]/TOPIC?group=NAME,
// kafkas://... or eventhub://NAMESPACE.servicebus.windows.net/HUB?group=NAME,
// taking credentials from getenv. Besides group= the query may hold
// start=earliest|latest and session_timeout=DURATION.
func Parse(source string, getenv func(string) string) (*Config, error) {
	scheme, rest, ok := strings.Cut(source, "://")
	if !ok {
		return nil, i18n.Errorf("want kafka://HOST:PORT/TOPIC?group=NAME, kafkas://... or eventhub://NAMESPACE.servicebus.windows.net/HUB?group=NAME")
	}
	c := &Config{Name: source, Start: StartEarliest, SessionTimeout: DefaultSessionTimeout}
	switch scheme {
	case "kafka":
	case "kafkas":
		c.TLS = true
	case "eventhub":
		c.TLS, c.EventHubs = true, true
	default:
		return nil, i18n.Errorf("unknown scheme %s: want kafka, kafkas or eventhub", scheme)
	}
	hosts, path, _ := strings.Cut(rest, "/")
	path, query, _ := strings.Cut(path, "?")
	if err := c.setTopic(path); err != nil {
		return nil, err
	}
	if err := c.setBrokers(hosts); err != nil {
		return nil, err
	}
	if err := c.setQuery(query); err != nil {
		return nil, err
	}
	if err := c.setCredentials(getenv); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Config) setTopic(path string) error {
	topic, err := url.PathUnescape(path)
	if err != nil || !topicName.MatchString(topic) {
		if c.EventHubs {
			return i18n.Errorf("event hub %q: want a name of letters, digits, '.', '_' and '-'", path)
		}
		return i18n.Errorf("topic %q: want a name of letters, digits, '.', '_' and '-'", path)
	}
	c.Topic = topic
	return nil
}

func (c *Config) setBrokers(hosts string) error {
	if c.EventHubs {
		if !validHost(hosts) || !strings.Contains(hosts, ".") {
			return i18n.Errorf("namespace %q: want NAMESPACE.servicebus.windows.net, without a port", hosts)
		}
		c.Brokers = []string{net.JoinHostPort(strings.ToLower(hosts), EventHubsPort)}
		return nil
	}
	for h := range strings.SplitSeq(hosts, ",") {
		host, port, err := net.SplitHostPort(h)
		if err != nil || !validHost(host) {
			return i18n.Errorf("broker %q: want HOST:PORT", h)
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return i18n.Errorf("broker %q: port %q is not a number from 1 to 65535", h, port)
		}
		c.Brokers = append(c.Brokers, h)
	}
	return nil
}

// validHost reports whether h is a host name or an IP address.
func validHost(h string) bool {
	if net.ParseIP(h) != nil {
		return true
	}
	if h == "" || len(h) > 253 {
		return false
	}
	for label := range strings.SplitSeq(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
				return false
			}
		}
	}
	return true
}

func (c *Config) setQuery(query string) error {
	q, err := url.ParseQuery(query)
	if err != nil {
		return fmt.Errorf("query %q: %w", query, err)
	}
	for k, v := range q {
		if len(v) > 1 {
			return i18n.Errorf("%s= given %d times", k, len(v))
		}
		switch val := v[0]; k {
		case "group":
			c.Group = val
		case "start":
			if val != StartEarliest && val != StartLatest {
				return i18n.Errorf("start=%s: want earliest or latest", val)
			}
			c.Start = val
		case "session_timeout":
			d, err := time.ParseDuration(val)
			if err != nil || d < time.Second || d > 5*time.Minute {
				return i18n.Errorf("session_timeout=%s: want a duration from 1s to 5m", val)
			}
			c.SessionTimeout = d
		default:
			return i18n.Errorf("unknown parameter %s= (want group, start or session_timeout)", k)
		}
	}
	if c.Group == "" {
		if c.EventHubs {
			return i18n.Errorf("group= is required: an Event Hubs consumer group of its own for appwatch")
		}
		return i18n.Errorf("group= is required: a Kafka consumer group of its own for appwatch")
	}
	return nil
}

func (c *Config) setCredentials(getenv func(string) string) error {
	if c.EventHubs {
		conn := getenv(EnvConnectionString)
		if conn == "" {
			return i18n.Errorf("%s is not set: eventhub sources sign in with the namespace's connection string", EnvConnectionString)
		}
		if err := checkConnectionString(conn, c.Brokers[0], c.Topic); err != nil {
			return fmt.Errorf("%s: %w", EnvConnectionString, err)
		}
		// The Kafka endpoint takes the connection string as the password
		// of this fixed user name.
		c.Mechanism, c.user, c.password = Plain, "$ConnectionString", conn
		return nil
	}
	if c.TLS {
		c.CAFile = getenv(EnvCAFile)
	}
	c.user, c.password = getenv(EnvUsername), getenv(EnvPassword)
	mech := strings.ToUpper(getenv(EnvMechanism))
	switch {
	case c.user == "" && c.password == "" && mech == "":
		return nil
	case c.user == "" || c.password == "":
		return i18n.Errorf("SASL needs both %s and %s", EnvUsername, EnvPassword)
	case mech == "":
		mech = Plain
	case mech != Plain && mech != ScramSHA256 && mech != ScramSHA512:
		return i18n.Errorf("%s=%s: want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512", EnvMechanism, mech)
	}
	c.Mechanism = mech
	return nil
}
