package policy

import (
	"testing"
	"time"
)

func mustParse(t *testing.T, doc string) *Policy {
	t.Helper()
	p, diags, err := Parse("p.yaml", []byte(doc))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for _, d := range diags {
		t.Logf("unexpected diagnostic: %v", d)
	}
	return p
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestOutsideBusinessHours(t *testing.T) {
	rome := mustParse(t, v1+`business_hours:
  timezone: Europe/Rome
  days: [mon, tue, wed, thu, fri]
  start: "08:00"
  end: "18:00"
`)
	newYork := mustParse(t, v1+`business_hours:
  timezone: America/New_York
  days: [mon, tue, wed, thu, fri]
  start: "08:00"
  end: "18:00"
`)
	split := mustParse(t, v1+`business_hours:
  timezone: Asia/Kolkata
  days: [mon, tue, wed, thu, fri]
  ranges:
    - {start: "08:00", end: "12:30"}
    - {start: "13:30", end: "17:00"}
  per_day:
    fri:
      - {start: "09:00", end: "13:00"}
    sat:
      - {start: "10:00", end: "24:00"}
`)
	tests := []struct {
		name    string
		p       *Policy
		at      string
		outside bool
	}{
		{"default: Monday 08:00 UTC", Default(), "2025-06-02T08:00:00Z", false},
		{"default: Monday 07:59:59 UTC", Default(), "2025-06-02T07:59:59Z", true},
		{"default: Friday 17:59:59 UTC", Default(), "2025-06-06T17:59:59Z", false},
		{"default: Friday 18:00 UTC", Default(), "2025-06-06T18:00:00Z", true},
		{"default: Saturday noon", Default(), "2025-06-07T12:00:00Z", true},
		{"default: other offset, same instant", Default(), "2025-06-02T10:30:00+02:00", false},

		{"Rome winter: 08:30 CET", rome, "2025-03-28T07:30:00Z", false},
		{"Rome winter: 07:30 CET", rome, "2025-03-28T06:30:00Z", true},
		{"Rome winter: 17:59 CET", rome, "2025-03-28T16:59:00Z", false},
		{"Rome winter: 18:00 CET", rome, "2025-03-28T17:00:00Z", true},
		{"Rome after spring forward: 08:30 CEST", rome, "2025-03-31T06:30:00Z", false},
		{"Rome after spring forward: 07:30 CEST", rome, "2025-03-31T05:30:00Z", true},
		{"Rome after spring forward: 18:30 CEST", rome, "2025-03-31T16:30:00Z", true},
		{"Rome after spring forward: 17:30 CEST", rome, "2025-03-31T15:30:00Z", false},
		{"Rome before fall back: 08:30 CEST", rome, "2025-10-24T06:30:00Z", false},
		{"Rome after fall back: 08:30 CET", rome, "2025-10-27T07:30:00Z", false},
		{"Rome after fall back: 07:30 CET", rome, "2025-10-27T06:30:00Z", true},
		{"Rome: Friday 23:30 UTC is Saturday", rome, "2025-06-06T23:30:00Z", true},
		{"Rome: Sunday 22:30 UTC is Monday 00:30", rome, "2025-06-08T22:30:00Z", true},

		{"New York: Friday 17:59 EDT", newYork, "2025-03-14T21:59:00Z", false},
		{"New York: Friday 18:30 EDT", newYork, "2025-03-14T22:30:00Z", true},
		{"New York: Monday 01:00 UTC is Sunday evening", newYork, "2025-03-17T01:00:00Z", true},
		{"New York: before DST, 07:30 EST", newYork, "2025-03-07T12:30:00Z", true},
		{"New York: after DST, 08:30 EDT", newYork, "2025-03-10T12:30:00Z", false},

		{"Kolkata: 08:30 IST", split, "2025-06-02T03:00:00Z", false},
		{"Kolkata: 07:59 IST", split, "2025-06-02T02:29:00Z", true},
		{"Kolkata: lunch, 13:00 IST", split, "2025-06-02T07:30:00Z", true},
		{"Kolkata: afternoon, 13:30 IST", split, "2025-06-02T08:00:00Z", false},
		{"Kolkata: Friday afternoon closed", split, "2025-06-06T08:00:00Z", true},
		{"Kolkata: Friday morning", split, "2025-06-06T04:00:00Z", false},
		{"Kolkata: Saturday late, up to 24:00", split, "2025-06-07T18:29:59Z", false},
		{"Kolkata: Sunday 00:00", split, "2025-06-07T18:30:00Z", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.OutsideBusinessHours(utc(tc.at)); got != tc.outside {
				t.Errorf("OutsideBusinessHours(%s) = %v, want %v", tc.at, got, tc.outside)
			}
		})
	}
}

