package notify

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/policy"
)

func TestParse(t *testing.T) {
	tests := []struct {
		spec string
		want Config
	}{
		{"webhook:https://soc.example.com/hooks/appwatch", Config{Kind: KindWebhook, Target: "https://soc.example.com/hooks/appwatch",
			Name: "webhook:https://soc.example.com/…/" + digest("https://soc.example.com/hooks/appwatch")}},
		{"webhook:https://soc.example.com#secret-env=HOOK&name=soc", Config{Kind: KindWebhook, Target: "https://soc.example.com",
			Name: "soc", Options: map[string]string{"secret-env": "HOOK"}}},
		{"teams:env:TEAMS_URL#min-level=high&lang=ja-JP", Config{Kind: KindTeams, Target: "env:TEAMS_URL", Name: "teams:env:TEAMS_URL",
			Filter: Filter{MinLevel: "high"}, Lang: "ja"}},
		{"slack:env:SLACK#rows=credential-added,%20owner-added&timeout=3s", Config{Kind: KindSlack, Target: "env:SLACK", Name: "slack:env:SLACK",
			Filter: Filter{Rows: []string{"credential-added", "owner-added"}}, Timeout: 3 * time.Second}},
		{"syslog:tcp://siem.example.com:514#cef", Config{Kind: KindSyslog, Target: "tcp://siem.example.com:514", Name: "syslog:tcp://siem.example.com:514",
			Options: map[string]string{"cef": "true"}}},
		{"syslog+tls://siem.example.com#facility=auth", Config{Kind: KindSyslog, Target: "tls://siem.example.com", Name: "syslog:tls://siem.example.com",
			Options: map[string]string{"facility": "auth"}}},
		{"syslog:udp://[::1]:5514", Config{Kind: KindSyslog, Target: "udp://[::1]:5514", Name: "syslog:udp://[::1]:5514"}},
		{"splunk:https://user:pw@splunk.example.com:8088/services/collector?x=1#index=sec", Config{Kind: KindSplunk,
			Target: "https://user:pw@splunk.example.com:8088/services/collector?x=1", Name: "splunk:https://splunk.example.com:8088/services/collector",
			Options: map[string]string{"index": "sec"}}},
		{"sentinel:https://dce-1.westeurope-1.ingest.monitor.azure.com/dataCollectionRules/dcr-0123456789abcdef0123456789abcdef/streams/Custom-Appwatch_CL",
			Config{Kind: KindSentinel, Target: "https://dce-1.westeurope-1.ingest.monitor.azure.com/dataCollectionRules/dcr-0123456789abcdef0123456789abcdef/streams/Custom-Appwatch_CL",
				Name: "sentinel:https://dce-1.westeurope-1.ingest.monitor.azure.com/dataCollectionRules/dcr-0123456789abcdef0123456789abcdef/streams/Custom-Appwatch_CL"}},
		{"file:/var/log/appwatch/alerts.jsonl", Config{Kind: KindFile, Target: "/var/log/appwatch/alerts.jsonl", Name: "file:/var/log/appwatch/alerts.jsonl"}},
		{"file:alerts.jsonl#min-level=low", Config{Kind: KindFile, Target: "alerts.jsonl", Name: "file:alerts.jsonl", Filter: Filter{MinLevel: "low"}}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := Parse(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want.Options == nil {
				tt.want.Options = map[string]string{}
			}
			if got.Kind != tt.want.Kind || got.Target != tt.want.Target || got.Name != tt.want.Name || got.Lang != tt.want.Lang ||
				got.Timeout != tt.want.Timeout || got.Filter.MinLevel != tt.want.Filter.MinLevel || !slices.Equal(got.Filter.Rows, tt.want.Filter.Rows) ||
				len(got.Options) != len(tt.want.Options) {
				t.Fatalf("Parse =\n%+v\nwant\n%+v", got, tt.want)
			}
			for k, v := range tt.want.Options {
				if got.Options[k] != v {
					t.Errorf("option %s = %q, want %q", k, got.Options[k], v)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	const secretURL = "https://hooks.slack.com/services/T000/B000/s3cr3tT0k3n"
	tests := []struct {
		spec, want string
	}{
		{"", "write KIND:TARGET"},
		{"hooks.slack.com/services/T000/B000/s3cr3tT0k3n", "write KIND:TARGET"},
		{"pagerduty:https://x", `sink kind "pagerduty"`},
		{"webhook:", "no target"},
		{"webhook:#min-level=high", "no target"},
		{"webhook:ftp://example.com", "not an http:// or https:// URL"},
		{"webhook:https://", "no host"},
		{"slack:" + secretURL + "#min-level=severe", `"severe" is not one of`},
		{"slack:" + secretURL + "#lang=fr", "not one of en"},
		{"slack:" + secretURL + "#cef", `option "cef": a slack sink takes`},
		{"slack:" + secretURL + "#rows=a,,b", "an empty guide row"},
		{"slack:" + secretURL + "#timeout=1h", "not a duration"},
		{"slack:" + secretURL + "#name=two words", "printable ASCII"},
		{"slack:" + secretURL + "#lang=en&lang=ja", "given twice"},
		{"webhook:https://soc.example.com#secret=whsec_abc", "secrets are never written in a sink"},
		{"splunk:https://splunk.example.com#token=abc", "secrets are never written in a sink"},
		{"syslog:http://siem:514", "write syslog:tcp://"},
		{"syslog:tcp://siem:514/path", "not HOST:PORT"},
		{"sentinel:http://dce.example.com/dataCollectionRules/dcr-1/streams/Custom-A", "only reached over https"},
		{"sentinel:https://dce.example.com/streams/Custom-A", "is not /dataCollectionRules/"},
		{"sentinel:https://dce.example.com/dataCollectionRules/1234/streams/Custom-A", "starts with dcr-"},
		{"sentinel:https://dce.example.com/dataCollectionRules/dcr-1/streams/Microsoft-Syslog", "starts with Custom-"},
		{"file:/tmp/a#b.jsonl", `option "b.jsonl"`},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := Parse(tt.spec)
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want an error with %q", tt.spec, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") {
				t.Errorf("error %q shows the secret URL", err)
			}
		})
	}
}

// TestNamesHideSecrets checks that the name of a sink whose URL holds a
// token or a signature shows neither, and that two such sinks get two
// names.
func TestNamesHideSecrets(t *testing.T) {
	specs := []string{
		"slack:https://hooks.slack.com/services/T000/B000/s3cr3tA",
		"slack:https://hooks.slack.com/services/T000/B000/s3cr3tB",
		"teams:https://prod-12.westeurope.logic.azure.com:443/workflows/0a1b/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=s3cr3tC",
		"webhook:https://bob:s3cr3tD@soc.example.com/hook?token=s3cr3tE",
		"splunk:https://x:s3cr3tF@splunk.example.com:8088?token=s3cr3tG",
	}
	seen := map[string]bool{}
	for _, spec := range specs {
		c, err := Parse(spec)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(c.Name, "s3cr3t") {
			t.Errorf("%s: name %q shows a secret", spec, c.Name)
		}
		if seen[c.Name] {
			t.Errorf("two sinks named %q", c.Name)
		}
		seen[c.Name] = true
	}
}

func TestEnvTarget(t *testing.T) {
	cfg, err := Parse("slack:env:SLACK_URL")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "SLACK_URL, which should hold the target, is empty or not set"},
		{map[string]string{"SLACK_URL": "  "}, "is empty or not set"},
		{map[string]string{"SLACK_URL": "hooks.slack.com/services/s3cr3t"}, "SLACK_URL: the target is not an http"},
	} {
		_, err := New(cfg, Options{LookupEnv: env(tt.env)})
		if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "s3cr3t") {
			t.Errorf("env %v: error %v, want one saying %q without the value", tt.env, err, tt.want)
		}
	}
	s, err := New(cfg, Options{LookupEnv: env(map[string]string{"SLACK_URL": "https://hooks.slack.com/services/T/B/s3cr3t"})})
	if err != nil {
		t.Fatal(err)
	}
	if s.Name() != "slack:env:SLACK_URL" || !s.Groups() || s.Kind() != KindSlack {
		t.Errorf("sink %s (%s), groups %v", s.Name(), s.Kind(), s.Groups())
	}
}

