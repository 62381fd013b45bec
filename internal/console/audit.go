package console

import (
	"net/http"
	"strconv"

	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/store"
)

// auditPageSize is how many entries the audit page lists.
const auditPageSize = 100

// auditPageView is the audit trail's page.
type auditPageView struct {
	Trail       []auditView
	Next, First string
}

// auditPage lists everything people did, newest first.
func (c *Console) auditPage(w http.ResponseWriter, r *http.Request) {
	p := i18n.NewPrinter(sessionOf(r).Lang)
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	trail, err := c.store.AuditTrail(r.Context(), store.AuditQuery{Before: max(before, 0), Limit: auditPageSize + 1})
	if err != nil {
		c.serverError(w, r, err)
		return
	}
	v := auditPageView{}
	if before > 0 {
		v.First = "/audit"
	}
	if len(trail) > auditPageSize {
		trail = trail[:auditPageSize]
		v.Next = "/audit?before=" + strconv.FormatInt(trail[len(trail)-1].Seq, 10)
	}
	v.Trail = auditViews(p, trail, true)
	c.render(w, r, http.StatusOK, "audit", page{Title: "console.nav.audit", Nav: "audit", Data: v})
}
