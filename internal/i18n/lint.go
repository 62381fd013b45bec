package i18n

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kinds of Problem.
const (
	// ProblemTerm is a variant the glossary rejects for one of its terms.
	ProblemTerm = "term"
	// ProblemEnglish is an English word left in a translated text.
	ProblemEnglish = "english"
	// ProblemPunctuation is punctuation of the wrong width for the
	// language: full-width in English and Italian, half-width prose
	// punctuation in Traditional Chinese, and in Japanese what Microsoft's
	// Japanese style writes otherwise (、。 full-width; ( ) : ? ! half-width).
	ProblemPunctuation = "punctuation"
	// ProblemScript is a Simplified Chinese character in a Traditional
	// Chinese text.
	ProblemScript = "script"
)

// Problem is one way a text departs from Microsoft's terms or from the
// conventions of its language.
type Problem struct {
	Kind string
	// Found is what the text says.
	Found string
	// Want is what to write instead, when there is one answer.
	Want string
	// Term is the glossary entry, for ProblemTerm.
	Term string
}

// String describes the problem in a line.
func (p Problem) String() string {
	switch p.Kind {
	case ProblemTerm:
		if p.Want == "" {
			return fmt.Sprintf("%q is not used (%s)", p.Found, p.Term)
		}
		return fmt.Sprintf("%q is not Microsoft's term for %s: write %q", p.Found, p.Term, p.Want)
	case ProblemEnglish:
		return fmt.Sprintf("%q is English left untranslated: translate it, quote a name the user types ('%s'), or add a product or value name to kept in internal/i18n/lint.go", p.Found, p.Found)
	case ProblemScript:
		return fmt.Sprintf("%q is a Simplified Chinese character: write %q", p.Found, p.Want)
	}
	return fmt.Sprintf("%q: punctuation of the wrong width: write %q", p.Found, p.Want)
}

// Lint checks text, written in lang, against the glossary and the
// conventions of lang, and returns what it finds, in the order of the
// checks: terms, English words, punctuation, script. english is the
// English text it translates: in Italian, a word taken over from it is
// English left untranslated unless Microsoft's Italian uses it too
// (tenant, token, browser). Format verbs, quoted text, flags, URIs and
// identifiers (names with dots, underscores or capitals inside) are not
// prose and are left alone.
func Lint(lang, text, english string) []Problem {
	lang, err := Parse(lang)
	if err != nil || text == "" {
		return nil
	}
	s := prose(text)
	var out []Problem
	out = append(out, wrongTerms(lang, s)...)
	if lang != English {
		out = append(out, englishWords(lang, s, english)...)
	}
	out = append(out, punctuation(lang, s)...)
	if lang == TraditionalChinese {
		out = append(out, simplified(s)...)
	}
	return out
}

// wrongTerms finds the glossary's wrong forms for lang in s.
func wrongTerms(lang, s string) []Problem {
	lower := strings.ToLower(s)
	var out []Problem
	for _, t := range Glossary() {
		u, ok := t.In[lang]
		if !ok {
			continue
		}
		for _, w := range u.Wrong {
			if found(lower, strings.ToLower(w), u.Right) {
				want := t.Preferred(lang)
				if want == "" {
					want = u.Basis
				}
				out = append(out, Problem{Kind: ProblemTerm, Found: w, Want: want, Term: t.ID})
			}
		}
	}
	return out
}

// found reports whether w occurs in s as a word (when it begins or ends
// with a letter of the Latin script, not as part of a longer word) and not
// inside an occurrence of one of the right forms.
func found(s, w string, right []string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		at := i + j
		i = at + 1
		if !bounded(s, at, at+len(w)) {
			continue
		}
		if !covered(s, at, at+len(w), right) {
			return true
		}
	}
}

// bounded reports whether s[start:end] is not part of a longer Latin
// word.
func bounded(s string, start, end int) bool {
	first, _ := utf8.DecodeRuneInString(s[start:end])
	last, _ := utf8.DecodeLastRuneInString(s[start:end])
	if latin(first) && start > 0 {
		if r, _ := utf8.DecodeLastRuneInString(s[:start]); latin(r) {
			return false
		}
	}
	if latin(last) && end < len(s) {
		if r, _ := utf8.DecodeRuneInString(s[end:]); latin(r) {
			return false
		}
	}
	return true
}

