package watch

import (
	"context"

	"github.com/appwatch/appwatch/internal/alert"
	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/silence"
	"github.com/appwatch/appwatch/internal/store"
)

// silenceSet returns the stored silences that apply now; when they
// cannot be read, those read last, and a warning.
func (s *service) silenceSet(ctx context.Context) silence.Set {
	set, err := s.silences.Set(ctx)
	if err != nil {
		s.log.Warn("silences not read; those read last apply", "error", err)
	}
	return set
}

// route decides how an alert about to be stored is delivered: one the
// policy suppressed says so; an open one a stored silence matches is
// stored suppressed by it; the others go to the sinks that take them,
// subject to the policy's first-seen suppression.
func (s *service) route(a *store.Alert, set silence.Set, pol *policy.Policy) {
	if a.Status == alert.StatusSuppressed {
		if a.SuppressedBy == "" {
			a.SuppressedBy = store.SuppressedByPolicy
		}
		return
	}
	if sl, ok := set.Match(&a.Alert); ok {
		a.Status, a.SuppressedBy = alert.StatusSuppressed, store.SilenceRef(sl.ID)
		return
	}
	a.Routes = s.outbox.Routes(&a.Alert)
	if pol != nil {
		a.QuietFor = pol.FirstSeen(a.Alert.GuideRow)
	}
}

// delivered tells the outbox that alerts were stored, so that it sends
// them now rather than at its next poll.
func (s *service) delivered(inserted int) {
	if inserted > 0 {
		s.outbox.Wake()
	}
}
