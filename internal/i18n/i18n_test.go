package i18n

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		tag  string
		want string // empty: an error
	}{
		{"en", English},
		{"en-US", English},
		{"EN_gb", English},
		{"en_US.UTF-8", English},
		{"zh-TW", TraditionalChinese},
		{"zh_TW", TraditionalChinese},
		{"zh_TW.Big5", TraditionalChinese},
		{"zh-Hant", TraditionalChinese},
		{"zh-Hant-TW", TraditionalChinese},
		{"zh-HK", TraditionalChinese},
		{"it", Italian},
		{"it-IT", Italian},
		{"it_IT@euro", Italian},
		{"ja", Japanese},
		{"ja-JP", Japanese},
		{"ja_JP.eucJP", Japanese},
		{" ja ", Japanese},
		{"zh", ""},
		{"zh-CN", ""},
		{"zh-Hans-TW", ""},
		{"fr-FR", ""},
		{"C", ""},
		{"POSIX", ""},
		{"", ""},
		{"-", ""},
		{".UTF-8", ""},
	}
	for _, tt := range tests {
		got, err := Parse(tt.tag)
		if tt.want == "" {
			if err == nil {
				t.Errorf("Parse(%q) = %q, want an error", tt.tag, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tt.tag, got, err, tt.want)
		}
	}
}

func TestFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"nothing set", nil, English},
		{"LANG", map[string]string{"LANG": "ja_JP.UTF-8"}, Japanese},
		{"LC_MESSAGES over LANG", map[string]string{"LANG": "ja_JP.UTF-8", "LC_MESSAGES": "it_IT.UTF-8"}, Italian},
		{"LC_ALL over all", map[string]string{"LANG": "ja_JP.UTF-8", "LC_MESSAGES": "it_IT.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, TraditionalChinese},
		{"empty LC_ALL is skipped", map[string]string{"LC_ALL": "", "LANG": "it_IT"}, Italian},
		{"C locale", map[string]string{"LANG": "C.UTF-8"}, English},
		{"unsupported language", map[string]string{"LC_ALL": "fr_FR.UTF-8", "LANG": "ja_JP"}, English},
		{"Simplified Chinese", map[string]string{"LANG": "zh_CN.UTF-8"}, English},
	}
	for _, tt := range tests {
		lookup := func(k string) (string, bool) {
			v, ok := tt.env[k]
			return v, ok
		}
		if got := FromEnv(lookup); got != tt.want {
			t.Errorf("%s: FromEnv = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestComplete fails when a message lacks a language or a translation
// takes other arguments than the English text.
func TestComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range catalogs {
		for key := range c {
			if seen[key] {
				t.Errorf("%s: in two catalogs", key)
			}
			seen[key] = true
		}
	}
	for key, m := range all() {
		en := m.en
		for _, lang := range Langs() {
			if !Has(lang, key) {
				t.Errorf("%s: %s: no %s text", fileOf(key), shortKey(key), lang)
				continue
			}
			s := m.in(lang)
			if got, want := verbs(s), verbs(en); !slices.Equal(got, want) {
				t.Errorf("%s (%s): verbs %q, English has %q", key, lang, got, want)
			}
			if s != strings.TrimSpace(s) && !strings.HasSuffix(key, "sep") {
				t.Errorf("%s (%s): leading or trailing space in %q", key, lang, s)
			}
		}
		if strings.HasSuffix(key, ".one") {
			if _, ok := lookup(strings.TrimSuffix(key, ".one") + ".other"); !ok {
				t.Errorf("%s: no .other form", key)
			}
		}
	}
}

// all returns every message of every catalog.
func all() map[string]texts {
	out := map[string]texts{}
	for _, c := range catalogs {
		maps.Copy(out, c)
	}
	return out
}

// verbs lists the fmt verbs of s by argument position: "2:d" is a %d
// taking the second argument.
func verbs(s string) []string {
	var out []string
	arg := 1
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			continue
		}
		i++
		if i < len(s) && s[i] == '%' {
			continue
		}
		if i < len(s) && s[i] == '[' {
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return append(out, "bad index")
			}
			n, err := strconv.Atoi(s[i+1 : i+end])
			if err != nil {
				return append(out, "bad index")
			}
			arg = n
			i += end + 1
		}
		for i < len(s) && strings.IndexByte("+-# 0123456789.", s[i]) >= 0 {
			i++
		}
		if i < len(s) {
			out = append(out, strconv.Itoa(arg)+":"+string(s[i]))
		}
		arg++
	}
	slices.Sort(out)
	return out
}

