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

// TestSharedHostCategories checks hosts of every category, with the
// suffix and owner that matched.
func TestSharedHostCategories(t *testing.T) {
	tests := []struct {
		host     string
		category string
		suffix   string
	}{
		// Cloud platforms: Azure's resource domains, the other large clouds, PaaS hosts.
		{"contoso-web.azurewebsites.net", CategoryCloud, "azurewebsites.net"},
		{"contoso-web.scm.azurewebsites.net", CategoryCloud, "azurewebsites.net"},
		{"payroll.azurewebsites.us", CategoryCloud, "azurewebsites.us"},
		{"payroll.westeurope.cloudapp.azure.com", CategoryCloud, "cloudapp.azure.com"},
		{"payroll.cloudapp.net", CategoryCloud, "cloudapp.net"},
		{"payroll.chinacloudapp.cn", CategoryCloud, "chinacloudapp.cn"},
		{"payroll.trafficmanager.net", CategoryCloud, "trafficmanager.net"},
		{"payroll.blob.core.windows.net", CategoryCloud, "blob.core.windows.net"},
		{"payroll.z6.web.core.windows.net", CategoryCloud, "web.core.windows.net"},
		{"payroll.azureedge.net", CategoryCloud, "azureedge.net"},
		{"payroll-b4c.z01.azurefd.net", CategoryCloud, "azurefd.net"},
		{"payroll.azure-api.net", CategoryCloud, "azure-api.net"},
		{"payroll.westeurope.azurecontainer.io", CategoryCloud, "azurecontainer.io"},
		{"payroll.kindhill-1a2b3c4d.westeurope.azurecontainerapps.io", CategoryCloud, "azurecontainerapps.io"},
		{"nice-sea-0a1b2c3d4.5.azurestaticapps.net", CategoryCloud, "azurestaticapps.net"},
		{"payroll.vault.azure.net", CategoryCloud, "vault.azure.net"},
		{"payroll.s3.amazonaws.com", CategoryCloud, "s3.amazonaws.com"},
		{"payroll.s3-website-us-east-1.amazonaws.com", CategoryCloud, "s3-website-us-east-1.amazonaws.com"},
		{"a1b2c3.execute-api.eu-west-1.amazonaws.com", CategoryCloud, "execute-api.eu-west-1.amazonaws.com"},
		{"d111111abcdef8.cloudfront.net", CategoryCloud, "cloudfront.net"},
		{"payroll.eu-west-1.elasticbeanstalk.com", CategoryCloud, "elasticbeanstalk.com"},
		{"main.d1a2b3.amplifyapp.com", CategoryCloud, "amplifyapp.com"},
		{"payroll.appspot.com", CategoryCloud, "appspot.com"},
		{"payroll-abc123-ew.a.run.app", CategoryCloud, "run.app"},
		{"payroll.web.app", CategoryCloud, "web.app"},
		{"payroll.firebaseapp.com", CategoryCloud, "firebaseapp.com"},
		{"payroll.herokuapp.com", CategoryCloud, "herokuapp.com"},
		{"contoso.github.io", CategoryCloud, "github.io"},
		{"payroll.netlify.app", CategoryCloud, "netlify.app"},
		{"payroll.vercel.app", CategoryCloud, "vercel.app"},
		{"payroll.pages.dev", CategoryCloud, "pages.dev"},
		{"payroll.onrender.com", CategoryCloud, "onrender.com"},
		{"payroll.fly.dev", CategoryCloud, "fly.dev"},
		{"payroll.surge.sh", CategoryCloud, "surge.sh"},
		// Tunnels: ngrok's current and legacy domains, Cloudflare quick tunnels, localtunnel and others.
		{"1a2b-203-0-113-7.ngrok-free.app", CategoryTunnel, "ngrok-free.app"},
		{"payroll.ngrok.app", CategoryTunnel, "ngrok.app"},
		{"1a2b3c4d.ngrok.io", CategoryTunnel, "ngrok.io"},
		{"1a2b3c4d.eu.ngrok.io", CategoryTunnel, "ngrok.io"},
		{"payroll.ngrok-free.dev", CategoryTunnel, "ngrok-free.dev"},
		{"words-like-these.trycloudflare.com", CategoryTunnel, "trycloudflare.com"},
		{"payroll.loca.lt", CategoryTunnel, "loca.lt"},
		{"1a2b3c4d-8080.euw.devtunnels.ms", CategoryTunnel, "devtunnels.ms"},
		{"1a2b3c4d5e6f70.lhr.life", CategoryTunnel, "lhr.life"},
		{"1a2b-203-0-113-7.serveousercontent.com", CategoryTunnel, "serveousercontent.com"},
		{"rnabc-203-0-113-7.a.free.pinggy.link", CategoryTunnel, "pinggy.link"},
		{"fuzzy-space-8080.app.github.dev", CategoryTunnel, "app.github.dev"},
		{"payroll.tunnelmole.net", CategoryTunnel, "tunnelmole.net"},
		// Dynamic DNS.
		{"payroll.duckdns.org", CategoryDynamicDNS, "duckdns.org"},
		{"payroll.ddns.net", CategoryDynamicDNS, "ddns.net"},
		{"payroll.hopto.org", CategoryDynamicDNS, "hopto.org"},
		{"payroll.dyndns.org", CategoryDynamicDNS, "dyndns.org"},
		{"payroll.dynu.net", CategoryDynamicDNS, "dynu.net"},
		{"payroll.dynv6.net", CategoryDynamicDNS, "dynv6.net"},
		{"payroll.zapto.org", CategoryDynamicDNS, "zapto.org"},
		// URL shorteners.
		{"bit.ly", CategoryShortener, "bit.ly"},
		{"tinyurl.com", CategoryShortener, "tinyurl.com"},
		{"t.co", CategoryShortener, "t.co"},
		{"is.gd", CategoryShortener, "is.gd"},
		{"rebrand.ly", CategoryShortener, "rebrand.ly"},
		{"cutt.ly", CategoryShortener, "cutt.ly"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.category] = true
		got, ok := Classify(tt.host)
		if !ok || got.Category != tt.category || got.Suffix != tt.suffix {
			t.Errorf("Classify(%q) = %+v, %v; want %s under %s", tt.host, got, ok, tt.category, tt.suffix)
		}
		if !Claimable(tt.host) {
			t.Errorf("Claimable(%q) = false", tt.host)
		}
	}
	for _, c := range Categories() {
		if !seen[c] {
			t.Errorf("no test host for category %s", c)
		}
	}
}

