package ruleset

import (
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/appwatch/appwatch/rules"
)

// FuzzReadRules feeds arbitrary rule files to the loader, as a user rule
// and as a built-in one, and compiles what loads: nothing may panic, and
// every rule that loads has an id, a guide row and a valid level.
func FuzzReadRules(f *testing.F) {
	names, err := fs.Glob(rules.FS(), "*.yml")
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names[:4] {
		src, err := fs.ReadFile(rules.FS(), n)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(userRule))
	f.Add([]byte(userRule + "translations:\n  it: {title: x}\n  fr: [1]\n"))
	f.Add([]byte("guide_row: 1\ntranslations: !!binary AAAA\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, builtin := range []bool{false, true} {
			fsys := fstest.MapFS{"f.yml": {Data: src}}
			rs, _ := readFile(source{fsys: fsys, path: "f.yml", name: "f.yml", builtin: builtin})
			for _, r := range rs {
				if r.Meta.ID == "" || r.Meta.GuideRow == "" || r.Meta.Texts["en"].Title == "" {
					t.Errorf("rule loaded without id, guide row or title: %+v", r.Meta)
				}
			}
			_, _ = compile(rs, nil, Options{})
			_, _ = compile(rs, nil, Options{Strict: true})
		}
	})
}