func TestVerbs(t *testing.T) {
	tests := []struct {
		s    string
		want []string
	}{
		{"no verbs", nil},
		{"%d of %d", []string{"1:d", "2:d"}},
		{"100%% %s", []string{"1:s"}},
		{"%[2]s then %[1]d", []string{"1:d", "2:s"}},
		{"%-8s|%5.2f", []string{"1:s", "2:f"}},
	}
	for _, tt := range tests {
		if got := verbs(tt.s); !slices.Equal(got, tt.want) {
			t.Errorf("verbs(%q) = %q, want %q", tt.s, got, tt.want)
		}
	}
}

func TestRows(t *testing.T) {
	rows := Rows()
	if len(rows) != 18 {
		t.Fatalf("%d rows, want 18", len(rows))
	}
	if len(sections) != len(rows) {
		t.Errorf("sections lists %d rows, the guide has %d", len(sections), len(rows))
	}
	seen := map[string]bool{}
	names := map[string]map[string]string{} // lang → name → key
	for _, r := range rows {
		if seen[r.Key] {
			t.Errorf("row %s listed twice", r.Key)
		}
		seen[r.Key] = true
		if _, ok := lookup("row." + r.Key); !ok {
			t.Errorf("row %s has no short name", r.Key)
		}
		if r.Section == SectionOther {
			t.Errorf("row %s has no section", r.Key)
		}
		if _, ok := messages["section."+r.Section]; !ok {
			t.Errorf("row %s: section %q has no name", r.Key, r.Section)
		}
		for _, lang := range Langs() {
			name := NewPrinter(lang).Row(r.Key)
			if names[lang] == nil {
				names[lang] = map[string]string{}
			}
			if other, dup := names[lang][name]; dup {
				t.Errorf("%s: rows %s and %s share the name %q", lang, other, r.Key, name)
			}
			names[lang][name] = r.Key
		}
	}
}

