package policy

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

const v1 = "version: 1\n"

// errorCases lists documents with exactly one error each (warnings aside):
// the position of the node it is reported at and a part of its message.
var errorCases = []struct {
	name string
	doc  string
	pos  string // line:col
	msg  string
}{
	// The document as a whole.
	{"empty file", "", "1:1", "the file is empty"},
	{"only comments", "# nothing here\n", "1:1", "the file is empty"},
	{"syntax", v1 + "  bad: indent\n", "2:1", "YAML syntax: mapping values are not allowed"},
	{"unknown anchor", v1 + "tenant: *nope\n", "1:1", "YAML syntax: unknown anchor"},
	{"two documents", v1 + "---\nversion: 1\n", "2:1", "single YAML document"},
	{"root is a list", "- version: 1\n", "1:1", "want a mapping of keys to values, got a list"},
	{"missing version", "tenant: {name: x}\n", "1:1", `missing "version: 1"`},
	{"version 2", "version: 2\n", "1:10", "version 2 is not supported"},
	{"version as string", "version: \"1\"\n", "1:10", "want the number 1, got a string"},
	{"version as float", "version: 1.0\n", "1:10", "want the number 1, got a number"},
	{"unknown key, near miss", v1 + "buisness_hours: {}\n", "2:1", `unknown key "buisness_hours" (did you mean "business_hours"?)`},
	{"unknown key, case", v1 + "Holidays: []\n", "2:1", `(did you mean "holidays"?)`},
	{"unknown key, far", v1 + "colour: red\n", "2:1", `unknown key "colour"`},
	{"duplicate key", v1 + "version: 1\n", "2:1", `key "version" given twice (first on line 1)`},
	{"merge key itself", v1 + "tenant:\n  <<: {name: x}\n", "3:3", "merge keys (<<) are not supported"},
	{"key not a word", v1 + "? [a]\n: b\n", "2:3", "want a word as key, got a list"},

	// tenant
	{"tenant id", v1 + "tenant:\n  id: contoso\n", "3:7", "tenant.id: want the tenant id, a GUID"},
	{"tenant name type", v1 + "tenant:\n  name: 42\n", "3:9", "tenant.name: want a string, got an integer"},
	{"tenant name empty", v1 + "tenant:\n  name: \"  \"\n", "3:9", "tenant.name: must not be empty"},
	{"tenant not mapping", v1 + "tenant: [a]\n", "2:9", "tenant: want a mapping of keys to values, got a list"},
	{"tenant key typo", v1 + "tenant:\n  nmae: x\n", "3:3", `(did you mean "name"?)`},
	{"tenant null", v1 + "tenant:\n", "2:8", "tenant: want a mapping of keys to values, got nothing (null)"},

	// business_hours
	{"no timezone", v1 + "business_hours:\n  days: [mon]\n  start: \"08:00\"\n  end: \"17:00\"\n", "3:3", `business_hours: missing "timezone"`},
	{"unknown zone", v1 + "business_hours:\n  timezone: Europe/Rom\n  days: [mon]\n  start: \"08:00\"\n  end: \"17:00\"\n", "3:13", `unknown time zone "Europe/Rom"`},
	{"local zone", v1 + "business_hours:\n  timezone: Local\n  days: [mon]\n  start: \"08:00\"\n  end: \"17:00\"\n", "3:13", `"Local" depends on the machine`},
	{"zone type", v1 + "business_hours:\n  timezone: 1\n  days: [mon]\n  start: \"08:00\"\n  end: \"17:00\"\n", "3:13", "business_hours.timezone: want a string, got an integer"},
	{"days not list", v1 + "business_hours:\n  timezone: UTC\n  days: mon\n  start: \"08:00\"\n  end: \"17:00\"\n", "4:9", "business_hours.days: want a list, got a string"},
	{"bad day", v1 + "business_hours:\n  timezone: UTC\n  days: [Monday]\n  start: \"08:00\"\n  end: \"17:00\"\n", "4:10", `unknown day "Monday": use mon, tue, wed, thu, fri, sat or sun (did you mean "mon"?)`},
	{"start without end", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  start: \"08:00\"\n", "3:3", "business_hours: start needs an end"},
	{"end without start", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  end: \"08:00\"\n", "3:3", "business_hours: end needs a start"},
	{"start and ranges", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  start: \"08:00\"\n  end: \"17:00\"\n  ranges: []\n", "7:11", "give either start and end, or ranges, not both"},
	{"days without hours", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n", "4:9", "days need hours"},
	{"hours without days", v1 + "business_hours:\n  timezone: UTC\n  start: \"08:00\"\n  end: \"17:00\"\n", "3:3", "hours need days"},
	{"time without leading zero", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  start: \"8:00\"\n  end: \"17:00\"\n", "5:10", `bad time "8:00": want HH:MM`},
	{"hour 25", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  start: \"08:00\"\n  end: \"25:00\"\n", "6:8", "hours go from 00 to 23"},
	{"minute 60", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  start: \"08:60\"\n  end: \"17:00\"\n", "5:10", "minutes from 00 to 59"},
	{"time as number", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  start: 800\n  end: \"17:00\"\n", "5:10", "business_hours.start: want a string, got an integer"},
	{"start at 24:00", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  start: \"24:00\"\n  end: \"24:00\"\n", "5:10", "24:00 can only end a range"},
	{"end before start", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  start: \"18:00\"\n  end: \"08:00\"\n", "6:8", "end 08:00 is not after start 18:00"},
	{"end equals start", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  start: \"08:00\"\n  end: \"08:00\"\n", "6:8", "end 08:00 is not after start 08:00"},
	{"range without end", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  ranges:\n    - start: \"08:00\"\n", "6:7", `business_hours.ranges[0]: missing "end"`},
	{"range unknown key", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  ranges:\n    - {start: \"08:00\", end: \"12:00\", stop: \"12:30\"}\n", "6:38", `unknown key "stop"`},
	{"ranges not list", v1 + "business_hours:\n  timezone: UTC\n  days: [mon]\n  ranges: {start: \"08:00\", end: \"12:00\"}\n", "5:11", "business_hours.ranges: want a list, got a mapping"},
	{"per_day bad day", v1 + "business_hours:\n  timezone: UTC\n  per_day:\n    friday: []\n", "5:5", `unknown key "friday" (did you mean "fri"?)`},
	{"per_day end before start", v1 + "business_hours:\n  timezone: UTC\n  per_day:\n    fri:\n      - {start: \"14:00\", end: \"09:00\"}\n", "6:31", "business_hours.per_day.fri[0].end: end 09:00 is not after start 14:00"},

	// holidays
	{"holiday not a date", v1 + "holidays:\n  - 2025-02-30\n", "3:5", `holidays[0]: bad date "2025-02-30"`},
	{"holiday with time", v1 + "holidays:\n  - 2025-12-25T00:00:00Z\n", "3:5", "want YYYY-MM-DD"},
	{"holiday missing date", v1 + "holidays:\n  - name: Christmas\n", "3:5", `holidays[0]: missing "date"`},
	{"holiday name type", v1 + "holidays:\n  - {date: 2025-12-25, name: [x]}\n", "3:30", "holidays[0].name: want a string, got a list"},
	{"holiday bad date in mapping", v1 + "holidays:\n  - {date: 25/12/2025}\n", "3:12", `holidays[0].date: bad date "25/12/2025"`},
	{"holidays not list", v1 + "holidays: 2025-12-25\n", "2:11", "holidays: want a list, got a string"},

	// change_windows
	{"window without name", v1 + "change_windows:\n  - start: 2025-06-01T00:00:00Z\n    end: 2025-06-02T00:00:00Z\n", "3:5", `change_windows[0]: missing "name"`},
	{"window without end", v1 + "change_windows:\n  - name: w\n    start: 2025-06-01T00:00:00Z\n", "3:5", `change_windows[0]: missing "end"`},
	{"one-off end before start", v1 + "change_windows:\n  - name: w\n    start: 2025-06-02T00:00:00Z\n    end: 2025-06-01T00:00:00Z\n", "5:10", "change_windows[0].end: end 2025-06-01T00:00:00Z is not after start 2025-06-02T00:00:00Z"},
	{"one-off end before start across offsets", v1 + "change_windows:\n  - name: w\n    start: 2025-06-01T10:00:00Z\n    end: 2025-06-01T11:00:00+02:00\n", "5:10", "is not after start"},
	{"one-off without offset", v1 + "change_windows:\n  - name: w\n    start: 2025-06-01T10:00:00\n    end: 2025-06-01T11:00:00Z\n", "4:12", "a one-off window needs a full RFC 3339 time with offset"},
	{"one-off with clock times", v1 + "change_windows:\n  - name: w\n    start: 2025-06-01T11:00:00Z\n    end: \"22:00\"\n", "5:10", "add days"},
	{"one-off with timezone", v1 + "change_windows:\n  - name: w\n    start: 2025-06-01T10:00:00Z\n    end: 2025-06-01T11:00:00Z\n    timezone: UTC\n", "6:15", "only recurring windows (with days) take a time zone"},
	{"recurring with full times", v1 + "change_windows:\n  - name: w\n    days: [sat]\n    start: 2025-06-01T10:00:00Z\n    end: \"12:00\"\n", "5:12", "takes a time of day (HH:MM)"},
	{"recurring with empty days", v1 + "change_windows:\n  - name: w\n    days: []\n    start: \"22:00\"\n    end: \"02:00\"\n", "4:11", "a recurring window needs at least one day"},
	{"recurring start equals end", v1 + "change_windows:\n  - name: w\n    days: [sat]\n    start: \"22:00\"\n    end: \"22:00\"\n", "6:10", "start and end are both 22:00"},
	{"recurring bad zone", v1 + "change_windows:\n  - name: w\n    days: [sat]\n    start: \"22:00\"\n    end: \"02:00\"\n    timezone: Mars/Olympus\n", "7:15", `unknown time zone "Mars/Olympus"`},
	{"recurring bad day", v1 + "change_windows:\n  - name: w\n    days: [saturday]\n    start: \"22:00\"\n    end: \"02:00\"\n", "4:12", `(did you mean "sat"?)`},
	{"duplicate window name", v1 + "change_windows:\n  - {name: w, days: [sat], start: \"22:00\", end: \"23:00\"}\n  - {name: w, days: [sun], start: \"22:00\", end: \"23:00\"}\n", "4:12", `another window is already named "w" (line 3)`},
	{"window unknown key", v1 + "change_windows:\n  - {name: w, days: [sat], start: \"22:00\", end: \"23:00\", tz: UTC}\n", "3:58", `unknown key "tz"`},
	{"recurring without days", v1 + "change_windows:\n  - {name: w, start: \"22:00\", end: \"23:00\"}\n", "3:5", `change_windows[0]: missing "days"`},

	// approved
	{"approved typo", v1 + "approved:\n  actor: [a@contoso.com]\n", "3:3", `unknown key "actor" (did you mean "actors"?)`},
	{"approved actors not list", v1 + "approved:\n  actors: a@contoso.com\n", "3:11", "approved.actors: want a list, got a string"},
	{"approved app empty", v1 + "approved:\n  apps: [\"\"]\n", "3:10", "approved.apps[0]: must not be empty"},

	// owned_domains
	{"domain is URL", v1 + "owned_domains: [\"https://contoso.com\"]\n", "2:17", "not a URL"},
	{"domain wildcard", v1 + "owned_domains: [\"*.contoso.com\"]\n", "2:17", `leave out the "*."`},
	{"domain one label", v1 + "owned_domains: [contoso]\n", "2:17", "at least two labels"},
	{"domain unicode", v1 + "owned_domains: [\"cöntoso.com\"]\n", "2:17", "ASCII (xn--) form"},
	{"domain bad label", v1 + "owned_domains: [-contoso.com]\n", "2:17", "each label of a domain name"},
	{"domain empty label", v1 + "owned_domains: [contoso..com]\n", "2:17", "each label of a domain name"},
	{"domain too long", v1 + "owned_domains: [" + strings.Repeat("a.", 127) + "com]\n", "2:17", "at most 253 characters"},
	{"domains not list", v1 + "owned_domains: contoso.com\n", "2:16", "owned_domains: want a list, got a string"},

	// credentials
	{"lifetime as number", v1 + "credentials:\n  max_secret_lifetime: 180\n", "3:24", "want a duration with a unit, such as 180d, 26w or 4320h, got an integer"},
	{"lifetime unit", v1 + "credentials:\n  max_secret_lifetime: 1y\n", "3:24", "unknown unit 'y'"},
	{"lifetime no number", v1 + "credentials:\n  max_certificate_lifetime: d\n", "3:29", `bad duration "d"`},
	{"lifetime trailing number", v1 + "credentials:\n  max_certificate_lifetime: 12d5\n", "3:29", `bad duration "12d5"`},
	{"lifetime zero", v1 + "credentials:\n  max_secret_lifetime: 0d\n", "3:24", "must be longer than zero"},
	{"lifetime huge", v1 + "credentials:\n  max_secret_lifetime: 99999999999999999999w\n", "3:24", "longer than 100 years"},
	{"lifetime sum huge", v1 + "credentials:\n  max_secret_lifetime: 36000d36000d\n", "3:24", "longer than 100 years"},
	{"credentials typo", v1 + "credentials:\n  max_secret_lifetme: 90d\n", "3:3", `(did you mean "max_secret_lifetime"?)`},

	// suppressions
	{"suppression without reason", v1 + "suppressions:\n  - rule: r\n    expires: 2030-01-01\n", "3:5", `suppressions[0]: missing "reason"`},
	{"suppression without expiry", v1 + "suppressions:\n  - rule: r\n    reason: known\n", "3:5", `suppressions[0]: missing "expires"`},
	{"suppression without target rule", v1 + "suppressions:\n  - actor: a@contoso.com\n    reason: known\n    expires: 2030-01-01\n", "3:5", "give rule, guide_row or both"},
	{"suppression empty reason", v1 + "suppressions:\n  - rule: r\n    reason: \"\"\n    expires: 2030-01-01\n", "4:13", "suppressions[0].reason: must not be empty"},
	{"suppression bad expiry", v1 + "suppressions:\n  - rule: r\n    reason: known\n    expires: next year\n", "5:14", `bad expiry "next year"`},
	{"suppression expiry number", v1 + "suppressions:\n  - rule: r\n    reason: known\n    expires: 2030\n", "5:14", "want a string, got an integer"},
	{"suppression empty matcher list", v1 + "suppressions:\n  - rule: r\n    actor: []\n    reason: known\n    expires: 2030-01-01\n", "4:12", "the list is empty"},
	{"suppression matcher type", v1 + "suppressions:\n  - rule: r\n    target: [1]\n    reason: known\n    expires: 2030-01-01\n", "4:14", "suppressions[0].target[0]: want a string, got an integer"},
	{"suppression matcher mapping", v1 + "suppressions:\n  - rule: r\n    app_id: {id: x}\n    reason: known\n    expires: 2030-01-01\n", "4:13", "want a string, got a mapping"},
	{"suppression unknown key", v1 + "suppressions:\n  - rule: r\n    reasn: known\n    reason: known\n    expires: 2030-01-01\n", "4:5", `(did you mean "reason"?)`},
	{"suppressions not list", v1 + "suppressions: {rule: r}\n", "2:15", "suppressions: want a list, got a mapping"},

	// severity
	{"level unknown", v1 + "severity:\n  rules:\n    r: severe\n", "4:8", `severity.rules.r: unknown level "severe"`},
	{"level case", v1 + "severity:\n  guide_rows:\n    owner-added: High\n", "4:18", `(did you mean "high"?)`},
	{"level type", v1 + "severity:\n  rules:\n    r: 3\n", "4:8", "want a string, got an integer"},
	{"severity typo", v1 + "severity:\n  rule:\n    r: low\n", "3:3", `(did you mean "rules"?)`},
	{"severity rules list", v1 + "severity:\n  rules: [low]\n", "3:10", "severity.rules: want a mapping"},
	{"severity empty key", v1 + "severity:\n  rules:\n    \"\": low\n", "4:5", "severity.rules: empty key"},

	// placeholders
	{"placeholder with percent", v1 + "placeholders:\n  \"%admins%\": [a]\n", "3:3", `bad name "%admins%"`},
	{"placeholder values not list", v1 + "placeholders:\n  admins: a\n", "3:11", "placeholders.admins: want a list, got a string"},
	{"placeholders not mapping", v1 + "placeholders: [a]\n", "2:15", "placeholders: want a mapping"},

	// aliases
	{"alias reported where used", v1 + "placeholders:\n  admins: &a [a]\nseverity:\n  rules:\n    r: *a\n", "6:8", "severity.rules.r: want a string, got a list"},
}

func TestParseErrors(t *testing.T) {
	for _, tc := range errorCases {
		t.Run(tc.name, func(t *testing.T) {
			p, diags, err := Parse("p.yaml", []byte(tc.doc))
			if err == nil || p != nil {
				t.Fatalf("Parse = %v, %v; want an error", p, err)
			}
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error %T is not an Errors", err)
			}
			if len(errs) != 1 {
				t.Errorf("got %d errors, want 1:\n%v", len(errs), err)
			}
			want := fmt.Sprintf("p.yaml:%s: ", tc.pos)
			for _, d := range errs {
				if s := d.String(); strings.HasPrefix(s, want) && strings.Contains(s, tc.msg) {
					return
				}
			}
			t.Errorf("no error at %s containing %q; got:\n%v", tc.pos, tc.msg, err)
			for _, d := range diags {
				t.Log(d)
			}
		})
	}
}

// warningCases lists documents that load but deserve one warning.
var warningCases = []struct {
	name string
	doc  string
	pos  string
	msg  string
}{
	{"day twice", v1 + "business_hours:\n  timezone: UTC\n  days: [mon, mon]\n  start: \"08:00\"\n  end: \"17:00\"\n", "4:15", "business_hours.days[1]: mon is listed twice"},
	{"no days", v1 + "business_hours:\n  timezone: UTC\n  days: []\n  start: \"08:00\"\n  end: \"17:00\"\n", "3:3", "no day has business hours"},
	{"only closed days", v1 + "business_hours:\n  timezone: UTC\n  per_day:\n    mon: []\n", "3:3", "no day has business hours"},
	{"Etc zone", v1 + "business_hours:\n  timezone: Etc/GMT-3\n  days: [mon]\n  start: \"08:00\"\n  end: \"17:00\"\n", "3:13", "Etc/GMT-3 means UTC+03:00"},
	{"holiday twice", v1 + "holidays:\n  - 2025-12-25\n  - {date: 2025-12-25, name: again}\n", "4:12", "2025-12-25 is listed twice"},
	{"no owned domains", v1 + "owned_domains: []\n", "2:16", "counts as not configured"},
	{"misspelt row in suppression", v1 + "suppressions:\n  - guide_row: owner-aded\n    reason: known\n    expires: 2030-01-01\n", "3:16", `"owner-aded" is not a row of the guide (did you mean "owner-added"?)`},
	{"misspelt row in severity", v1 + "severity:\n  guide_rows:\n    ropc-sigin: low\n", "4:5", `(did you mean "ropc-signin"?)`},
	{"silences everything", v1 + "suppressions:\n  - rule: \"*\"\n    reason: noisy\n    expires: 2030-01-01\n", "3:5", "silences every alert"},
}

func TestParseWarnings(t *testing.T) {
	for _, tc := range warningCases {
		t.Run(tc.name, func(t *testing.T) {
			p, diags, err := Parse("p.yaml", []byte(tc.doc))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(diags) != 1 {
				t.Fatalf("got %d diagnostics, want 1: %v", len(diags), diags)
			}
			want := fmt.Sprintf("p.yaml:%s: warning: ", tc.pos)
			if s := diags[0].String(); !strings.HasPrefix(s, want) || !strings.Contains(s, tc.msg) {
				t.Errorf("got %q, want %q...%q", s, want, tc.msg)
			}
			if w := p.Warnings(); len(w) != 1 || w[0] != diags[0] {
				t.Errorf("Warnings() = %v, want the parse warning", w)
			}
		})
	}
}

func TestCustomRowsNeedNoWarning(t *testing.T) {
	doc := v1 + "severity:\n  guide_rows:\n    contoso-service-account-signin: low\n"
	if _, diags, err := Parse("p.yaml", []byte(doc)); err != nil || len(diags) != 0 {
		t.Errorf("Parse = %v, %v; want no diagnostics for a row key unlike any guide row", diags, err)
	}
}

func TestCheckExpiredSuppressions(t *testing.T) {
	doc := v1 + `business_hours:
  timezone: Europe/Rome
  days: [mon]
  start: "08:00"
  end: "17:00"
suppressions:
  - rule: a
    reason: known
    expires: 2025-03-01
  - rule: b
    reason: known
    expires: 2025-03-01T12:00:00Z
`
	tests := []struct {
		now  time.Time
		want []string
	}{
		{time.Date(2025, 2, 28, 22, 59, 59, 0, time.UTC), nil},
		{time.Date(2025, 2, 28, 23, 0, 0, 0, time.UTC), []string{"p.yaml:10:14: warning: suppressions: the suppression on line 8 expired at 2025-03-01T00:00:00+01:00"}},
		{time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC), []string{
			"p.yaml:10:14: warning: suppressions: the suppression on line 8",
			"p.yaml:13:14: warning: suppressions: the suppression on line 11 expired at 2025-03-01T12:00:00Z",
		}},
	}
	for _, tc := range tests {
		diags := CheckAt("p.yaml", []byte(doc), tc.now)
		if len(diags) != len(tc.want) {
			t.Errorf("at %v: got %v, want %d warnings", tc.now, diags, len(tc.want))
			continue
		}
		for i, d := range diags {
			if !strings.HasPrefix(d.String(), tc.want[i]) {
				t.Errorf("at %v: got %q, want %q...", tc.now, d, tc.want[i])
			}
		}
	}
}

