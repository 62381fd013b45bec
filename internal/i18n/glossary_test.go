package i18n

import (
	"bufio"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// guideLines reads Microsoft's translation of the guide in lang, one
// string per line (index 0 is line 1), or skips the test when the shared
// seeds are absent.
func guideLines(t *testing.T, lang string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "shared", "seeds", "guide."+lang+".txt"))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("the guide's translations are not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestGlossaryCitesGuide checks each citation of the glossary against the
// guide: a term's cited lines use one of its right forms, and a row name
// shares the words it says it shares with the row's lines.
func TestGlossaryCitesGuide(t *testing.T) {
	for _, lang := range Langs() {
		lines := guideLines(t, lang)
		for _, term := range Glossary() {
			u, ok := term.In[lang]
			if !ok {
				continue
			}
			if len(u.Lines) == 0 && u.Basis == "" {
				t.Errorf("%s (%s): neither a guide line nor a basis", term.ID, lang)
			}
			var cited []string
			for _, n := range u.Lines {
				if n < 1 || n > len(lines) {
					t.Errorf("%s (%s): line %d is not in the guide", term.ID, lang, n)
					continue
				}
				cited = append(cited, strings.ToLower(lines[n-1]))
			}
			if len(cited) == 0 {
				continue
			}
			if strings.HasPrefix(term.ID, "row.") {
				for _, w := range u.Shares {
					lw := strings.ToLower(w)
					if !strings.Contains(strings.ToLower(u.Right[0]), lw) {
						t.Errorf("%s (%s): the name %q lacks %q", term.ID, lang, u.Right[0], w)
					}
					if !slices.ContainsFunc(cited, func(l string) bool { return strings.Contains(l, lw) }) {
						t.Errorf("%s (%s): lines %v lack %q", term.ID, lang, u.Lines, w)
					}
				}
				continue
			}
			for i, l := range cited {
				if !slices.ContainsFunc(u.Right, func(r string) bool { return strings.Contains(l, strings.ToLower(r)) }) {
					t.Errorf("%s (%s): line %d uses none of %q", term.ID, lang, u.Lines[i], u.Right)
				}
			}
		}
	}
}

// TestGlossaryConsistent checks that the glossary is complete and does not
// contradict itself: ids are unique, every term is given in every
// language, and no right form trips a check.
func TestGlossaryConsistent(t *testing.T) {
	seen := map[string]bool{}
	terms := Glossary()
	if len(terms) < 40+18 {
		t.Errorf("%d terms, want at least 40 and the 18 row names", len(terms))
	}
	for _, term := range terms {
		if seen[term.ID] {
			t.Errorf("%s: listed twice", term.ID)
		}
		seen[term.ID] = true
		for _, lang := range Langs() {
			u, ok := term.In[lang]
			if !ok && term.ID != "register" {
				t.Errorf("%s: not given in %s", term.ID, lang)
			}
			for _, r := range u.Right {
				for _, p := range Lint(lang, r, term.Preferred(English)) {
					t.Errorf("%s (%s): right form %q: %s", term.ID, lang, r, p)
				}
			}
			for _, w := range u.Wrong {
				if slices.Contains(u.Right, w) {
					t.Errorf("%s (%s): %q is both right and wrong", term.ID, lang, w)
				}
			}
		}
	}
}

func TestLint(t *testing.T) {
	tests := []struct {
		lang, text, english string
		want                []string // Problem.Kind + ":" + Problem.Found
	}{
		{"zh-TW", "新增用戶端密碼", "", []string{"term:用戶端密碼"}},
		{"zh-TW", "使用者輸入的密碼", "", nil},
		{"zh-TW", "在正常上班時間以外", "", nil},
		{"zh-TW", "在上班時間以外", "", []string{"term:上班時間"}},
		{"zh-TW", "應用程式識別碼 URI 已變更", "", []string{"term:應用程式識別碼 URI", "term:識別碼 URI"}},
		{"zh-TW", "api://<應用程式識別碼>", "", nil},
		{"zh-TW", "使用者 (而非管理員) 同意", "", []string{"punctuation:(", "punctuation:)"}},
		{"zh-TW", "使用者（而非管理員）同意。", "", nil},
		{"zh-TW", "請參閱 docs/setup-posture.md。", "", nil},
		{"zh-TW", "時間為 08:00，請參閱 https://learn.microsoft.com/entra。", "", nil},
		{"zh-TW", "DNS: 關閉", "", []string{"punctuation::"}},
		{"zh-TW", "這個设定", "", []string{"script:设"}},
		{"zh-TW", "前端通道 front-channel 登出", "", []string{"english:front-channel"}},
		{"zh-TW", "以 Microsoft Graph 的 Directory.ReadWrite.All 與 AllPrincipals 讀取", "", nil},
		{"zh-TW", "請執行 'appwatch rules list' 或 --format auto 或 az account get-access-token --query accessToken -o tsv", "", nil},
		{"zh-TW", "請檢查 owner 欄位", "", []string{"english:owner"}},
		{"it", "URI dell'ID applicazione aggiunto", "", []string{"term:URI dell'ID applicazione"}},
		{"it", "Modifica dell'URI AppID", "", nil},
		{"it", "ruolo di directory privilegiato", "", []string{"term:privilegiato"}},
		{"it", "un ruolo con privilegi", "", nil},
		{"it", "URI dangling", "", []string{"term:URI dangling", "term:dangling", "english:dangling"}},
		{"it", "un URL di disconnessione front-channel", "a front-channel logout URL", []string{"english:front-channel"}},
		{"it", "nel vostro tenant", "in your tenant", []string{"term:vostro"}},
		{"it", "i token del tenant", "the tenant's tokens", nil},
		{"it", "gli strumenti di password spraying", "password spraying tools", []string{"english:spraying"}},
		{"it", "un ruolo app", "an app role", []string{"term:ruolo app"}},
		{"it", "un'autorizzazione dell'applicazione", "", nil},
		{"it", "Ora：data", "", []string{"punctuation:："}},
		{"it", "l'evidenza delle review", "evidence of reviews", nil},
		{"it", "le review", "the reviews", nil},
		{"ja", "キー コンテナーにアクセスした", "", []string{"term:キー コンテナー", "term:コンテナー"}},
		{"ja", "Key Vault にアクセスした", "", nil},
		{"ja", "対象ユーザーとしての割り当て", "", []string{"term:対象ユーザーとしての割り当て"}},
		{"ja", "適格な割り当て", "", nil},
		{"ja", "認可コードとトークン", "", []string{"term:認可コード"}},
		{"ja", "アプリの登録とアプリケーションの登録", "", []string{"term:アプリの登録"}},
		{"ja", "警告（重要）：", "", []string{"punctuation:（", "punctuation:）", "punctuation:："}},
		{"ja", "ログです.", "", []string{"punctuation:."}},
		{"ja", "一覧は 'appwatch rules list' で表示できます (%s のことですか?)。", "", nil},
		{"en", "Outside business hours：yes", "", []string{"punctuation:："}},
		{"en", "a front-channel logout URL", "", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range Lint(tt.lang, tt.text, tt.english) {
			got = append(got, p.Kind+":"+p.Found)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Lint(%s, %q) = %q, want %q", tt.lang, tt.text, got, tt.want)
		}
	}
}

// TestCatalogFollowsGlossary checks every message in every language with
// Lint. A failure names the file the message is in, its key (its first
// line when long), the language and the problem.
func TestCatalogFollowsGlossary(t *testing.T) {
	msgs := all()
	for _, key := range slices.Sorted(maps.Keys(msgs)) {
		m := msgs[key]
		for _, lang := range Langs() {
			for _, p := range Lint(lang, m.in(lang), m.en) {
				t.Errorf("%s: %s [%s]: %s\n\ttext: %q", fileOf(key), shortKey(key), lang, p, m.in(lang))
			}
		}
	}
}

// fileOf names the file of this package that holds the message key.
func fileOf(key string) string {
	for _, c := range []struct {
		file string
		msgs map[string]texts
	}{{"cli.go", cliMessages}, {"messages.go", viewMessages}, {"web.go", webMessages}, {"help.go", helpMessages}, {"glossary_rows.go", rowMessages}, {"errtexts.go", errorMessages}, {"logs.go", logMessages}} {
		if _, ok := c.msgs[key]; ok {
			return "internal/i18n/" + c.file
		}
	}
	return "internal/i18n"
}

// shortKey returns key, or its first line cut to 60 bytes when it is
// longer, quoted.
func shortKey(key string) string {
	if i := strings.IndexByte(key, '\n'); i >= 0 {
		key = key[:i] + "..."
	}
	if len(key) > 60 {
		key = strings.ToValidUTF8(key[:60], "") + "..."
	}
	return strconv.Quote(key)
}

// TestRoleNamesFollowGlossary checks the localised name of every built-in
// role (roles.go) with Lint.
func TestRoleNamesFollowGlossary(t *testing.T) {
	if len(roleNames) < 30 {
		t.Errorf("only %d role names", len(roleNames))
	}
	for _, en := range slices.Sorted(maps.Keys(roleNames)) {
		m := roleNames[en]
		for _, lang := range Langs() {
			for _, p := range Lint(lang, m.in(lang), en) {
				t.Errorf("internal/i18n/roles.go: %q [%s]: %s", en, lang, p)
			}
		}
	}
}