// TestRowsMatchSpec checks Rows against the project's list of guide rows,
// when the shared specification is present.
func TestRowsMatchSpec(t *testing.T) {
	f, err := os.Open(filepath.Join("..", "..", "..", "shared", "spec", "guide-rows.yaml"))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("shared specification not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var keys []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "cross_cutting:") {
			break
		}
		if k, ok := strings.CutPrefix(line, "  - key: "); ok {
			keys = append(keys, strings.TrimSpace(k))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range Rows() {
		got = append(got, r.Key)
	}
	if !slices.Equal(got, keys) {
		t.Errorf("Rows() = %q\nspec has %q", got, keys)
	}
}

func TestSectionOf(t *testing.T) {
	tests := []struct {
		key     string
		section string
		isRow   bool
	}{
		{"credential-lifetime", SectionCredentials, true},
		{"user-consent", SectionPermissions, true},
		{"keyvault-access", SectionKeyVault, true},
		{"device-code-signin", SectionAuthFlows, true},
		{"logout-url-change", SectionConfiguration, true},
		{"aw-bulk-owners", SectionOther, false},
		{"", SectionOther, false},
	}
	for _, tt := range tests {
		if got := SectionOf(tt.key); got != tt.section || IsRow(tt.key) != tt.isRow {
			t.Errorf("SectionOf(%q) = %q, IsRow = %v; want %q, %v", tt.key, got, IsRow(tt.key), tt.section, tt.isRow)
		}
	}
}

func TestPrinter(t *testing.T) {
	tests := []struct {
		lang string
		got  func(p *Printer) string
		want string
	}{
		{"en", func(p *Printer) string { return p.Sprintf("summary.rows", 3, 18) }, "Guide rows with alerts: 3 of 18"},
		{"it-IT", func(p *Printer) string { return p.Sprintf("summary.rows", 3, 18) }, "Righe della guida con avvisi: 3 su 18"},
		{"en", func(p *Printer) string { return p.Count("summary.alerts", 1) }, "1 alert"},
		{"en", func(p *Printer) string { return p.Count("summary.alerts", 0) }, "0 alerts"},
		{"it", func(p *Printer) string { return p.Count("summary.alerts", 2) }, "2 avvisi"},
		{"ja", func(p *Printer) string { return p.Count("summary.alerts", 1) }, "アラート 1 件"},
		{"zh-TW", func(p *Printer) string { return p.Level("critical") }, "重大"},
		{"ja", func(p *Printer) string { return p.Level("severe") }, "severe"},
		{"ja", func(p *Printer) string { return p.Row("device-code-signin") }, "デバイス コード フローによるサインイン"},
		{"ja", func(p *Printer) string { return p.Row("aw-custom-row") }, "aw-custom-row"},
		{"zh_TW", func(p *Printer) string { return p.Section("keyvault") }, "Azure Key Vault"},
		{"it", func(p *Printer) string { return p.Sprintf("no.such.key") }, "no.such.key"},
		{"fr", func(p *Printer) string { return p.Sprintf("col.actor") }, "Actor"},
		{"fr", func(p *Printer) string { return p.Lang() }, "en"},
		{"zh-Hant", func(p *Printer) string { return p.Lang() }, "zh-TW"},
	}
	for _, tt := range tests {
		if got := tt.got(NewPrinter(tt.lang)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"en", "zh_TW.UTF-8", "zh-Hant-HK", "it@euro", "ja-JP", "C", "", "zh-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tag string) {
		got, err := Parse(tag)
		if err != nil {
			return
		}
		if !slices.Contains(Langs(), got) {
			t.Fatalf("Parse(%q) = %q, not a supported tag", tag, got)
		}
		again, err := Parse(got)
		if err != nil || again != got {
			t.Fatalf("Parse(%q) = %q, but Parse(%q) = %q, %v", tag, got, got, again, err)
		}
	})
}

func TestRole(t *testing.T) {
	tests := []struct{ lang, role, want string }{
		{"ja", "Privileged Role Administrator", "特権ロール管理者 (Privileged Role Administrator)"},
		{"zh-TW", "Global Administrator", "全域管理員 (Global Administrator)"},
		{"it", "Contributor", "Collaboratore (Contributor)"},
		{"ja", "User Access Administrator", "ユーザー アクセス管理者 (User Access Administrator)"},
		{"zh-TW", "Cloud Application Administrator", "雲端應用程式系統管理員 (Cloud Application Administrator)"},
		{"en", "Global Administrator", "Global Administrator"},
		{"ja", "Contoso Custom Role", "Contoso Custom Role"},
	}
	for _, tt := range tests {
		if got := NewPrinter(tt.lang).Role(tt.role); got != tt.want {
			t.Errorf("Role(%s, %q) = %q, want %q", tt.lang, tt.role, got, tt.want)
		}
	}
}

func TestError(t *testing.T) {
	inner := Errorf("want 1 or more")
	err := fmt.Errorf("--sink x: %w", Errorf("option %s: %w", "rate", inner))
	if got, want := err.Error(), `--sink x: option rate: want 1 or more`; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
	if !errors.Is(err, inner) {
		t.Error("the wrapped error is not found")
	}
	if got, want := NewPrinter("it").Error(err), `--sink x: opzione rate: serve 1 o più`; got != want {
		t.Errorf("Italian: %q, want %q", got, want)
	}
	plain := errors.New("disk full")
	if got := NewPrinter("ja").Error(fmt.Errorf("write: %w", plain)); got != "write: disk full" {
		t.Errorf("an error of no catalogue: %q", got)
	}
}