func TestCheckKeepsGoingAfterErrors(t *testing.T) {
	doc := v1 + "tenant: {id: nope}\nsuppressions:\n  - {rule: a, reason: known, expires: 2020-01-01}\n"
	diags := CheckAt("p.yaml", []byte(doc), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	var got []string
	for _, d := range diags {
		got = append(got, d.Severity.String())
	}
	if strings.Join(got, ",") != "error,warning" {
		t.Errorf("got %v, want one error and the expiry warning", diags)
	}
}

func TestCheckBadExpiryIsNotExpired(t *testing.T) {
	doc := v1 + "suppressions:\n  - {rule: a, reason: known, expires: soon}\n"
	diags := CheckAt("p.yaml", []byte(doc), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	if len(diags) != 1 || diags[0].Severity != SeverityError {
		t.Errorf("got %v, want only the error about the expiry", diags)
	}
}

func TestErrorsListsEveryError(t *testing.T) {
	doc := "version: 3\ntenant: {id: nope}\n"
	_, _, err := Parse("p.yaml", []byte(doc))
	want := "p.yaml:1:10: version: version 3 is not supported; this appwatch reads version 1\n" +
		"p.yaml:2:14: tenant.id: want the tenant id, a GUID (8-4-4-4-12 hex digits), got \"nope\""
	if err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant %s", err, want)
	}
}
