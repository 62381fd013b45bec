package snapshot

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/appwatch/appwatch/internal/graph"
)

// Gap says why a collection is missing from a snapshot: Graph or Azure
// Resource Manager refused it (a permission or a licence is missing),
// answered with an error, or it was not asked for.
type Gap struct {
	Collection Collection `json:"collection"`
	// Part names the part of the collection that is missing when the rest
	// was read, such as one subscription's role assignments.
	Part string `json:"part,omitempty"`
	// Status is the HTTP status of the refusal, 0 when nothing was asked.
	Status int    `json:"status,omitempty"`
	Code   string `json:"code,omitempty"`
	// Permission is what to grant appwatch's app to read the collection;
	// set when the refusal was a 401 or 403 that names no licence.
	Permission string `json:"permission,omitempty"`
	// Licence is the licence the tenant lacks, when the refusal says so.
	Licence string `json:"licence,omitempty"`
	Message string `json:"message,omitempty"`
}

// Reason says in a few words why the collection, or the Part of it, is
// missing.
func (g Gap) Reason() string {
	format, args := g.Format()
	return fmt.Sprintf(format, args...)
}

// Format returns Reason as a message format and its arguments, for a
// caller that writes it in another language: the format is one of
// GapFormats.
func (g Gap) Format() (string, []any) {
	what := string(g.Collection)
	if g.Part != "" {
		what += " (" + g.Part + ")"
	}
	switch {
	case g.Licence != "":
		return gapLicence, []any{what, g.Licence, g.Status, g.Code}
	case g.Permission != "":
		return gapPermission, []any{what, g.Permission, g.Status, g.Code}
	case g.Status != 0:
		return gapStatus, []any{what, g.Status, g.Code, g.Message}
	}
	return gapOther, []any{what, g.Message}
}

// The formats of Gap.Format.
const (
	gapLicence    = "%s not read: the tenant lacks %s (%d %s)"
	gapPermission = "%s not read: grant %s (%d %s)"
	gapStatus     = "%s not read: %d %s %s"
	gapOther      = "%s not read: %s"
)

// GapFormats returns every format Gap.Format can return.
func GapFormats() []string {
	return []string{gapLicence, gapPermission, gapStatus, gapOther}
}

// licenceCodes are the error codes and message fragments with which Graph
// says that the tenant lacks a licence rather than the app a permission.
var licenceHints = []string{
	"Authentication_RequestFromNonPremiumTenantOrB2CTenant",
	"NonPremiumTenant", "license", "licence", "Premium", "P1", "P2",
}

// gapOf describes a failed read of an optional collection. A 401 or 403
// names the permission, or the licence when Graph's answer says one is
// missing; other errors keep their message.
func gapOf(c Collection, need access, err error) Gap {
	g := Gap{Collection: c, Message: err.Error()}
	var gerr *graph.Error
	if !errors.As(err, &gerr) {
		return g
	}
	g.Status, g.Code, g.Message = gerr.Status, gerr.Code, gerr.Message
	if gerr.Status != http.StatusForbidden && gerr.Status != http.StatusUnauthorized {
		return g
	}
	for _, h := range licenceHints {
		if need.licence != "" && (strings.Contains(gerr.Code, h) || strings.Contains(gerr.Message, h)) {
			g.Licence = need.licence
			return g
		}
	}
	g.Permission = need.permission
	return g
}

// access is what reading a collection takes: an application permission
// (or, for Azure Resource Manager, a role) and sometimes a licence.
type access struct {
	permission string
	licence    string
}

// Licences named in gaps.
const (
	licenceP1          = "Microsoft Entra ID P1"
	licenceP2          = "Microsoft Entra ID P2"
	licenceWorkloadIDs = "Microsoft Entra Workload ID Premium"
)