// covered reports whether s[start:end] lies inside an occurrence of one
// of the right forms.
func covered(s string, start, end int, right []string) bool {
	for _, r := range right {
		r = strings.ToLower(r)
		for from := max(0, end-len(r)); from <= start && from < len(s); {
			k := strings.Index(s[from:], r)
			if k < 0 {
				break
			}
			at := from + k
			if at > start {
				break
			}
			if at+len(r) >= end {
				return true
			}
			from = at + 1
		}
	}
	return false
}

// latin reports whether r is a letter of the Latin script.
func latin(r rune) bool { return unicode.Is(unicode.Latin, r) }

// cjk reports whether r is a Chinese character, kana, or CJK punctuation.
func cjk(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef || r == 'ー'
}

// prose returns text with what is not prose replaced by "0": format
// verbs, quoted text, URIs, placeholders in angle brackets, and flags
// with their values.
func prose(text string) string {
	var b strings.Builder
	rs := []rune(text)
	for i := 0; i < len(rs); {
		if n := code(rs, i); n > 0 {
			b.WriteByte('0')
			i += n
			continue
		}
		b.WriteRune(rs[i])
		i++
	}
	return b.String()
}

// code returns the length of the code span starting at rs[i], or 0.
func code(rs []rune, i int) int {
	r := rs[i]
	prev := ' '
	if i > 0 {
		prev = rs[i-1]
	}
	switch {
	case r == '%':
		return verbLen(rs[i:])
	case (r == '\'' || r == '"' || r == '`') && !latin(prev) && !unicode.IsDigit(prev):
		for j := i + 1; j < len(rs); j++ {
			if rs[j] == r {
				if j+1 == len(rs) || !latin(rs[j+1]) {
					return j + 1 - i
				}
			}
		}
	case r == '<':
		for j := i + 1; j < len(rs) && j-i < 40; j++ {
			if rs[j] == '>' {
				return j + 1 - i
			}
		}
	case r == '-' && !latin(prev) && !unicode.IsDigit(prev) && i+1 < len(rs) && (latin(rs[i+1]) || rs[i+1] == '-'):
		return flagLen(rs[i:])
	case r == '/' && !latin(prev) && i+1 < len(rs) && latin(rs[i+1]):
		return pathLen(rs[i:])
	case latin(r) && !latin(prev):
		if n := schemeLen(rs[i:]); n > 0 {
			return n
		}
		if n := pairLen(rs[i:]); n > 0 {
			return n
		}
		if strings.HasPrefix(string(rs[i:min(i+9, len(rs))]), "appwatch ") {
			return 9 + wordLen(rs[i+9:])
		}
		if strings.HasPrefix(string(rs[i:min(i+3, len(rs))]), "az ") {
			return commandLen(rs[i:])
		}
	}
	return 0
}

// verbLen returns the length of the fmt verb at the start of rs.
func verbLen(rs []rune) int {
	j := 1
	if j < len(rs) && rs[j] == '[' {
		for j < len(rs) && rs[j] != ']' {
			j++
		}
		j++
	}
	for j < len(rs) && strings.ContainsRune("+-# 0123456789.", rs[j]) {
		j++
	}
	if j < len(rs) && (unicode.IsLetter(rs[j]) || rs[j] == '%') {
		return j + 1
	}
	return 0
}

