package snapshot

import (
	"encoding/json"
	"testing"
	"time"
)

func TestTimeReads(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	for _, tc := range []struct {
		in   string
		want time.Time
		raw  string
	}{
		{`"2026-06-05T20:15:38.2619305Z"`, utc(2026, 6, 5, 20, 15, 38, 261930500), ""},
		{`"2028-06-05T00:00:00Z"`, utc(2028, 6, 5, 0, 0, 0, 0), ""},
		{`"2026-06-05T22:15:38+02:00"`, utc(2026, 6, 5, 20, 15, 38, 0), ""},
		{`"2025-01-01T00:00:00"`, utc(2025, 1, 1, 0, 0, 0, 0), ""},
		{`"2025-01-01 08:30:00"`, utc(2025, 1, 1, 8, 30, 0, 0), ""},
		{`"2025-01-01"`, utc(2025, 1, 1, 0, 0, 0, 0), ""},
		{`"\/Date(1924992000000)\/"`, utc(2031, 1, 1, 0, 0, 0, 0), ""},
		{`"/Date(1924992000000+0100)/"`, utc(2031, 1, 1, 0, 0, 0, 0), ""},
		{`{"value":"\/Date(1735732800000)\/","DisplayHint":2,"DateTime":"Wednesday, 1 January 2025 12:00:00"}`, utc(2025, 1, 1, 12, 0, 0, 0), ""},
		{`null`, time.Time{}, ""},
		{`""`, time.Time{}, ""},
		{`"next year"`, time.Time{}, "next year"},
		{`17`, time.Time{}, "17"},
		{`{"DateTime":"Monday"}`, time.Time{}, `{"DateTime":"Monday"}`},
	} {
		var got Time
		if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		raw, unreadable := got.Raw()
		if !got.Time.Equal(tc.want) || raw != tc.raw || unreadable != (tc.raw != "") {
			t.Errorf("%s → %v, raw %q; want %v, raw %q", tc.in, got.Time, raw, tc.want, tc.raw)
		}
		if got.IsZero() != (tc.want.IsZero() && tc.raw == "") {
			t.Errorf("%s: IsZero = %v", tc.in, got.IsZero())
		}
	}
}

func TestTimeWrites(t *testing.T) {
	c := Credential{KeyID: "k", EndDateTime: Time{Time: time.Date(2028, 6, 5, 0, 0, 0, 0, time.UTC)}, StartDateTime: Time{raw: "soon"}}
	out, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"keyId":"k","startDateTime":"soon","endDateTime":"2028-06-05T00:00:00Z"}`; string(out) != want {
		t.Errorf("Marshal = %s, want %s", out, want)
	}
	if out, _ := json.Marshal(Credential{KeyID: "k"}); string(out) != `{"keyId":"k"}` {
		t.Errorf("absent times are written: %s", out)
	}
}