// TestNotSharedHosts checks hosts that are nobody's shared domain.
func TestNotSharedHosts(t *testing.T) {
	for _, host := range []string{
		"contoso.com", "app.contoso.com", "azurewebsites.net.contoso.com", "notazurewebsites.net",
		"core.windows.net", "windows.net", "login.microsoftonline.com", "graph.microsoft.com",
		"contoso.onmicrosoft.com", "amazonaws.com", "ngrok.com", "bit.ly.contoso.com", "", ".", "com",
	} {
		if got, ok := Classify(host); ok {
			t.Errorf("Classify(%q) = %+v, want nothing", host, got)
		}
	}
}

// TestSharedHostsFile checks the embedded list: every category is
// there with its sources named, every entry is a plain lower-case name,
// and the suffixes of the list this one replaced are all kept.
func TestSharedHostsFile(t *testing.T) {
	for _, want := range []string{"# version:", "Public Suffix List", "misp-warninglists", "tools/genhosts"} {
		if !strings.Contains(sharedHostsFile, want) {
			t.Errorf("shared_hosts.csv header lacks %q", want)
		}
	}
	count := map[string]int{}
	for _, sh := range SharedHosts() {
		count[sh.Category]++
		if s := sh.Suffix; s[0] == '.' || s[len(s)-1] == '.' || s != strings.ToLower(s) || strings.ContainsAny(s, "*! ") {
			t.Errorf("suffix %q is not a plain lower-case name", s)
		}
	}
	for c, min := range map[string]int{CategoryCloud: 500, CategoryTunnel: 20, CategoryDynamicDNS: 300, CategoryShortener: 200} {
		if count[c] < min {
			t.Errorf("%d %s suffixes, want at least %d", count[c], c, min)
		}
	}
	for _, old := range []string{
		"azurewebsites.net", "cloudapp.net", "cloudapp.azure.com", "chinacloudapp.cn", "usgovcloudapp.net",
		"trafficmanager.net", "blob.core.windows.net", "web.core.windows.net", "azureedge.net", "azurefd.net",
		"azure-api.net", "azurecontainer.io", "azurecontainerapps.io", "azurestaticapps.net", "azurehdinsight.net",
		"herokuapp.com", "github.io", "netlify.app", "vercel.app", "pages.dev", "web.app", "firebaseapp.com",
		"appspot.com", "s3.amazonaws.com", "elasticbeanstalk.com", "surge.sh",
	} {
		if sh, ok := Classify("x." + old); !ok || sh.Category != CategoryCloud {
			t.Errorf("%s is no longer a cloud host: %+v", old, sh)
		}
	}
}

func TestParseHostsErrors(t *testing.T) {
	const head = "category,suffix,owner,source\n"
	for name, text := range map[string]string{
		"no header":        "cloud_hosting,x.net,X,psl\n",
		"unknown category": head + "parking,x.net,X,psl\n",
		"twice":            head + "tunnel,x.net,X,psl\ntunnel,x.net,X,psl\n",
		"no source":        head + "tunnel,x.net,X,\n",
		"short line":       head + "tunnel,x.net\n",
	} {
		if _, err := parseHosts(text); err == nil {
			t.Errorf("%s: parseHosts accepted %q", name, text)
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
