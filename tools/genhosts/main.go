// Command genhosts writes internal/uricheck/shared_hosts.csv: the host
// suffixes under which names belong to a provider's customers, so that no
// tenant can own them, each with its category, its owner and where the
// fact comes from. It reads the private section of the Public Suffix List
// and MISP's warning lists of URL shorteners and dynamic DNS domains, and
// adds what owners.csv, overrides.csv and extra.csv (beside this file)
// say:
//
//	go run ./tools/genhosts -version 2026-12-07 \
//	    -psl public_suffix_list.dat -psl-commit e8c9a2b2 \
//	    -shorteners lists/url-shortener/list.json -shorteners-commit 84f0610a \
//	    -ddns lists/dynamic-dns/list.json -ddns-commit a219c925 \
//	    > internal/uricheck/shared_hosts.csv
//
// The inputs are fetched by whoever updates the data; appwatch never
// downloads anything at run time.
package main

import (
	"bufio"
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// Curated inputs.
var (
	//go:embed owners.csv
	ownersCSV string
	//go:embed overrides.csv
	overridesCSV string
	//go:embed extra.csv
	extraCSV string
)

// categories are the categories a suffix may have, in output order.
var categories = []string{"cloud_hosting", "tunnel", "dynamic_dns", "url_shortener"}

// entry is one output line.
type entry struct {
	category, suffix, owner string
	sources                 []string
}

func main() {
	var o options
	flag.StringVar(&o.version, "version", "", "version (date) to write in the header")
	flag.StringVar(&o.psl, "psl", "", "public_suffix_list.dat")
	flag.StringVar(&o.pslCommit, "psl-commit", "", "commit of the Public Suffix List read")
	flag.StringVar(&o.shorteners, "shorteners", "", "MISP warning list lists/url-shortener/list.json")
	flag.StringVar(&o.shortenersCommit, "shorteners-commit", "", "commit of that list")
	flag.StringVar(&o.ddns, "ddns", "", "MISP warning list lists/dynamic-dns/list.json")
	flag.StringVar(&o.ddnsCommit, "ddns-commit", "", "commit of that list")
	flag.Parse()
	if err := run(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "genhosts:", err)
		os.Exit(1)
	}
}

type options struct {
	version, psl, pslCommit, shorteners, shortenersCommit, ddns, ddnsCommit string
}

func run(w io.Writer, o options) error {
	for name, v := range map[string]string{"version": o.version, "psl": o.psl, "psl-commit": o.pslCommit,
		"shorteners": o.shorteners, "shorteners-commit": o.shortenersCommit, "ddns": o.ddns, "ddns-commit": o.ddnsCommit} {
		if v == "" {
			return fmt.Errorf("-%s is required", name)
		}
	}
	owners, err := readPairs(ownersCSV, "owner,category")
	if err != nil {
		return fmt.Errorf("owners.csv: %w", err)
	}
	overrides, err := readPairs(overridesCSV, "suffix,category")
	if err != nil {
		return fmt.Errorf("overrides.csv: %w", err)
	}
	s := newSet(overrides)
	if err := s.addPSL(o.psl, owners); err != nil {
		return err
	}
	if err := s.addMISP(o.shorteners, "url_shortener", "misp-url-shortener"); err != nil {
		return err
	}
	if err := s.addMISP(o.ddns, "dynamic_dns", "misp-dynamic-dns"); err != nil {
		return err
	}
	if err := s.addExtra(); err != nil {
		return err
	}
	return s.write(w, o)
}

// readPairs reads a two-column CSV with the given header.
func readPairs(text, header string) (map[string]string, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comment = '#'
	r.FieldsPerRecord = 2
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != header {
		return nil, fmt.Errorf("header is not %q", header)
	}
	out := map[string]string{}
	for _, rec := range recs[1:] {
		if !slices.Contains(categories, rec[1]) {
			return nil, fmt.Errorf("%s: unknown category %q", rec[0], rec[1])
		}
		out[rec[0]] = rec[1]
	}
	return out, nil
}

// set collects the entries by suffix.
type set struct {
	bySuffix  map[string]*entry
	overrides map[string]string
}

func newSet(overrides map[string]string) *set {
	return &set{bySuffix: map[string]*entry{}, overrides: overrides}
}

// add records a suffix; the same suffix from another source only gains
// the source, and may not change category.
func (s *set) add(category, suffix, owner, source string) error {
	suffix = strings.Trim(strings.ToLower(strings.TrimSpace(suffix)), ".")
	if c, ok := s.overrides[suffix]; ok {
		category = c
	}
	if suffix == "" || !isASCII(suffix) {
		return nil // appwatch compares host names as URIs carry them: ASCII
	}
	if e, ok := s.bySuffix[suffix]; ok {
		if e.category != category {
			return fmt.Errorf("%s is %s in one source and %s in another; settle it in overrides.csv", suffix, e.category, category)
		}
		if !slices.Contains(e.sources, source) {
			e.sources = append(e.sources, source)
		}
		if e.owner == "" {
			e.owner = owner
		}
		return nil
	}
	s.bySuffix[suffix] = &entry{category: category, suffix: suffix, owner: owner, sources: []string{source}}
	return nil
}

