package decode

import (
	"testing"

	"github.com/appwatch/appwatch/internal/lazyjson"
)

// TestPick checks that pick finds each member as get does: the exact name
// first, else the first spelling that differs only in case.
func TestPick(t *testing.T) {
	var p lazyjson.Parser
	v, err := p.Parse(`{"ErrorCode":1,"errorCode":2,"FAILUREREASON":"x","failurereason":"y","other":3}`)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"errorCode", "failureReason", "additionalDetails"}
	got := make([]*lazyjson.Value, len(names))
	pick(v, names, got)
	for i, name := range names {
		if want := get(v, name); got[i] != want {
			t.Errorf("%s: pick found %v, get %v", name, got[i], want)
		}
	}
	if text(got[0]) != "2" || text(got[1]) != "x" || got[2] != nil {
		t.Errorf("picked %q %q %v; want 2, x and nothing", text(got[0]), text(got[1]), got[2])
	}
}