func TestFilter(t *testing.T) {
	a := func(row, level string) *alert.Alert { return &alert.Alert{GuideRow: row, Level: level} }
	tests := []struct {
		f    Filter
		a    *alert.Alert
		want bool
	}{
		{Filter{}, a("owner-added", alert.LevelInformational), true},
		{Filter{MinLevel: alert.LevelHigh}, a("owner-added", alert.LevelHigh), true},
		{Filter{MinLevel: alert.LevelHigh}, a("owner-added", alert.LevelCritical), true},
		{Filter{MinLevel: alert.LevelHigh}, a("owner-added", alert.LevelMedium), false},
		{Filter{MinLevel: alert.LevelLow}, a("owner-added", "bogus"), false},
		{Filter{Rows: []string{"credential-added", "owner-added"}}, a("owner-added", alert.LevelLow), true},
		{Filter{Rows: []string{"credential-added"}}, a("owner-added", alert.LevelCritical), false},
		{Filter{MinLevel: alert.LevelMedium, Rows: []string{"owner-added"}}, a("owner-added", alert.LevelLow), false},
	}
	for _, tt := range tests {
		if got := tt.f.Match(tt.a); got != tt.want {
			t.Errorf("%+v.Match(%s %s) = %v, want %v", tt.f, tt.a.GuideRow, tt.a.Level, got, tt.want)
		}
	}
}