// flagLen returns the length of the flag at the start of rs (-o, --lang)
// and of its value, when a value follows after one space.
func flagLen(rs []rune) int {
	j := 0
	for j < len(rs) && rs[j] == '-' {
		j++
	}
	for j < len(rs) && (latin(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '-') {
		j++
	}
	if j+1 < len(rs) && rs[j] == ' ' && rs[j+1] != '-' && !cjk(rs[j+1]) {
		k := j + 1
		for k < len(rs) && !unicode.IsSpace(rs[k]) && !cjk(rs[k]) && !strings.ContainsRune(",;)", rs[k]) {
			k++
		}
		if k > j+1 {
			j = k
		}
	}
	return j
}

// commandLen returns the length of the Azure CLI command at the start of
// rs: everything up to a character of Chinese or Japanese, or the end.
func commandLen(rs []rune) int {
	j := 0
	for j < len(rs) && !cjk(rs[j]) {
		j++
	}
	return j
}

// pathLen returns the length of the path at the start of rs (/metrics,
// /etc/resolv.conf).
func pathLen(rs []rune) int {
	j := 0
	for j < len(rs) && !unicode.IsSpace(rs[j]) && !cjk(rs[j]) && !strings.ContainsRune(",;)", rs[j]) {
		j++
	}
	return j
}

// pairLen returns the length of a word joined to a value by a colon
// without a space (dir:PATH, host:port, sqlite:PATH) at the start of rs,
// or 0.
func pairLen(rs []rune) int {
	j := wordLen(rs)
	if j == 0 || j+1 >= len(rs) || rs[j] != ':' || !latin(rs[j+1]) {
		return 0
	}
	return j + 1 + pathLen(rs[j+1:])
}

// wordLen returns the length of the word of Latin letters at the start of
// rs.
func wordLen(rs []rune) int {
	j := 0
	for j < len(rs) && latin(rs[j]) {
		j++
	}
	return j
}

// schemeLen returns the length of the URI at the start of rs, or 0.
func schemeLen(rs []rune) int {
	j := 0
	for j < len(rs) && (latin(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '+') {
		j++
	}
	if j == 0 || j+2 >= len(rs) || string(rs[j:j+3]) != "://" {
		return 0
	}
	j += 3
	for j < len(rs) && !unicode.IsSpace(rs[j]) && !cjk(rs[j]) && rs[j] != '<' && rs[j] != ')' {
		j++
	}
	return j
}

// englishWords finds English words in s, a text in lang.
func englishWords(lang, s, english string) []Problem {
	for _, p := range keptPhrases {
		s = strings.ReplaceAll(s, p, "0")
	}
	source := map[string]bool{}
	if lang == Italian {
		for _, w := range words(prose(english)) {
			source[strings.ToLower(w)] = true
		}
	}
	var out []Problem
	for _, w := range words(s) {
		lw := strings.ToLower(w)
		switch {
		case identifier(w), kept[w], acronym(w):
		case englishOnly[lw]:
			out = append(out, Problem{Kind: ProblemEnglish, Found: w})
		case lang == Italian:
			if source[lw] && !italianToo[lw] {
				out = append(out, Problem{Kind: ProblemEnglish, Found: w})
			}
		case !kept[lw] && utf8.RuneCountInString(w) > 1:
			out = append(out, Problem{Kind: ProblemEnglish, Found: w})
		}
	}
	return out
}

// words splits s into its words of Latin letters, keeping inner hyphens,
// apostrophes, dots, underscores, slashes and digits so that identifiers
// stay whole. An Italian elision (dell'app) gives the word after the
// apostrophe.
func words(s string) []string {
	var out []string
	inWord := func(r rune) bool {
		return latin(r) || unicode.IsDigit(r) || strings.ContainsRune("-_./&@=$*|'", r)
	}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return !inWord(r) }) {
		f = strings.Trim(f, "-_./&@=$*|'")
		if i := strings.LastIndexByte(f, '\''); i >= 0 && !strings.ContainsAny(f, "._/") {
			f = f[i+1:]
		}
		if strings.IndexFunc(f, latin) >= 0 {
			out = append(out, f)
		}
	}
	return out
}