func TestHolidays(t *testing.T) {
	allDay := mustParse(t, v1+`business_hours:
  timezone: Europe/Rome
  days: [mon, tue, wed, thu, fri, sat, sun]
  start: "00:00"
  end: "24:00"
holidays:
  - 2025-12-25
  - {date: 2026-01-06, name: Epiphany}
`)
	utcOnly := mustParse(t, v1+"holidays: [2025-12-25]\n")
	tests := []struct {
		name    string
		p       *Policy
		at      string
		outside bool
	}{
		{"Christmas morning", allDay, "2025-12-25T09:00:00Z", true},
		{"Christmas begins at local midnight", allDay, "2025-12-24T23:00:00Z", true},
		{"Christmas Eve, late UTC but still the 24th in Rome", allDay, "2025-12-24T22:59:59Z", false},
		{"Christmas ends at local midnight", allDay, "2025-12-25T23:00:00Z", false},
		{"holiday written as a mapping", allDay, "2026-01-06T12:00:00Z", true},
		{"an ordinary day", allDay, "2025-12-23T12:00:00Z", false},
		{"default hours: holiday on a Thursday", utcOnly, "2025-12-25T10:00:00Z", true},
		{"default hours: the day after", utcOnly, "2025-12-26T10:00:00Z", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.OutsideBusinessHours(utc(tc.at)); got != tc.outside {
				t.Errorf("OutsideBusinessHours(%s) = %v, want %v", tc.at, got, tc.outside)
			}
		})
	}
}

func TestInChangeWindow(t *testing.T) {
	p := mustParse(t, v1+`business_hours:
  timezone: Europe/Rome
  days: [mon, tue, wed, thu, fri]
  start: "08:00"
  end: "18:00"
change_windows:
  - name: migration
    start: 2025-11-15T20:00:00+01:00
    end: 2025-11-16T06:00:00+01:00
  - name: weekend
    days: [sat]
    start: "22:00"
    end: "04:00"
  - name: sunday night
    days: [sun]
    start: "23:00"
    end: "01:00"
  - name: monday evening
    days: [mon]
    start: "20:00"
    end: "24:00"
    timezone: America/New_York
  - name: overlapping
    days: [sat]
    start: "23:00"
    end: "23:30"
`)
	tests := []struct {
		name string
		at   string
		want string // "" when in no window
	}{
		{"one-off: start is inside", "2025-11-15T19:00:00Z", "migration"},
		{"one-off: before start", "2025-11-15T18:59:59Z", ""},
		{"one-off: just before end", "2025-11-16T04:59:59Z", "migration"},
		{"one-off: end is outside", "2025-11-16T05:00:00Z", ""},

		{"weekly: Saturday 22:00 CEST", "2025-06-07T20:00:00Z", "weekend"},
		{"weekly: Saturday 21:59 CEST", "2025-06-07T19:59:00Z", ""},
		{"weekly: past midnight, Sunday 03:59 CEST", "2025-06-08T01:59:00Z", "weekend"},
		{"weekly: Sunday 04:00 CEST", "2025-06-08T02:00:00Z", ""},
		{"weekly: Friday 22:30 is not listed", "2025-06-06T20:30:00Z", ""},
		{"weekly: Saturday 02:00 belongs to Friday night", "2025-06-07T00:00:00Z", ""},
		{"weekly: first window in file order wins", "2025-06-07T21:15:00Z", "weekend"},
		{"weekly: spring forward, Saturday 22:00 CET", "2025-03-29T21:00:00Z", "weekend"},
		{"weekly: spring forward, Sunday 03:30 CEST", "2025-03-30T01:30:00Z", "weekend"},
		{"weekly: spring forward, Sunday 04:00 CEST", "2025-03-30T02:00:00Z", ""},
		{"weekly: fall back, Sunday 02:30 the second time", "2025-10-26T01:30:00Z", "weekend"},
		{"weekly: fall back, Sunday 04:00 CET", "2025-10-26T03:00:00Z", ""},

		{"week wraps: Sunday 23:30 CEST", "2025-06-08T21:30:00Z", "sunday night"},
		{"week wraps: Monday 00:30 CEST", "2025-06-08T22:30:00Z", "sunday night"},
		{"week wraps: Monday 01:00 CEST", "2025-06-08T23:00:00Z", ""},

		{"own zone: Monday 23:59 EDT", "2025-06-10T03:59:00Z", "monday evening"},
		{"own zone: Tuesday 00:00 EDT", "2025-06-10T04:00:00Z", ""},
		{"own zone: Monday 20:00 EDT", "2025-06-10T00:00:00Z", "monday evening"},
		{"own zone: Monday 20:00 in Rome is not", "2025-06-09T18:00:00Z", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			name, ok := p.InChangeWindow(utc(tc.at))
			if name != tc.want || ok != (tc.want != "") {
				t.Errorf("InChangeWindow(%s) = %q, %v; want %q", tc.at, name, ok, tc.want)
			}
		})
	}
}

