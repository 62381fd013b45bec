package enrich

import (
	"testing"

	"github.com/appwatch/appwatch/internal/event"
)

const tokyoPolicy = `version: 1
business_hours:
  timezone: Asia/Tokyo
  days: [mon, tue, wed, thu, fri]
  start: "09:00"
  end: "18:00"
holidays: [2025-07-21]
change_windows:
  - name: saturday release
    start: 2025-07-26T22:00:00+09:00
    end: 2025-07-27T02:00:00+09:00
approved:
  actors: [release-manager@contoso.com]
  apps: [Release Pipeline]
`

func TestContextFixtures(t *testing.T) {
	tokyo := fixture(t, "context.json", testPolicy(t, tokyoPolicy))
	utc := fixture(t, "context.json", nil)
	tests := []struct {
		id         string
		tokyo      event.ContextFacts
		utcOutside bool
	}{
		// Tuesday 09:30 in Tokyo is 00:30 UTC, before hours there.
		{"ctx-tokyo-morning", event.ContextFacts{Evaluated: true}, true},
		// Tuesday 08:30 in Tokyo.
		{"ctx-tokyo-early", event.ContextFacts{Evaluated: true, OutsideHours: true}, true},
		// Tuesday 18:30 in Tokyo is 09:30 UTC.
		{"ctx-tokyo-evening", event.ContextFacts{Evaluated: true, OutsideHours: true}, false},
		// Monday 17:30 in Tokyo (08:30 UTC), a holiday in Tokyo only.
		{"ctx-holiday", event.ContextFacts{Evaluated: true, OutsideHours: true}, false},
		// Saturday 23:00 in Tokyo, by the approved release pipeline.
		{"ctx-window", event.ContextFacts{Evaluated: true, OutsideHours: true, ChangeWindow: "saturday release", ApprovedActor: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			if got := get(t, tokyo, tt.id).Derived.Context; got != tt.tokyo {
				t.Errorf("Tokyo policy: got %+v, want %+v", got, tt.tokyo)
			}
			want := event.ContextFacts{Evaluated: true, OutsideHours: tt.utcOutside}
			if got := get(t, utc, tt.id).Derived.Context; got != want {
				t.Errorf("default policy: got %+v, want %+v", got, want)
			}
		})
	}
}

func TestContextApprovedActor(t *testing.T) {
	c := newContextEnricher(testPolicy(t, tokyoPolicy))
	tests := []struct {
		name  string
		actor event.Actor
		want  bool
	}{
		{"approved UPN, other case", event.Actor{Type: event.ActorUser, ID: "u1", UPN: "Release-Manager@contoso.com"}, true},
		{"other user", event.Actor{Type: event.ActorUser, ID: "u2", UPN: "someone@contoso.com"}, false},
		{"approved app by name", event.Actor{Type: event.ActorApp, ID: "sp1", ServicePrincipalID: "sp1", Name: "Release Pipeline"}, true},
		{"user named like the app", event.Actor{Type: event.ActorUser, ID: "u3", Name: "Release Pipeline"}, false},
		{"other app", event.Actor{Type: event.ActorApp, ID: "sp2", Name: "Other"}, false},
	}
	for _, tt := range tests {
		e := &event.Event{Kind: event.KindAudit, Time: mustTime(t, "2025-07-22T01:00:00Z"), Actor: tt.actor}
		c.Enrich(e)
		if got := e.Derived.Context.ApprovedActor; got != tt.want {
			t.Errorf("%s: approved = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestContextSkips(t *testing.T) {
	c := newContextEnricher(testPolicy(t, tokyoPolicy))
	tests := []struct {
		name string
		e    event.Event
	}{
		{"no time", event.Event{Kind: event.KindAudit}},
		{"sign-in without a time", event.Event{Kind: event.KindSignIn}},
	}
	for _, tt := range tests {
		c.Enrich(&tt.e)
		if tt.e.Derived.Context != (event.ContextFacts{}) {
			t.Errorf("%s: context %+v, want none", tt.name, tt.e.Derived.Context)
		}
	}
	for _, kind := range []event.Kind{event.KindKeyVault, event.KindSignIn} {
		e := &event.Event{Kind: kind, Time: mustTime(t, "2025-07-26T14:00:00Z")}
		c.Enrich(e)
		if !e.Derived.Context.Evaluated || e.Derived.Context.ChangeWindow != "saturday release" {
			t.Errorf("%s event: context %+v, want evaluated in the window", kind, e.Derived.Context)
		}
	}
}
