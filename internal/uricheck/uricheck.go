// Package uricheck judges the URIs of an application: redirect URIs,
// application ID (identifier) URIs and logout URLs. It splits a URI into
// scheme and host without failing on the odd forms native clients use,
// and names what is wrong with a URI: plain HTTP, a wildcard, a host the
// tenant does not own, or a host under a shared cloud domain that anyone
// can claim once its owner lets it go.
//
// The log enrichers and the posture checks both use it, so that a URI is
// judged the same way whether it was seen being added in an audit record
// or found on an app registration.
package uricheck

import (
	"bufio"
	_ "embed"
	"net/netip"
	"strings"
)

// Issue codes: what can be wrong with a URI.
const (
	IssueNotHTTPS  = "not_https"
	IssueWildcard  = "wildcard"
	IssueNotOwned  = "not_owned_domain"
	IssueShared    = "shared_with_other_app"
	IssueClaimable = "claimable_host"
	IssueBlank     = "blank"
)

//go:embed claimable_hosts.txt
var claimableHostsFile string

// claimable holds the suffixes of claimable_hosts.txt. It is built once
// and never changed.
var claimable = parseSuffixes(claimableHostsFile)

// platformHosts are host names of the Microsoft identity platform itself
// that apps legitimately use as redirect URIs (the native client page, the
// token viewer). No tenant owns them, and no one else can claim them.
var platformHosts = []string{
	"login.microsoftonline.com",
	"login.microsoftonline.us",
	"login.partner.microsoftonline.cn",
	"login.live.com",
	"jwt.ms",
}

// OwnerFunc tells whether a host is the tenant's. configured is false when
// nothing is known of the tenant's domains; ok is then meaningless.
type OwnerFunc func(host string) (ok, configured bool)

// Issues returns what is wrong with uri, in a fixed order: wildcard,
// not_https, not_owned_domain, claimable_host. Loopback addresses and the
// custom schemes of native clients (msal<id>://auth, ms-appx-web://...)
// need neither HTTPS nor an owned domain, and identifier URIs such as
// api://<app id> carry no domain. owns may be nil, in which case no URI
// is reported as not owned.
func Issues(uri string, owns OwnerFunc) []string {
	var out []string
	if strings.Contains(uri, "*") {
		out = append(out, IssueWildcard)
	}
	scheme, host := Parts(uri)
	host = strings.TrimLeft(strings.TrimPrefix(host, "*"), ".")
	if scheme == "http" && !IsLoopback(host) {
		out = append(out, IssueNotHTTPS)
	}
	if !HasDomain(scheme, host) {
		return out
	}
	if owns != nil {
		if owned, configured := owns(host); configured && !owned {
			out = append(out, IssueNotOwned)
		}
	}
	if Claimable(host) {
		out = append(out, IssueClaimable)
	}
	return out
}

// Parts returns the lower-case scheme and host of a URI. The host has no
// user, port or trailing dot; an IPv6 host keeps its brackets. A URI
// without "://" ("urn:ietf:wg:oauth:2.0:oob") has a scheme and no host.
// Hosts are not validated, so wildcards survive ("*.contoso.com").
func Parts(uri string) (scheme, host string) {
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

// IsLoopback reports whether host names this machine: localhost or a
// loopback address such as 127.0.0.1 or [::1].
func IsLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return err == nil && a.IsLoopback()
}

// IsIP reports whether host is an IP address, with or without the
// brackets of an IPv6 host.
func IsIP(host string) bool {
	_, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return err == nil
}

// HasDomain reports whether a URI's host is a domain the tenant should
// own: a web URI's host other than loopback, or the host of an api://
// identifier when it is a domain name rather than an id.
func HasDomain(scheme, host string) bool {
	switch {
	case host == "" || IsLoopback(host):
		return false
	case scheme == "http" || scheme == "https":
		return true
	case scheme == "api":
		return strings.Contains(host, ".") && !IsGUID(host)
	}
	return false
}

// Claimable reports whether host is under a shared provider domain where
// anyone can register a name once it is free (see claimable_hosts.txt).
func Claimable(host string) bool {
	return underSuffix(strings.TrimSuffix(strings.ToLower(host), "."), claimable)
}

// PlatformHost reports whether host belongs to the Microsoft identity
// platform itself, such as login.microsoftonline.com, whose pages apps
// use as redirect URIs without owning them.
func PlatformHost(host string) bool {
	return underSuffix(strings.ToLower(host), platformHosts)
}

// Key is the form in which URIs are compared across applications: lower
// case, without surrounding space or trailing slashes.
func Key(uri string) string {
	return strings.ToLower(strings.TrimRight(strings.TrimSpace(uri), "/"))
}

// IsGUID reports whether s is a GUID in its 36-character text form.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f', 'A' <= c && c <= 'F':
		default:
			return false
		}
	}
	return true
}

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
