package enrich

import (
	"bufio"
	_ "embed"
	"net/netip"
	"strings"
)

//go:embed claimable_hosts.txt
var claimableHostsFile string

// parseSuffixes reads a list of host suffixes, one a line, "#" comments
// allowed. Suffixes are lower-cased and lose surrounding dots.
func parseSuffixes(text string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if line = strings.Trim(strings.ToLower(strings.TrimSpace(line)), "."); line != "" {
			out = append(out, line)
		}
	}
	return out
}

// underSuffix reports whether host equals one of suffixes or is a
// subdomain of one.
func underSuffix(host string, suffixes []string) bool {
	for _, s := range suffixes {
		if host == s || strings.HasSuffix(host, s) && host[len(host)-len(s)-1] == '.' {
			return true
		}
	}
	return false
}

// uriParts returns the lower-case scheme and host of a URI. The host has
// no user, port or trailing dot; an IPv6 host keeps its brackets. A URI
// without "://" ("urn:ietf:wg:oauth:2.0:oob") has a scheme and no host.
// Hosts are not validated, so wildcards survive ("*.contoso.com").
func uriParts(uri string) (scheme, host string) {
	uri = strings.TrimSpace(uri)
	i := strings.Index(uri, ":")
	if i <= 0 || !isScheme(uri[:i]) {
		return "", ""
	}
	scheme = strings.ToLower(uri[:i])
	rest, ok := strings.CutPrefix(uri[i+1:], "//")
	if !ok {
		return scheme, ""
	}
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		rest = rest[:end]
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = rest[at+1:]
	}
	if strings.HasPrefix(rest, "[") {
		if end := strings.IndexByte(rest, ']'); end >= 0 {
			return scheme, strings.ToLower(rest[:end+1])
		}
		return scheme, ""
	}
	if colon := strings.LastIndexByte(rest, ':'); colon >= 0 {
		rest = rest[:colon]
	}
	return scheme, strings.TrimSuffix(strings.ToLower(rest), ".")
}

// isScheme reports whether s is a URI scheme: a letter, then letters,
// digits, "+", "-" or ".".
func isScheme(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

// isLoopback reports whether host names this machine: localhost or a
// loopback address such as 127.0.0.1 or [::1].
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return err == nil && a.IsLoopback()
}