// identifier reports whether w is an identifier rather than a word: it
// holds a digit or a dot, underscore, slash or other sign, capitals after
// a lower-case letter (AllPrincipals), or two or more hyphens
// (privileged-app-permission).
func identifier(w string) bool {
	if strings.ContainsAny(w, "0123456789._/&@=$*|") || strings.Count(w, "-") >= 2 {
		return true
	}
	for i, r := range w {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// acronym reports whether w is written in capitals (HTTP, PIM, URI).
func acronym(w string) bool {
	return utf8.RuneCountInString(w) >= 2 && strings.ToUpper(w) == w
}

// keptPhrases are the names of products and services that stay in
// English in every language, as Microsoft's translations keep them,
// longest first so that a name is taken whole before a shorter one inside
// it.
var keptPhrases = longestFirst([]string{
	"Microsoft Entra ID Protection", "Microsoft Entra ID", "Microsoft Entra", "Microsoft Graph",
	"Privileged Identity Management", "Azure AD Graph", "Azure Key Vault", "Key Vault",
	"Exchange Online", "SharePoint Online", "Log Analytics", "Azure Monitor", "Event Hubs",
	"Microsoft Sentinel", "Microsoft Teams", "MITRE ATT&CK", "JSON Lines", "OpenID Connect",
	"Windows Hello for Business", "Microsoft Authenticator", "Microsoft Entra Workload ID Premium",
	"Microsoft Entra Workload ID", "Workload ID Premium", "Microsoft Entra Agent ID", "Windows Hello",
	"Azure Resource Manager", "JSON Schema", "standard error", "Graph Explorer", "Logs Ingestion API",
})

// longestFirst sorts ss by decreasing length.
func longestFirst(ss []string) []string {
	slices.SortStableFunc(ss, func(a, b string) int { return len(b) - len(a) })
	return ss
}

// kept are single words that stay as they are in every language: product
// and protocol names, and the values and names the command line takes.
var kept = map[string]bool{
	"Microsoft": true, "Entra": true, "Azure": true, "Graph": true, "Exchange": true,
	"SharePoint": true, "Intune": true, "Sentinel": true, "Teams": true, "Slack": true, "Splunk": true,
	"PowerShell": true, "Kafka": true, "OAuth": true, "SAML": true, "Sigma": true,
	"Web": true, "Windows": true, "Linux": true, "Chromium": true, "AppID": true,
	"appwatch": true, "localhost": true, "syslog": true, "Premium": true, "FIDO2": true,
	// Values of flags and formats named in messages.
	"table": true, "jsonl": true, "json": true, "csv": true, "sarif": true, "html": true,
	"true": true, "false": true, "auto": true, "summary": true, "bash": true, "zsh": true,
	"fish": true, "powershell": true, "gzip": true, "beta": true, "yml": true, "yaml": true,
	"text": true, "default": true, "certificate": true, "secret": true, "workload-identity": true,
	"managed-identity": true, "informational": true, "low": true, "medium": true, "high": true,
	"critical": true, "open": true, "acknowledged": true, "resolved": true, "suppressed": true,
	"status": true, "nameserver": true, "Go": true,
	// States of deliveries and names of silence matchers.
	"pending": true, "sent": true, "dead": true, "silenced": true, "row": true, "rule": true,
	"level": true, "tenant": true, "app": true, "actor": true,
	// The made-up company of the demo.
	"Fabrikam": true,
	// Language tags.
	"en": true, "it": true, "ja": true, "zh-TW": true,
}

// englishOnly are English words that are never the right word in another
// language.
var englishOnly = map[string]bool{
	"dangling": true, "front-channel": true, "spraying": true, "backdoor": true,
	"escalation": true, "onboarding": true, "deployment": true, "workload": true,
	"rollback": true, "sign-in": true, "signin": true, "the": true, "and": true, "of": true,
}

// italianToo are words an Italian text shares with its English source
// that are Italian as well: words spelt alike, and the English words
// Microsoft's Italian uses as they are.
var italianToo = map[string]bool{
	// Spelt alike.
	"a": true, "ad": true, "in": true, "no": true, "non": true, "come": true, "data": true,
	"solo": true, "via": true, "area": true, "note": true, "ore": true, "pro": true,
	"fine": true, "base": true, "media": true, "e": true, "i": true, "o": true, "per": true,
	"alias": true, "standard": true, "grave": true, "era": true,
	// English words in Microsoft's Italian.
	"file": true, "log": true, "record": true, "input": true, "output": true, "host": true,
	"client": true, "broker": true, "hub": true, "tenant": true, "token": true, "browser": true, "web": true,
	"cloud": true, "app": true, "account": true, "password": true, "directory": true,
	"snapshot": true, "phishing": true, "partner": true, "pipeline": true, "ticket": true,
	"provider": true, "loopback": true, "tunnel": true, "backup": true, "script": true,
	"test": true, "team": true, "email": true, "online": true, "server": true,
	"timeout": true, "proxy": true, "ok": true, "multi-tenant": true, "governance": true,
	"shell": true, "webhook": true, "az": true, "api": true, "chat": true, "link": true,
	"id": true, "zero": true, "report": true, "daemon": true, "provisioning": true,
	"guest": true, "legacy": true, "repository": true, "sponsor": true, "passkey": true,
	"intelligence": true, "endpoint": true, "offline": true, "schema": true, "commit": true,
}

// punctuation finds prose punctuation of the wrong width for lang.
func punctuation(lang, s string) []Problem {
	rs := []rune(s)
	hasCJK := slices.ContainsFunc(rs, func(r rune) bool { return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) })
	var out []Problem
	add := func(found rune, want string) {
		p := Problem{Kind: ProblemPunctuation, Found: string(found), Want: want}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for i, r := range rs {
		prev, next := ' ', ' '
		if i > 0 {
			prev = rs[i-1]
		}
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		switch lang {
		case English, Italian:
			if w, ok := halfOf[r]; ok {
				add(r, w)
			}
		case TraditionalChinese:
			if !hasCJK {
				continue
			}
			w, ok := fullOf[r]
			if !ok {
				continue
			}
			if r == '(' || r == ')' || cjk(prev) || cjk(next) || unicode.IsSpace(next) && r != '.' || i+1 == len(rs) && r != '.' {
				add(r, w)
			}
		case Japanese:
			switch {
			case strings.ContainsRune("（）：；？！，．", r):
				add(r, halfOf[r])
			case (r == ',' || r == '.') && unicode.In(prev, unicode.Han, unicode.Hiragana, unicode.Katakana):
				add(r, map[rune]string{',': "、", '.': "。"}[r])
			}
		}
	}
	return out
}

// fullOf gives the full-width form of prose punctuation that Traditional
// Chinese writes full-width.
var fullOf = map[rune]string{
	',': "，", ';': "；", ':': "：", '?': "？", '!': "！", '(': "（", ')': "）", '.': "。",
}

// halfOf gives the half-width form of full-width punctuation.
var halfOf = map[rune]string{
	'，': ",", '。': ".", '：': ":", '；': ";", '？': "?", '！': "!", '（': "(", '）': ")",
	'、': ",", '「': "\"", '」': "\"", '．': ".",
}

// simplified finds Simplified Chinese characters that Traditional
// Chinese writes otherwise.
func simplified(s string) []Problem {
	var out []Problem
	for _, r := range s {
		if t, ok := traditionalOf[r]; ok {
			p := Problem{Kind: ProblemScript, Found: string(r), Want: string(t)}
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// traditionalOf maps common Simplified characters to their Traditional
// forms.
var traditionalOf = map[rune]rune{
	'设': '設', '这': '這', '应': '應', '证': '證', '权': '權', '户': '戶', '录': '錄',
	'务': '務', '体': '體', '关': '關', '网': '網', '为': '為', '对': '對', '发': '發',
	'时': '時', '间': '間', '过': '過', '还': '還', '实': '實', '现': '現', '动': '動',
	'员': '員', '么': '麼', '们': '們', '来': '來', '个': '個', '见': '見', '请': '請',
	'该': '該', '认': '認', '访': '訪', '问': '問', '数': '數', '据': '據', '读': '讀',
	'写': '寫', '钥': '鑰', '库': '庫', '储': '儲', '组': '組', '织': '織', '码': '碼',
	'验': '驗', '册': '冊', '删': '刪', '错': '錯', '误': '誤', '将': '將', '从': '從',
	'与': '與', '级': '級', '风': '風', '险': '險', '报': '報', '导': '導', '获': '獲',
	'转': '轉', '统': '統', '资': '資', '档': '檔', '项': '項', '规': '規', '则': '則',
	'条': '條', '变': '變',
}