// FuzzParse checks that no sink, however written, makes Parse panic, and
// that what it accepts has a kind, a target and a name.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"webhook:https://soc.example.com/h#secret-env=X&min-level=high",
		"syslog+tls://[::1]#ca=%2Ftmp%2Fca.pem&cef",
		"slack:env:X#rows=a,b&lang=zh_TW.UTF-8",
		"sentinel:https://d.example.com/dataCollectionRules/dcr-1/streams/Custom-A_CL",
		"file:/tmp/a#b#c", "syslog:udp://h:99999", "teams:%zz#=&&", ":#",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		c, err := Parse(spec)
		if err != nil {
			return
		}
		if !slices.Contains(Kinds(), c.Kind) || c.Target == "" || c.Name == "" || c.Options == nil {
			t.Fatalf("Parse(%q) = %+v", spec, c)
		}
	})
}

func TestGroupByDefault(t *testing.T) {
	if !slices.Equal(GroupLabels(), policy.GroupLabels()) {
		t.Errorf("group labels %v, the policy's %v", GroupLabels(), policy.GroupLabels())
	}
	policyGrouping := Grouping{By: []string{"rule"}, Wait: time.Second}
	for _, tc := range []struct {
		spec string
		want []string // the grouping after GroupByDefault, nil for none
	}{
		{"teams:https://example.com/hook", []string{"rule"}},
		{"slack:https://example.com/hook#group-wait=5s", []string{"app", "row"}},
		{"slack:https://example.com/hook#group-by=none", nil},
		{"webhook:https://example.com/hook", nil},
	} {
		c, err := Parse(tc.spec)
		if err != nil {
			t.Fatal(err)
		}
		c.GroupByDefault(policyGrouping)
		var got []string
		if c.Delivery.Group != nil {
			got = c.Delivery.Group.By
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: grouped by %v, want %v", tc.spec, got, tc.want)
		}
	}
}
