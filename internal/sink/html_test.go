package sink

import (
	"bytes"
	"strings"
	"testing"

	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/report"
)

// TestHTML checks that the html format is the report, titled and
// explained as the table is, in the chosen language, and that it shows
// the run when told about it.
func TestHTML(t *testing.T) {
	var buf bytes.Buffer
	w, err := New("html", &buf, Options{Lang: "ja", Rules: sampleRules(), ToolVersion: "1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range sampleAlerts() {
		if err := w.Write(a); err != nil {
			t.Fatal(err)
		}
	}
	DescribeRun(w, report.Run{Command: report.CommandPosture})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	p := i18n.NewPrinter("ja")
	for _, want := range []string{
		`<html lang="ja">`,
		"アプリケーションに資格情報が追加されました", // a rule's Japanese title
		p.Sprintf("why.cred-added", `Password &#34;ci, &#34;prod&#34;`),
		p.Sprintf("report.checks"),
		"appwatch 1.2.3",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	checkHTML(t, buf.Bytes())
}

// TestDescribeRunIgnored checks that formats that do not show the run
// take DescribeRun without effect.
func TestDescribeRunIgnored(t *testing.T) {
	var buf bytes.Buffer
	w, err := New("jsonl", &buf, Options{})
	if err != nil {
		t.Fatal(err)
	}
	DescribeRun(w, report.Run{Command: report.CommandScan})
	if err := w.Close(); err != nil || buf.Len() != 0 {
		t.Errorf("Close = %v, wrote %q", err, buf.String())
	}
}
