package uricheck

import (
	"slices"
	"strings"
	"testing"
)

const msalURI = "msal0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d://auth"

func TestParts(t *testing.T) {
	tests := []struct {
		uri, scheme, host string
	}{
		{"https://App.Contoso.com:8443/cb?x=1", "https", "app.contoso.com"},
		{"http://user:pw@contoso.com./x", "http", "contoso.com"},
		{"http://[::1]:3000/cb", "http", "[::1]"},
		{"https://*.contoso.com/cb", "https", "*.contoso.com"},
		{msalURI, "msal0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "auth"},
		{"urn:ietf:wg:oauth:2.0:oob", "urn", ""},
		{"api://ab11ab11-1111-4111-8111-111111111111", "api", "ab11ab11-1111-4111-8111-111111111111"},
		{"portal.contoso.com/cb", "", ""},
		{"://nothing", "", ""},
		{"http://[::1", "http", ""},
		{"  https://contoso.com#frag  ", "https", "contoso.com"},
		{"", "", ""},
	}
	for _, tt := range tests {
		if s, h := Parts(tt.uri); s != tt.scheme || h != tt.host {
			t.Errorf("Parts(%q) = %q, %q; want %q, %q", tt.uri, s, h, tt.scheme, tt.host)
		}
	}
}

// ownsContoso owns contoso.com and its subdomains.
func ownsContoso(host string) (bool, bool) {
	return host == "contoso.com" || strings.HasSuffix(host, ".contoso.com"), true
}

func TestIssues(t *testing.T) {
	tests := []struct {
		uri  string
		owns OwnerFunc
		want []string
	}{
		{"https://app.contoso.com/cb", ownsContoso, nil},
		{"https://evilcontoso.com/cb", ownsContoso, []string{IssueNotOwned}},
		{"https://evilcontoso.com/cb", nil, nil},
		{"https://evilcontoso.com/cb", func(string) (bool, bool) { return false, false }, nil},
		{"http://localhost/cb", ownsContoso, nil},
		{"http://127.0.0.2:8080/cb", ownsContoso, nil},
		{"http://[::1]/cb", ownsContoso, nil},
		{"http://10.0.0.5/cb", ownsContoso, []string{IssueNotHTTPS, IssueNotOwned}},
		{"https://contoso.azurewebsites.net", ownsContoso, []string{IssueNotOwned, IssueClaimable}},
		{"https://azurewebsites.net.contoso.com", ownsContoso, nil},
		{"https://*.azurewebsites.net", ownsContoso, []string{IssueWildcard, IssueNotOwned, IssueClaimable}},
		{"https://app.contoso.com/*", ownsContoso, []string{IssueWildcard}},
		{"api://ab11ab11-1111-4111-8111-111111111111", ownsContoso, nil},
		{"api://fabrikam.com/app", ownsContoso, []string{IssueNotOwned}},
		{"api://payroll", ownsContoso, nil},
		{"myapp://callback", ownsContoso, nil},
		{"urn:ietf:wg:oauth:2.0:oob", ownsContoso, nil},
	}
	for _, tt := range tests {
		if got := Issues(tt.uri, tt.owns); !slices.Equal(got, tt.want) {
			t.Errorf("Issues(%q) = %v, want %v", tt.uri, got, tt.want)
		}
	}
}

func TestClaimable(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"contoso-web.azurewebsites.net", true},
		{"CONTOSO.CloudApp.Net.", true},
		{"x.blob.core.windows.net", true},
		{"azurewebsites.net", true},
		{"notazurewebsites.net", false},
		{"azurewebsites.net.contoso.com", false},
		{"core.windows.net", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Claimable(tt.host); got != tt.want {
			t.Errorf("Claimable(%q) = %v, want %v", tt.host, got, tt.want)
		}
	}
}

