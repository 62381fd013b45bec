package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun builds the list from a small Public Suffix List holding one
// suffix for every owner owners.csv names, and small MISP lists.
func TestRun(t *testing.T) {
	owners, err := readPairs(ownersCSV, "owner,category")
	if err != nil {
		t.Fatal(err)
	}
	var psl strings.Builder
	psl.WriteString("// ===BEGIN ICANN DOMAINS===\ncom\n\n// ===BEGIN PRIVATE DOMAINS===\n\n")
	i := 0
	for o := range owners {
		i++
		psl.WriteString("// " + o + " : https://example.com/\n// Submitted by someone\nowner" + string(rune('a'+i%26)) + strings.Repeat("x", i) + ".example\n\n")
	}
	psl.WriteString("// Cloudflare, Inc. : https://cloudflare.com\ntrycloudflare.com\npages.dev\n\n")
	psl.WriteString("// Unlisted Hosting : https://example.net\nunlisted.example\n\n")
	psl.WriteString("// ngrok : https://ngrok.com/\nngrok.io\neu.ngrok.io\n*.wild.example\n!www.wild.example\n\n// ===END PRIVATE DOMAINS===\n")
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	o := options{
		version: "2001-02-03", pslCommit: "abc", shortenersCommit: "def", ddnsCommit: "ghi",
		psl:        write("psl.dat", psl.String()),
		shorteners: write("s.json", `{"list":["bit.ly","T.co"]}`),
		ddns:       write("d.json", `{"list":[".duckdns.org"]}`),
	}
	var out bytes.Buffer
	if err := run(&out, o); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"# version: 2001-02-03", "commit abc",
		"tunnel,trycloudflare.com,\"Cloudflare, Inc.\",psl\n",
		"cloud_hosting,pages.dev,\"Cloudflare, Inc.\",psl\n",
		"tunnel,ngrok.io,ngrok,psl\n",
		"url_shortener,bit.ly,,misp-url-shortener\n",
		"url_shortener,t.co,,misp-url-shortener\n",
		"dynamic_dns,duckdns.org,,misp-dynamic-dns\n",
		"tunnel,devtunnels.ms,Microsoft dev tunnels,public-code\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, unwanted := range []string{"unlisted.example", "eu.ngrok.io", "www.wild"} {
		if strings.Contains(got, unwanted) {
			t.Errorf("output has %q", unwanted)
		}
	}
}

// TestRunMissingOwner fails when an owner owners.csv names has left the
// list, so that a rename upstream is noticed.
func TestRunMissingOwner(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "psl.dat")
	if err := os.WriteFile(p, []byte("// ===BEGIN PRIVATE DOMAINS===\n// ngrok\nngrok.io\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := run(&bytes.Buffer{}, options{version: "v", psl: p, pslCommit: "c", shorteners: p, shortenersCommit: "c", ddns: p, ddnsCommit: "c"})
	if err == nil || !strings.Contains(err.Error(), "does not") {
		t.Errorf("err = %v, want a missing owner", err)
	}
}
