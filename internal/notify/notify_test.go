package notify

import (
	"net"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/alert"
)

func TestAccepts(t *testing.T) {
	s := mustSink(t, "file:"+t.TempDir()+"/a.jsonl#min-level=high&rows=credential-added,owner-added", Options{})
	for _, tt := range []struct {
		row, level string
		want       bool
	}{
		{"credential-added", alert.LevelHigh, true},
		{"owner-added", alert.LevelCritical, true},
		{"owner-added", alert.LevelMedium, false},
		{"user-consent", alert.LevelCritical, false},
	} {
		if got := s.Accepts(&alert.Alert{GuideRow: tt.row, Level: tt.level}); got != tt.want {
			t.Errorf("Accepts(%s, %s) = %v, want %v", tt.row, tt.level, got, tt.want)
		}
	}
}

// TestLocalize checks that a sink in another language takes the rule's
// texts in that language, falls back to the alert's own text where the
// rule has none, and leaves the caller's alerts alone.
func TestLocalize(t *testing.T) {
	rule := &alert.Rule{ID: "aw-credential-added", Texts: map[string]alert.Text{
		"en": {Title: "Credential added", Description: "d", Remediation: "Check it."},
		"it": {Title: "Credenziale aggiunta"},
	}}
	s := mustSink(t, "file:"+t.TempDir()+"/a.jsonl#lang=it", Options{Rules: []*alert.Rule{rule}})
	in := []alert.Alert{credentialAlert(), {RuleID: "unknown", Title: "as stored"}}
	out := s.localize(in)
	if out[0].Title != "Credenziale aggiunta" || out[0].Remediation != "Check it." || out[1].Title != "as stored" {
		t.Errorf("localized: %q / %q / %q", out[0].Title, out[0].Remediation, out[1].Title)
	}
	if in[0].Title != credentialAlert().Title {
		t.Error("localize changed the caller's alert")
	}
}

// TestNetworkErrorsHideTheURL sends to a closed port with a token in the
// URL: the error says what failed without the token.
func TestNetworkErrorsHideTheURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	for _, kind := range []string{"webhook", "teams", "slack"} {
		s := mustSink(t, kind+":http://"+addr+"/hook/s3cr3t?sig=s3cr3t", Options{})
		n, err := s.Send(t.Context(), []alert.Alert{credentialAlert()})
		if n != 0 || err == nil || IsPermanent(err) {
			t.Errorf("%s: Send = %d, %v; want an error to retry", kind, n, err)
			continue
		}
		if strings.Contains(err.Error(), "s3cr3t") || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("%s: error %q", kind, err)
		}
	}
}
