// Package uricheck judges the URIs of an application: redirect URIs,
// application ID (identifier) URIs and logout URLs. It splits a URI into
// scheme and host without failing on the odd forms native clients use,
// and names what is wrong with a URI: plain HTTP, a wildcard, a host the
// tenant does not own, or a host under a shared cloud domain that anyone
// can claim once its owner lets it go (see shared_hosts.csv, which
// tools/genhosts writes from the Public Suffix List and other public
// lists).
//
// The log enrichers and the posture checks both use it, so that a URI is
// judged the same way whether it was seen being added in an audit record
// or found on an app registration.
package uricheck

import (
	_ "embed"
	"encoding/csv"
	"fmt"
	"net/netip"
	"slices"
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

//go:embed shared_hosts.csv
var sharedHostsFile string

// sharedHosts holds the suffixes of shared_hosts.csv by suffix. It is
// built once and never changed.
var sharedHosts = mustParseHosts(sharedHostsFile)

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

// Claimable reports whether host is under a shared suffix where others
// can get a name (see Classify).
func Claimable(host string) bool {
	_, ok := Classify(host)
	return ok
}

// Categories of shared hosts (see shared_hosts.csv).
const (
	// CategoryCloud is the default domain of a cloud platform or web host,
	// where a customer names a resource.
	CategoryCloud = "cloud_hosting"
	// CategoryTunnel is a tunnelling or preview service that exposes a
	// developer's machine under a name it hands out.
	CategoryTunnel = "tunnel"
	// CategoryDynamicDNS is a dynamic DNS provider.
	CategoryDynamicDNS = "dynamic_dns"
	// CategoryShortener is a URL shortener.
	CategoryShortener = "url_shortener"
)

// Categories returns the categories of shared hosts.
func Categories() []string {
	return []string{CategoryCloud, CategoryTunnel, CategoryDynamicDNS, CategoryShortener}
}

// SharedHost says why no tenant can own a host: the shared suffix it is
// under, the suffix's category and who runs it.
type SharedHost struct {
	Category string
	Suffix   string
	Owner    string // empty when the source does not say
}

// Classify returns the shared suffix host is under, the longest one when
// several match, and whether there is one. Case and a trailing dot do not
// matter.
func Classify(host string) (SharedHost, bool) {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	for h := host; h != ""; {
		if sh, ok := sharedHosts[h]; ok {
			return sh, true
		}
		_, rest, ok := strings.Cut(h, ".")
		if !ok {
			break
		}
		h = rest
	}
	return SharedHost{}, false
}

// ClassifyURI classifies the host of uri (see Classify). URIs without a
// host a tenant should own (loopback, custom schemes) have none.
func ClassifyURI(uri string) (SharedHost, bool) {
	host, ok := Domain(uri)
	if !ok {
		return SharedHost{}, false
	}
	return Classify(host)
}

// Domain returns the host of uri that a tenant should own, without a
// leading wildcard label, and false for URIs that have none: loopback
// addresses, native clients' custom schemes, identifier URIs that are
// ids (see HasDomain).
func Domain(uri string) (string, bool) {
	scheme, host := Parts(uri)
	host = strings.TrimLeft(strings.TrimPrefix(host, "*"), ".")
	return host, HasDomain(scheme, host)
}

// SharedHosts returns every shared suffix, in no particular order.
func SharedHosts() []SharedHost {
	out := make([]SharedHost, 0, len(sharedHosts))
	for _, sh := range sharedHosts {
		out = append(out, sh)
	}
	return out
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

// mustParseHosts parses the embedded shared_hosts.csv. The file is
// generated and checked by the package tests, so an error is a build
// defect, reported as a panic when the program starts.
func mustParseHosts(text string) map[string]SharedHost {
	m, err := parseHosts(text)
	if err != nil {
		panic("uricheck: shared_hosts.csv: " + err.Error())
	}
	return m
}

// parseHosts reads shared_hosts.csv: "#" comments, a header, then
// category, suffix, owner and source on each line.
func parseHosts(text string) (map[string]SharedHost, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	r.FieldsPerRecord = 4
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "category,suffix,owner,source" {
		return nil, fmt.Errorf("no header")
	}
	out := make(map[string]SharedHost, len(recs)-1)
	for _, rec := range recs[1:] {
		sh := SharedHost{Category: rec[0], Suffix: strings.ToLower(rec[1]), Owner: rec[2]}
		if !slices.Contains(Categories(), sh.Category) {
			return nil, fmt.Errorf("%s: unknown category %q", sh.Suffix, sh.Category)
		}
		if _, dup := out[sh.Suffix]; dup || sh.Suffix == "" || rec[3] == "" {
			return nil, fmt.Errorf("%q: empty, listed twice or without a source", sh.Suffix)
		}
		out[sh.Suffix] = sh
	}
	return out, nil
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
