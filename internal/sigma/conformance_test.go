package sigma

import (
	"encoding/base64"
	"testing"
	"unicode/utf16"
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func utf16le(s string) string {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

type matchCase struct {
	name string
	det  string // detection section, four-space indented
	ev   *testEvent
	want bool
}

// sel builds a detection with one search "sel" holding body (indented
// by eight spaces) and the condition "sel".
func sel(body string) string {
	return "    sel:\n" + body + "    condition: sel\n"
}

func audit(kv map[string]any) *testEvent { return ev(kindAudit, kv) }

var matchCases = []matchCase{
	// Plain values, lists and maps.
	{"equal ignores case", sel("        Target: 'Foo'\n"), audit(map[string]any{"Target": "fOO"}), true},
	{"equal differs", sel("        Target: 'Foo'\n"), audit(map[string]any{"Target": "Food"}), false},
	{"absent field", sel("        Target: 'Foo'\n"), audit(map[string]any{"Host": "Foo"}), false},
	{"value list is OR", sel("        Target: [a, b]\n"), audit(map[string]any{"Target": "B"}), true},
	{"value list misses", sel("        Target: [a, b]\n"), audit(map[string]any{"Target": "c"}), false},
	{"map is AND", sel("        Target: a\n        Host: h\n"), audit(map[string]any{"Target": "a", "Host": "x"}), false},
	{"map is AND, both", sel("        Target: a\n        Host: h\n"), audit(map[string]any{"Target": "a", "Host": "H"}), true},
	{"list of maps is OR", sel("        - Target: a\n        - Host: h\n"), audit(map[string]any{"Host": "h"}), true},
	{"list of maps misses", sel("        - Target: a\n        - Host: h\n"), audit(map[string]any{"Host": "x", "Target": "b"}), false},
	{"multi-valued field", sel("        Tags: b\n"), audit(map[string]any{"Tags": []string{"a", "b"}}), true},
	{"field names resolve case-insensitively", sel("        operationname: x\n        PROPERTIES.MESSAGE: x\n        activity: x\n"), audit(map[string]any{"activityDisplayName": "X"}), true},
	{"fold: en dash and trailing space", sel("        activity: 'Update application \u2013 Certificates and secrets management '\n"), audit(map[string]any{"activity": "Update application - Certificates and secrets management"}), true},
	{"fold keeps wildcards", sel("        activity: 'Update application \u2013 *'\n"), audit(map[string]any{"activity": "Update application - Certificates"}), true},
	{"fold keeps space before wildcard", sel("        activity: 'Update *'\n"), audit(map[string]any{"activity": "Updatex"}), false},
	{"other kind", sel("        Target: a\n"), ev(kindSignin, map[string]any{"Target": "a"}), false},

	// Special values.
	{"null matches absent", sel("        Target: null\n"), audit(map[string]any{"Host": "h"}), true},
	{"null rejects present", sel("        Target: null\n"), audit(map[string]any{"Target": "x"}), false},
	{"null in list", sel("        Target: [null, x]\n"), audit(map[string]any{"Target": "x"}), true},
	{"empty string matches empty", sel("        Empty: ''\n"), audit(map[string]any{"Empty": ""}), true},
	{"empty string needs the field", sel("        Empty: ''\n"), audit(map[string]any{"Host": ""}), false},
	{"empty string rejects text", sel("        Empty: ''\n"), audit(map[string]any{"Empty": "x"}), false},
	{"integer", sel("        ResultType: 50126\n"), audit(map[string]any{"ResultType": "50126"}), true},
	{"hex integer is decimal", sel("        ResultType: 0x10\n"), audit(map[string]any{"ResultType": "16"}), true},
	{"float", sel("        ResultType: 1.5\n"), audit(map[string]any{"ResultType": "1.5"}), true},
	{"boolean", sel("        Target: true\n"), audit(map[string]any{"Target": "True"}), true},
	{"boolean differs", sel("        Target: false\n"), audit(map[string]any{"Target": "true"}), false},

	// Wildcards and escapes.
	{"star", sel("        Target: 'ab*cd'\n"), audit(map[string]any{"Target": "abXYcd"}), true},
	{"star misses", sel("        Target: 'ab*cd'\n"), audit(map[string]any{"Target": "abXYc"}), false},
	{"lone star needs a value", sel("        Target: '*'\n"), audit(map[string]any{"Host": "x"}), false},
	{"lone star matches empty", sel("        Target: '*'\n"), audit(map[string]any{"Target": ""}), true},
	{"question mark", sel("        Target: 'a?c'\n"), audit(map[string]any{"Target": "abc"}), true},
	{"question mark is one rune", sel("        Target: 'a?c'\n"), audit(map[string]any{"Target": "a\u00e9c"}), true},
	{"question mark needs one", sel("        Target: 'a?c'\n"), audit(map[string]any{"Target": "ac"}), false},
	{"glob with several stars", sel("        Target: '*a*b?c*'\n"), audit(map[string]any{"Target": "xxaxxbxbycz"}), true},
	{"glob backtracks", sel("        Target: 'a*ab'\n"), audit(map[string]any{"Target": "aaab"}), true},
	{"glob anchored end", sel("        Target: 'a*b'\n"), audit(map[string]any{"Target": "abbc"}), false},
	{"escaped star", sel("        Target: 'a\\*c'\n"), audit(map[string]any{"Target": "a*c"}), true},
	{"escaped star is plain", sel("        Target: 'a\\*c'\n"), audit(map[string]any{"Target": "abc"}), false},
	{"escaped question mark", sel("        Target: 'a\\?'\n"), audit(map[string]any{"Target": "ab"}), false},
	{"single backslash kept", sel("        Target: 'C:\\Windows\\x'\n"), audit(map[string]any{"Target": "c:\\windows\\X"}), true},
	{"double backslash is one", sel("        Target: 'a\\\\b'\n"), audit(map[string]any{"Target": "a\\b"}), true},
	{"backslash then wildcard", sel("        Target: 'a\\\\*'\n"), audit(map[string]any{"Target": "a\\zz"}), true},
	{"three backslashes and star", sel("        Target: 'a\\\\\\*'\n"), audit(map[string]any{"Target": "a\\*"}), true},
	{"three backslashes and star is plain", sel("        Target: 'a\\\\\\*'\n"), audit(map[string]any{"Target": "a\\zz"}), false},

	// Position modifiers.
	{"contains", sel("        CommandLine|contains: 'EvIl'\n"), audit(map[string]any{"CommandLine": "run evil now"}), true},
	{"contains misses", sel("        CommandLine|contains: 'evil'\n"), audit(map[string]any{"CommandLine": "run good"}), false},
	{"contains keeps inner wildcard", sel("        CommandLine|contains: 'a*b'\n"), audit(map[string]any{"CommandLine": "xxaYYbzz"}), true},
	{"startswith", sel("        CommandLine|startswith: 'run'\n"), audit(map[string]any{"CommandLine": "RUN x"}), true},
	{"startswith misses", sel("        CommandLine|startswith: 'run'\n"), audit(map[string]any{"CommandLine": "x run"}), false},
	{"endswith", sel("        CommandLine|endswith: '.exe'\n"), audit(map[string]any{"CommandLine": "a.EXE"}), true},
	{"endswith misses", sel("        CommandLine|endswith: '.exe'\n"), audit(map[string]any{"CommandLine": "a.exe x"}), false},
	{"all", sel("        CommandLine|contains|all: [foo, bar]\n"), audit(map[string]any{"CommandLine": "bar foo"}), true},
	{"all misses", sel("        CommandLine|contains|all: [foo, bar]\n"), audit(map[string]any{"CommandLine": "foo"}), false},
	{"all across values", sel("        Tags|all: [a, b]\n"), audit(map[string]any{"Tags": []string{"b", "a"}}), true},
	{"cased", sel("        Target|cased: Foo\n"), audit(map[string]any{"Target": "Foo"}), true},
	{"cased misses", sel("        Target|cased: Foo\n"), audit(map[string]any{"Target": "foo"}), false},
	{"contains cased", sel("        CommandLine|contains|cased: Foo\n"), audit(map[string]any{"CommandLine": "a foo b"}), false},

	// Regular expressions.
	{"re", sel("        Target|re: '^ab+c$'\n"), audit(map[string]any{"Target": "abbc"}), true},
	{"re is cased", sel("        Target|re: '^ab+c$'\n"), audit(map[string]any{"Target": "ABBC"}), false},
	{"re searches", sel("        Target|re: 'b+'\n"), audit(map[string]any{"Target": "abbc"}), true},
	{"re i", sel("        Target|re|i: '^ab+c$'\n"), audit(map[string]any{"Target": "ABBC"}), true},
	{"re m", sel("        Target|re|m: '^b$'\n"), audit(map[string]any{"Target": "a\nb"}), true},
	{"re without m", sel("        Target|re: '^b$'\n"), audit(map[string]any{"Target": "a\nb"}), false},
	{"re s", sel("        Target|re|s: 'a.b'\n"), audit(map[string]any{"Target": "a\nb"}), true},
	{"re without s", sel("        Target|re: 'a.b'\n"), audit(map[string]any{"Target": "a\nb"}), false},
	{"re all", sel("        Target|re|all: ['a', 'b']\n"), audit(map[string]any{"Target": "ba"}), true},

	// Networks and numbers.
	{"cidr v4", sel("        IpAddress|cidr: 10.0.0.0/8\n"), audit(map[string]any{"IpAddress": "10.1.2.3"}), true},
	{"cidr v4 misses", sel("        IpAddress|cidr: 10.0.0.0/8\n"), audit(map[string]any{"IpAddress": "11.0.0.1"}), false},
	{"cidr v4-mapped", sel("        IpAddress|cidr: 10.0.0.0/8\n"), audit(map[string]any{"IpAddress": "::ffff:10.0.0.1"}), true},
	{"cidr v6", sel("        IpAddress|cidr: '2001:db8::/32'\n"), audit(map[string]any{"IpAddress": "2001:DB8::1"}), true},
	{"cidr v6 misses", sel("        IpAddress|cidr: '2001:db8::/32'\n"), audit(map[string]any{"IpAddress": "2001:db9::1"}), false},
	{"cidr list", sel("        IpAddress|cidr: ['192.168.0.0/16', 10.0.0.0/8]\n"), audit(map[string]any{"IpAddress": "10.9.9.9"}), true},
	{"cidr not an address", sel("        IpAddress|cidr: 10.0.0.0/8\n"), audit(map[string]any{"IpAddress": "ten"}), false},
	{"cidr host bits", sel("        IpAddress|cidr: 10.1.2.3/8\n"), audit(map[string]any{"IpAddress": "10.200.0.1"}), true},
	{"gt", sel("        Count|gt: 4\n"), audit(map[string]any{"Count": "5"}), true},
	{"gt equal", sel("        Count|gt: 5\n"), audit(map[string]any{"Count": "5"}), false},
	{"gte", sel("        Count|gte: 5\n"), audit(map[string]any{"Count": "5"}), true},
	{"lt", sel("        Count|lt: 6\n"), audit(map[string]any{"Count": "5"}), true},
	{"lte misses", sel("        Count|lte: 4\n"), audit(map[string]any{"Count": "5"}), false},
	{"gt float", sel("        Count|gt: 5\n"), audit(map[string]any{"Count": "5.5"}), true},
	{"gt negative", sel("        Count|lt: 0\n"), audit(map[string]any{"Count": "-1e3"}), true},
	{"gt not a number", sel("        Count|gt: 4\n"), audit(map[string]any{"Count": "five"}), false},
	{"gt quoted number", sel("        Count|gt: '4'\n"), audit(map[string]any{"Count": "5"}), true},

	// Existence.
	{"exists true", sel("        Target|exists: true\n"), audit(map[string]any{"Target": ""}), true},
	{"exists true misses", sel("        Target|exists: true\n"), audit(map[string]any{"Host": "x"}), false},
	{"exists false", sel("        Target|exists: false\n"), audit(map[string]any{"Host": "x"}), true},
	{"exists false misses", sel("        Target|exists: false\n"), audit(map[string]any{"Target": "x"}), false},

	{"exists true on a present null", sel("        Target|exists: true\n"), audit(map[string]any{"Target": nil}), true},
	{"exists false on a present null", sel("        Target|exists: false\n"), audit(map[string]any{"Target": nil}), false},
	{"empty string matches a present null", sel("        Empty: ''\n"), audit(map[string]any{"Empty": nil}), true},
	{"null matches a present null", sel("        Empty: null\n"), audit(map[string]any{"Empty": nil}), true},
	{"lone star matches a present null", sel("        Empty: '*'\n"), audit(map[string]any{"Empty": nil}), true},
	{"text misses a present null", sel("        Empty: 'x*'\n"), audit(map[string]any{"Empty": nil}), false},
	{"re on a present null", sel("        Empty|re: '^$'\n"), audit(map[string]any{"Empty": nil}), true},

	// Not equal.
	{"neq", sel("        Target|neq: a\n"), audit(map[string]any{"Target": "b"}), true},
	{"neq equal", sel("        Target|neq: a\n"), audit(map[string]any{"Target": "A"}), false},
	{"neq absent", sel("        Target|neq: a\n"), audit(map[string]any{"Host": "b"}), false},
	{"neq list is none of", sel("        Target|neq: [a, b]\n"), audit(map[string]any{"Target": "c"}), true},
	{"neq list misses", sel("        Target|neq: [a, b]\n"), audit(map[string]any{"Target": "b"}), false},
	{"neq multi-valued field", sel("        Tags|neq: a\n"), audit(map[string]any{"Tags": []string{"b", "a"}}), false},
	{"neq contains", sel("        CommandLine|neq|contains: evil\n"), audit(map[string]any{"CommandLine": "good"}), true},
	{"neq cased", sel("        Target|neq|cased: a\n"), audit(map[string]any{"Target": "A"}), true},
	{"neq wildcard", sel("        Target|neq: 'a*'\n"), audit(map[string]any{"Target": "abc"}), false},
	{"neq number", sel("        ResultType|neq: 0\n"), audit(map[string]any{"ResultType": "50126"}), true},
	{"neq fieldref", sel("        Target|fieldref|neq: Initiator\n"), audit(map[string]any{"Target": "bob", "Initiator": "alice"}), true},
	{"neq fieldref same", sel("        Target|fieldref|neq: Initiator\n"), audit(map[string]any{"Target": "bob", "Initiator": "Bob"}), false},

	// Time parts.
	{"hour", sel("        When|hour: 3\n"), audit(map[string]any{"When": "2025-03-04T03:15:00Z"}), true},
	{"hour misses", sel("        When|hour: 3\n"), audit(map[string]any{"When": "2025-03-04T13:15:00Z"}), false},
	{"hour keeps the offset", sel("        When|hour: 3\n"), audit(map[string]any{"When": "2025-03-04T03:15:00.123+02:00"}), true},
	{"hour gte", sel("        When|hour|gte: 18\n"), audit(map[string]any{"When": "2025-03-04T19:00:00Z"}), true},
	{"hour lt", sel("        When|hour|lt: 8\n"), audit(map[string]any{"When": "2025-03-04T19:00:00Z"}), false},
	{"hour neq", sel("        When|hour|neq: [9, 10]\n"), audit(map[string]any{"When": "2025-03-04T19:00:00Z"}), true},
	{"minute", sel("        When|minute: 15\n"), audit(map[string]any{"When": "2025-03-04T03:15:00Z"}), true},
	{"day", sel("        When|day: 4\n"), audit(map[string]any{"When": "2025-03-04T03:15:00Z"}), true},
	{"week", sel("        When|week: 10\n"), audit(map[string]any{"When": "2025-03-04T03:15:00Z"}), true},
	{"month list", sel("        When|month: [1, 3]\n"), audit(map[string]any{"When": "2025-03-04T03:15:00Z"}), true},
	{"year", sel("        When|year|lt: 2020\n"), audit(map[string]any{"When": "2025-03-04T03:15:00Z"}), false},
	{"time part of text", sel("        When|hour: 3\n"), audit(map[string]any{"When": "at three"}), false},

	// The activity as logged, for re and cased.
	{"re sees the original activity", sel("        activity|re: '\u2013 C'\n"), audit(map[string]any{"activity": "Update application \u2013 Certificates"}), true},
	{"re does not see the folded activity", sel("        activity|re: '^update'\n"), audit(map[string]any{"activity": "Update application"}), false},
	{"cased sees the original activity", sel("        activity|cased: 'Update application \u2013 Certificates '\n"), audit(map[string]any{"activity": "Update application \u2013 Certificates "}), true},
	{"cased keeps the trailing space", sel("        activity|cased: 'Update application \u2013 Certificates'\n"), audit(map[string]any{"activity": "Update application \u2013 Certificates "}), false},
	{"plain equality still folds", sel("        activity: 'Update application - Certificates'\n"), audit(map[string]any{"activity": "Update application \u2013 Certificates "}), true},

	// Field references.
	{"fieldref", sel("        Target|fieldref: Initiator\n"), audit(map[string]any{"Target": "Bob", "Initiator": "bob"}), true},
	{"fieldref differs", sel("        Target|fieldref: Initiator\n"), audit(map[string]any{"Target": "bob", "Initiator": "alice"}), false},
	{"fieldref absent", sel("        Target|fieldref: Initiator\n"), audit(map[string]any{"Target": "bob"}), false},
	{"fieldref cased", sel("        Target|fieldref|cased: Initiator\n"), audit(map[string]any{"Target": "Bob", "Initiator": "bob"}), false},
	{"fieldref contains", sel("        Target|fieldref|contains: Initiator\n"), audit(map[string]any{"Target": "xbobx", "Initiator": "bob"}), true},
	{"fieldref startswith", sel("        Target|fieldref|startswith: Initiator\n"), audit(map[string]any{"Target": "xbob", "Initiator": "bob"}), false},

	// Placeholders.
	{"expand", sel("        Target|expand: '%admins%'\n"), audit(map[string]any{"Target": "Alice"}), true},
	{"expand wildcard value", sel("        Target|expand: '%admins%'\n"), audit(map[string]any{"Target": "bobby"}), true},
	{"expand misses", sel("        Target|expand: '%admins%'\n"), audit(map[string]any{"Target": "carol"}), false},
	{"expand inside text", sel("        Target|expand: 'user-%admins%@x'\n"), audit(map[string]any{"Target": "user-alice@x"}), true},
	{"expand escaped percent", sel("        Target|expand: '\\%admins%'\n"), audit(map[string]any{"Target": "%admins%"}), true},
	{"expand with contains", sel("        Target|expand|contains: '%admins%'\n"), audit(map[string]any{"Target": "hi alice!"}), true},
	{"expand empty list", sel("        Target|expand: '%nobody%'\n"), audit(map[string]any{"Target": "x"}), false},
	{"percent without expand", sel("        Target: '%admins%'\n"), audit(map[string]any{"Target": "%ADMINS%"}), true},

	// Encodings.
	{"base64", sel("        CommandLine|base64|contains: 'secret'\n"), audit(map[string]any{"CommandLine": "x " + b64("secret") + " y"}), true},
	{"base64 is cased", sel("        CommandLine|base64: 'secret'\n"), audit(map[string]any{"CommandLine": "C2VJCMV0"}), false},
	{"base64 exact", sel("        CommandLine|base64: 'secret'\n"), audit(map[string]any{"CommandLine": b64("secret")}), true},
	{"base64offset 0", sel("        CommandLine|base64offset|contains: 'http://'\n"), audit(map[string]any{"CommandLine": b64("http://evil")}), true},
	{"base64offset 1", sel("        CommandLine|base64offset|contains: 'http://'\n"), audit(map[string]any{"CommandLine": b64("ahttp://evil")}), true},
	{"base64offset 2", sel("        CommandLine|base64offset|contains: 'http://'\n"), audit(map[string]any{"CommandLine": b64("abhttp://evil")}), true},
	{"base64offset misses", sel("        CommandLine|base64offset|contains: 'http://'\n"), audit(map[string]any{"CommandLine": b64("https://evil")}), false},
	{"wide base64offset", sel("        CommandLine|wide|base64offset|contains: 'ping'\n"), audit(map[string]any{"CommandLine": b64(utf16le("x ping y"))}), true},
	{"utf16le base64", sel("        CommandLine|utf16le|base64: 'ab'\n"), audit(map[string]any{"CommandLine": b64("a\x00b\x00")}), true},
	{"utf16be base64", sel("        CommandLine|utf16be|base64: 'ab'\n"), audit(map[string]any{"CommandLine": b64("\x00a\x00b")}), true},
	{"utf16 base64", sel("        CommandLine|utf16|base64: 'ab'\n"), audit(map[string]any{"CommandLine": b64("\xff\xfea\x00b\x00")}), true},
	{"windash slash", sel("        CommandLine|windash|contains: ' -enc '\n"), audit(map[string]any{"CommandLine": "powershell /enc abc"}), true},
	{"windash en dash", sel("        CommandLine|windash|contains: ' -enc '\n"), audit(map[string]any{"CommandLine": "powershell \u2013enc abc"}), true},
	{"windash misses", sel("        CommandLine|windash|contains: ' -enc '\n"), audit(map[string]any{"CommandLine": "powershell +enc abc"}), false},

	// Keyword searches.
	{"keywords", "    kw:\n        - 'evil'\n        - 'bad*thing'\n    condition: kw\n", audit(map[string]any{"Host": "an EVIL host"}), true},
	{"keywords wildcard", "    kw:\n        - 'evil'\n        - 'bad*thing'\n    condition: kw\n", audit(map[string]any{"Target": "a bad old thing"}), true},
	{"keywords miss", "    kw:\n        - 'evil'\n    condition: kw\n", audit(map[string]any{"Target": "good"}), false},
	{"keyword scalar", "    kw: evil\n    condition: kw\n", audit(map[string]any{"Target": "evil"}), true},
	{"keywords all", "    kw:\n        '|all':\n            - 'one'\n            - 'two'\n    condition: kw\n", audit(map[string]any{"Target": "one", "Host": "two"}), true},
	{"keywords all misses", "    kw:\n        '|all':\n            - 'one'\n            - 'two'\n    condition: kw\n", audit(map[string]any{"Target": "one"}), false},
	{"keywords startswith", "    kw:\n        '|startswith': 'one'\n    condition: kw\n", audit(map[string]any{"Target": "xone"}), false},
	{"keywords mixed with maps", "    kw:\n        - evil\n        - Target: a\n    condition: kw\n", audit(map[string]any{"Target": "a"}), true},
}

func TestMatchConformance(t *testing.T) {
	ph := testPlaceholders{"admins": {"alice", "bob*"}, "nobody": {}}
	for _, tc := range matchCases {
		t.Run(tc.name, func(t *testing.T) {
			rs := mustLoad(t, "case.yml", auditRule(tc.det), ph)
			got := len(rs.Match(tc.ev, nil)) == 1
			if got != tc.want {
				t.Errorf("match = %v, want %v", got, tc.want)
			}
		})
	}
}
