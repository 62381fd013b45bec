package kafka

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// checkConnectionString checks an Event Hubs connection string
// (Endpoint=sb://NAMESPACE.servicebus.windows.net/;SharedAccessKeyName=...;
// SharedAccessKey=...[;EntityPath=HUB]) against the namespace broker
// (host:port) and the event hub of the source. Messages never quote the
// key.
func checkConnectionString(conn, broker, hub string) error {
	parts := map[string]string{}
	for field := range strings.SplitSeq(conn, ";") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		k, v, ok := strings.Cut(field, "=")
		if !ok {
			return errors.New("want Key=Value fields separated by ';' (Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...)")
		}
		parts[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	endpoint := parts["endpoint"]
	if endpoint == "" {
		return errors.New("no Endpoint=sb://NAMESPACE.servicebus.windows.net/")
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Scheme != "sb" || u.Host == "" {
		return fmt.Errorf("endpoint %q: want sb://NAMESPACE.servicebus.windows.net/", endpoint)
	}
	host, _, _ := net.SplitHostPort(broker)
	if !strings.EqualFold(u.Hostname(), host) {
		return fmt.Errorf("the connection string is for namespace %s, the source for %s", u.Hostname(), host)
	}
	_, hasSAS := parts["sharedaccesssignature"]
	if !hasSAS && (parts["sharedaccesskeyname"] == "" || parts["sharedaccesskey"] == "") {
		return errors.New("no SharedAccessKeyName and SharedAccessKey (nor SharedAccessSignature)")
	}
	if e := parts["entitypath"]; e != "" && !strings.EqualFold(e, hub) {
		return fmt.Errorf("the connection string is for event hub %s, the source for %s", e, hub)
	}
	return nil
}
