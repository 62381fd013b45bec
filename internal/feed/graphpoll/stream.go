package graphpoll

import (
	"net/url"
	"strconv"
	"time"

	"github.com/appwatch/appwatch/internal/i18n"
)

// Stream is one log the source polls.
type Stream struct {
	// Name names the stream in positions and logs.
	Name string
	// Path is the collection to list, under the Graph version of Beta.
	Path string
	// TimeField is the property holding the activity time, which the
	// query filters on.
	TimeField string
	// Filter, when set, is added to the query's filter with "and".
	Filter string
	// Beta says the stream is read from Graph beta, not v1.0.
	Beta bool
}

// The sign-in event types Graph beta filters sign-ins on.
var signInEventTypes = []string{"interactiveUser", "nonInteractiveUser", "servicePrincipal", "managedIdentity"}

// Streams returns every stream the source can poll: directory audits,
// then the sign-ins of each event type.
func Streams() []Stream {
	out := []Stream{{Name: "directoryAudits", Path: "/auditLogs/directoryAudits", TimeField: "activityDateTime"}}
	for _, t := range signInEventTypes {
		out = append(out, Stream{
			Name: "signIns/" + t, Path: "/auditLogs/signIns", TimeField: "createdDateTime",
			Filter: "signInEventTypes/any(t: t eq '" + t + "')", Beta: true,
		})
	}
	return out
}

// StreamNames lists the names of Streams.
func StreamNames() []string {
	var out []string
	for _, s := range Streams() {
		out = append(out, s.Name)
	}
	return out
}

// pick returns the streams named, or all of them when names is empty.
func pick(names []string) ([]Stream, error) {
	all := Streams()
	if len(names) == 0 {
		return all, nil
	}
	var out []Stream
	for _, n := range names {
		found := false
		for _, s := range all {
			if s.Name == n {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			return nil, i18n.Errorf("graph stream %q: want one of %v", n, StreamNames())
		}
	}
	return out, nil
}

// query asks for the records of s at or after from, pageSize a page.
// Graph compares times to the second, and takes them unquoted.
func (s Stream) query(from time.Time, pageSize int) url.Values {
	filter := s.TimeField + " ge " + from.UTC().Truncate(time.Second).Format(time.RFC3339)
	if s.Filter != "" {
		filter += " and " + s.Filter
	}
	return url.Values{"$filter": {filter}, "$top": {strconv.Itoa(pageSize)}}
}
