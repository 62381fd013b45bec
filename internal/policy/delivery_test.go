package policy

import (
	"strings"
	"testing"
	"time"
)

func TestDeliverySection(t *testing.T) {
	def := Default()
	if got := def.FirstSeen("keyvault-access"); got != DefaultFirstSeenWindow {
		t.Errorf("default first-seen on a medium-risk row = %s, want %s", got, DefaultFirstSeenWindow)
	}
	if got := def.FirstSeen("credential-added"); got != 0 {
		t.Errorf("default first-seen on a high-risk row = %s, want 0", got)
	}
	if def.Grouping() != nil {
		t.Errorf("default grouping = %+v, want none", def.Grouping())
	}
	p, _, err := Parse("p.yaml", []byte("version: 1\ndelivery:\n  grouping: {by: [rule, actor], wait: 10s, repeat: 1h}\n  first_seen: {window: 2h, guide_rows: [credential-added]}\n"+
		"  sinks:\n    - webhook:https://soc.example.com/hook\n    - teams:env:TEAMS_URL\n"))
	if err != nil {
		t.Fatal(err)
	}
	g := p.Grouping()
	if g == nil || strings.Join(g.By, ",") != "rule,actor" || g.Wait != 10*time.Second || g.Interval != 5*time.Minute || g.Repeat != time.Hour {
		t.Errorf("grouping = %+v", g)
	}
	if p.FirstSeen("credential-added") != 2*time.Hour || p.FirstSeen("keyvault-access") != 0 {
		t.Errorf("first-seen = %s on the listed row, %s on another", p.FirstSeen("credential-added"), p.FirstSeen("keyvault-access"))
	}
	if got := p.Sinks(); len(got) != 2 || got[0] != (Sink{Spec: "webhook:https://soc.example.com/hook", Line: 6}) || got[1].Line != 7 {
		t.Errorf("sinks = %+v", got)
	}
	if def.Sinks() != nil {
		t.Errorf("default sinks = %+v, want none", def.Sinks())
	}
	for _, tc := range []struct{ src, want string }{
		{"sinks: webhook:https://soc.example.com/hook", `delivery.sinks`},
		{"sinks: [{kind: webhook}]", `delivery.sinks[0]`},
		{"grouping: {by: [ap]}", `delivery.grouping.by[0]: unknown label "ap"`},
		{"grouping: {wait: 9d}", `delivery.grouping.wait: bad duration "9d"`},
		{"first_seen: {window: -1h}", `delivery.first_seen.window: bad duration "-1h"`},
		{"silences: []", `delivery`},
	} {
		_, _, err := Parse("p.yaml", []byte("version: 1\ndelivery:\n  "+tc.src+"\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to say %s", tc.src, err, tc.want)
		}
	}
}
