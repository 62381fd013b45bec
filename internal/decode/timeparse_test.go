package decode

import (
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 UTC, "" for no time
	}{
		{"2022-01-22T18:15:02.5168093Z", "2022-01-22T18:15:02.5168093Z"},
		{"2022-01-22T18:15:02.5168093+00:00", "2022-01-22T18:15:02.5168093Z"},
		{"2019-09-20T04:11:04.101788-05:00", "2019-09-20T09:11:04.101788Z"},
		{"2026-07-17T14:10:02Z", "2026-07-17T14:10:02Z"},
		{"2021-08-02T13:29:25.983Z", "2021-08-02T13:29:25.983Z"},
		{"4/28/2021, 2:08:45.221 PM", "2021-04-28T14:08:45.221Z"},
		{"4/28/2021, 12:08:45 AM", "2021-04-28T00:08:45Z"},
		{"3/24/2022 2:42:35 PM", "2022-03-24T14:42:35Z"},
		{"2023-05-10 12:34:56", "2023-05-10T12:34:56Z"},
		{"2023-05-10T12:34:56", "2023-05-10T12:34:56Z"},
		{" 2023-05-10T12:34:56Z ", "2023-05-10T12:34:56Z"},
		{"", ""},
		{"yesterday", ""},
		{"13/45/2021, 2:08:45 PM", ""},
	}
	for _, tt := range tests {
		got, ok := parseTime(tt.in)
		if tt.want == "" {
			if ok {
				t.Errorf("parseTime(%q) = %v, want no time", tt.in, got)
			}
			continue
		}
		want, _ := time.Parse(time.RFC3339Nano, tt.want)
		if !ok || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v; want %v", tt.in, got, ok, want)
		}
	}
}