func TestClaimableSuffixes(t *testing.T) {
	for _, want := range []string{"azurewebsites.net", "cloudapp.azure.com", "cloudapp.net", "trafficmanager.net", "blob.core.windows.net", "herokuapp.com", "github.io"} {
		if !slices.Contains(claimable, want) {
			t.Errorf("claimable host list lacks %s", want)
		}
	}
	for _, s := range claimable {
		if s[0] == '.' || s[len(s)-1] == '.' || s != strings.ToLower(s) {
			t.Errorf("suffix %q is not a plain lower-case name", s)
		}
	}
}

func TestPlatformHost(t *testing.T) {
	for host, want := range map[string]bool{
		"login.microsoftonline.com":      true,
		"LOGIN.MICROSOFTONLINE.COM":      true,
		"jwt.ms":                         true,
		"login.microsoftonline.com.evil": false,
		"evillogin.live.com":             false,
		"contoso.com":                    false,
	} {
		if got := PlatformHost(host); got != want {
			t.Errorf("PlatformHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestHostKinds(t *testing.T) {
	tests := []struct {
		host           string
		loopback, ip   bool
		httpsHasDomain bool
		apiHasDomain   bool
	}{
		{"localhost", true, false, false, false},
		{"127.0.0.1", true, true, false, false},
		{"[::1]", true, true, false, false},
		{"10.1.2.3", false, true, true, true},
		{"contoso.com", false, false, true, true},
		{"payroll", false, false, true, false},
		{"ab11ab11-1111-4111-8111-111111111111", false, false, true, false},
		{"", false, false, false, false},
	}
	for _, tt := range tests {
		if got := IsLoopback(tt.host); got != tt.loopback {
			t.Errorf("IsLoopback(%q) = %v", tt.host, got)
		}
		if got := IsIP(tt.host); got != tt.ip {
			t.Errorf("IsIP(%q) = %v", tt.host, got)
		}
		if got := HasDomain("https", tt.host); got != tt.httpsHasDomain {
			t.Errorf("HasDomain(https, %q) = %v", tt.host, got)
		}
		if got := HasDomain("api", tt.host); got != tt.apiHasDomain {
			t.Errorf("HasDomain(api, %q) = %v", tt.host, got)
		}
	}
	if HasDomain("msal123", "auth") {
		t.Error("a native client scheme has a domain")
	}
}

func TestKey(t *testing.T) {
	if Key(" https://App.Contoso.com/cb/ ") != Key("https://app.contoso.com/cb") {
		t.Error("keys of the same URI differ")
	}
	if Key("https://app.contoso.com/a") == Key("https://app.contoso.com/b") {
		t.Error("keys of different URIs are equal")
	}
}

func TestIsGUID(t *testing.T) {
	for s, want := range map[string]bool{
		"ab11ab11-1111-4111-8111-111111111111": true,
		"AB11AB11-1111-4111-8111-11111111111F": true,
		"ab11ab11-1111-4111-8111-11111111111g": false,
		"ab11ab11x1111-4111-8111-111111111111": false,
		"ab11ab11-1111-4111-8111-11111111111":  false,
	} {
		if IsGUID(s) != want {
			t.Errorf("IsGUID(%q) = %v", s, !want)
		}
	}
}

// FuzzParts splits arbitrary URIs and judges them.
func FuzzParts(f *testing.F) {
	for _, s := range []string{"https://a.b:1/c", "http://[::1", "x://@:", msalURI, "api://guid", "https://*.x.azurewebsites.net./"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		scheme, host := Parts(uri)
		if scheme != "" && !isScheme(scheme) {
			t.Errorf("Parts(%q) scheme %q is not a scheme", uri, scheme)
		}
		if host != "" && scheme == "" {
			t.Errorf("Parts(%q) gave a host %q without a scheme", uri, host)
		}
		if host != strings.ToLower(host) {
			t.Errorf("Parts(%q) host %q is not lower case", uri, host)
		}
		for _, issue := range Issues(uri, ownsContoso) {
			if !slices.Contains([]string{IssueWildcard, IssueNotHTTPS, IssueNotOwned, IssueClaimable}, issue) {
				t.Errorf("Issues(%q) has the unknown issue %q", uri, issue)
			}
		}
	})
}