func TestWindowZoneDefaultsToBusinessHours(t *testing.T) {
	p := mustParse(t, v1+`business_hours:
  timezone: Asia/Tokyo
  days: [mon]
  start: "09:00"
  end: "17:00"
change_windows:
  - {name: night, days: [tue], start: "01:00", end: "02:00"}
`)
	if _, ok := p.InChangeWindow(utc("2025-06-09T16:30:00Z")); !ok {
		t.Error("Tuesday 01:30 in Tokyo is not in the window")
	}
	if _, ok := p.InChangeWindow(utc("2025-06-10T01:30:00Z")); ok {
		t.Error("Tuesday 01:30 UTC is in the window, but the window follows Tokyo time")
	}
}

func TestDefault(t *testing.T) {
	p := Default()
	if _, ok := p.InChangeWindow(utc("2025-06-07T22:00:00Z")); ok {
		t.Error("the default policy has a change window")
	}
	if p.ApprovedActor("admin@contoso.com") || p.ApprovedApp("app") {
		t.Error("the default policy approves someone")
	}
	if ok, configured := p.OwnsDomain("contoso.com"); ok || configured {
		t.Error("the default policy owns domains")
	}
	if p.SecretLifetime() != 180*24*time.Hour || p.CertificateLifetime() != 365*24*time.Hour {
		t.Errorf("lifetimes = %v, %v; want 180 and 365 days", p.SecretLifetime(), p.CertificateLifetime())
	}
	if _, ok := p.Suppression(AlertFacts{RuleID: "r"}, time.Now()); ok {
		t.Error("the default policy suppresses an alert")
	}
	if got := p.Level("r", "owner-added", "high"); got != "high" {
		t.Errorf("Level = %q, want the default", got)
	}
	if len(p.Warnings()) != 0 {
		t.Errorf("Warnings = %v", p.Warnings())
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		in   string
		want minute
		ok   bool
	}{
		{"00:00", 0, true},
		{"08:30", 510, true},
		{"23:59", 1439, true},
		{"24:00", 1440, true},
		{"24:01", 0, false},
		{"23:60", 0, false},
		{"8:30", 0, false},
		{"08:3", 0, false},
		{"0830", 0, false},
		{"08.30", 0, false},
		{"+8:30", 0, false},
		{"", 0, false},
	}
	for _, tc := range tests {
		got, err := parseClock(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseClock(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