// addPSL adds the suffixes of the chosen owners of the Public Suffix
// List's private section. A block starts after a blank line; its first
// comment line names the owner, before " : " or ": ".
func (s *set) addPSL(path string, owners map[string]string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	private, owner, seen := false, "", map[string]bool{}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "// ===BEGIN PRIVATE DOMAINS==="):
			private = true
		case strings.HasPrefix(line, "// ===END PRIVATE DOMAINS==="):
			private = false
		case !private:
		case line == "":
			owner = ""
		case strings.HasPrefix(line, "//"):
			if owner == "" {
				owner = ownerName(strings.TrimSpace(strings.TrimPrefix(line, "//")))
			}
		case strings.HasPrefix(line, "!"):
		default:
			cat, ok := owners[owner]
			if !ok {
				continue
			}
			seen[owner] = true
			if err := s.add(cat, strings.TrimPrefix(line, "*."), owner, "psl"); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	for o := range owners {
		if !seen[o] {
			return fmt.Errorf("owners.csv names %q, which the list's private section does not", o)
		}
	}
	return nil
}

// ownerName cuts the link off a block's first comment line.
func ownerName(s string) string {
	for _, sep := range []string{" : ", ": http"} {
		if i := strings.Index(s, sep); i >= 0 {
			s = s[:i]
		}
	}
	return strings.TrimSpace(s)
}

// addMISP adds the entries of a MISP warning list of host names.
func (s *set) addMISP(path, category, source string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var list struct {
		List []string `json:"list"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	if len(list.List) == 0 {
		return fmt.Errorf("%s: empty list", path)
	}
	for _, h := range list.List {
		if err := s.add(category, h, "", source); err != nil {
			return err
		}
	}
	return nil
}

// addExtra adds extra.csv.
func (s *set) addExtra() error {
	r := csv.NewReader(strings.NewReader(extraCSV))
	r.Comment = '#'
	r.FieldsPerRecord = 4
	recs, err := r.ReadAll()
	if err != nil {
		return fmt.Errorf("extra.csv: %w", err)
	}
	if len(recs) == 0 || strings.Join(recs[0], ",") != "category,suffix,owner,source" {
		return fmt.Errorf("extra.csv: bad header")
	}
	for _, rec := range recs[1:] {
		if !slices.Contains(categories, rec[0]) {
			return fmt.Errorf("extra.csv: %s: unknown category %q", rec[1], rec[0])
		}
		if err := s.add(rec[0], rec[1], rec[2], rec[3]); err != nil {
			return err
		}
	}
	return nil
}

// entries returns the entries without those under another suffix of the
// same category, which match nothing more, sorted by category and suffix.
func (s *set) entries() []*entry {
	var out []*entry
	for _, e := range s.bySuffix {
		if !s.coveredByParent(e) {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *entry) int {
		if c := slices.Index(categories, a.category) - slices.Index(categories, b.category); c != 0 {
			return c
		}
		return strings.Compare(a.suffix, b.suffix)
	})
	return out
}

func (s *set) coveredByParent(e *entry) bool {
	for rest := e.suffix; ; {
		_, parent, ok := strings.Cut(rest, ".")
		if !ok {
			return false
		}
		if p, ok := s.bySuffix[parent]; ok && p.category == e.category {
			return true
		}
		rest = parent
	}
}

func (s *set) write(w io.Writer, o options) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, header, o.version, o.pslCommit, o.shortenersCommit, o.ddnsCommit)
	cw := csv.NewWriter(bw)
	if err := cw.Write([]string{"category", "suffix", "owner", "source"}); err != nil {
		return err
	}
	for _, e := range s.entries() {
		if err := cw.Write([]string{e.category, e.suffix, e.owner, strings.Join(e.sources, ";")}); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

const header = `# appwatch reference data: host suffixes under which no tenant can own a name
# version: %s
#
# Generated by tools/genhosts; edit its owners.csv, overrides.csv and
# extra.csv, not this file. A host is under a suffix when it equals it or
# ends with "." and it; the longest suffix wins.
#
# Categories:
#   cloud_hosting  default domains of cloud platforms and web hosts, where a
#                  customer names a resource (contoso.azurewebsites.net) and
#                  whoever creates the name next receives its traffic
#   tunnel         tunnelling and preview services that put a developer's
#                  machine on the internet under a name they hand out
#   dynamic_dns    dynamic DNS providers, where anyone registers a name
#   url_shortener  URL shorteners, whose links send a visitor on to an
#                  address their creator chooses and can change
#
# Sources (facts only: names, owners):
#   psl                 the private section of the Public Suffix List,
#                       github.com/publicsuffix/list, commit %s
#   misp-url-shortener  MISP warning list url-shortener,
#                       github.com/MISP/misp-warninglists, commit %s
#   misp-dynamic-dns    MISP warning list dynamic-dns version 1, commit %s
#   azure-dns, azure-takeover, product-docs, public-code: see
#                       tools/genhosts/extra.csv
`
