package graph

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/appwatch/appwatch/internal/termtext"
)

// Sentinel errors that an *Error matches with errors.Is.
var (
	// ErrUnauthorized matches a 401 response: Graph did not accept the token.
	ErrUnauthorized = errors.New("graph rejected the access token")
	// ErrForbidden matches a 403 response: the app lacks a permission.
	ErrForbidden = errors.New("graph refused the request: permission missing")
	// ErrNotFound matches a 404 response.
	ErrNotFound = errors.New("graph object or path not found")
	// ErrThrottled matches a 429 or 503 response that was still refused
	// after the last attempt.
	ErrThrottled = errors.New("graph kept throttling the request")
	// ErrRedirect matches a redirect (3xx) response. The client never
	// follows one, so that the token goes nowhere but to the base URL.
	ErrRedirect = errors.New("graph answered with a redirect")
)

// Error is an unsuccessful response from Graph. The text it quotes from
// the response (Code, Message, RequestID, Location) is safe to print on a
// terminal: control characters are replaced and the message is clipped.
type Error struct {
	// Method and Path identify the request. Path has no query string.
	Method string
	Path   string
	// Status is the HTTP status code.
	Status int
	// Code and Message come from the Graph error body, when it has one.
	Code    string
	Message string
	// RequestID is Graph's request-id, useful when asking Microsoft for help.
	RequestID string
	// Attempts is how many times the request was sent.
	Attempts int
	// Permission is the least-privileged application permission that
	// allows the request, set on 403 responses when the path is known.
	Permission string
	// Location is where a redirect pointed; it was not followed.
	Location string
}

// Error describes the failure and, for a 403, the permission to grant.
func (e *Error) Error() string { return e.Localize(fmt.Sprintf) }

// Localize writes the description through sprintf, each part a message
// that internal/i18n translates (see i18n.Localizer); what it quotes from
// the response stays as Graph wrote it.
func (e *Error) Localize(sprintf func(format string, args ...any) string) string {
	s := fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, http.StatusText(e.Status))
	if e.Code != "" || e.Message != "" {
		s += fmt.Sprintf(" (%s: %s)", e.Code, e.Message)
	}
	if e.Attempts > 1 {
		s = sprintf("%s after %d attempts", s, e.Attempts)
	}
	switch {
	case e.Status == http.StatusForbidden && e.Permission != "":
		s = sprintf("%s: grant the Microsoft Graph application permission %s to the app and give admin consent", s, e.Permission)
	case e.Status == http.StatusForbidden:
		s = sprintf("%s: the app lacks a Microsoft Graph permission for this path", s)
	case e.Status == http.StatusUnauthorized:
		s = sprintf("%s: check the tenant, the client id, the credential, and that the token was issued for this Graph host", s)
	case e.Status/100 == 3:
		s = sprintf("%s: not following the redirect to %q, so that the access token goes only to the Graph URL given", s, e.Location)
	}
	if e.RequestID != "" {
		s += fmt.Sprintf(" [request-id %s]", e.RequestID)
	}
	return s
}

// Is lets errors.Is match an *Error against the sentinel errors.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case ErrNotFound:
		return e.Status == http.StatusNotFound
	case ErrThrottled:
		return e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable
	case ErrRedirect:
		return e.Status/100 == 3
	}
	return false
}

// newError builds an *Error from a response status, headers and body.
func newError(method, path string, status int, header http.Header, body []byte, attempts int) *Error {
	e := &Error{
		Method:    method,
		Path:      path,
		Status:    status,
		RequestID: header.Get("request-id"),
		Attempts:  attempts,
		Location:  header.Get("Location"),
	}
	var wire struct {
		Error struct {
			Code       string `json:"code"`
			Message    string `json:"message"`
			InnerError struct {
				RequestID string `json:"request-id"`
			} `json:"innerError"`
		} `json:"error"`
	}
	if json.Unmarshal(body, &wire) == nil {
		e.Code, e.Message = wire.Error.Code, wire.Error.Message
		if e.RequestID == "" {
			e.RequestID = wire.Error.InnerError.RequestID
		}
	}
	if status == http.StatusForbidden {
		e.Permission = PermissionFor(path)
	}
	e.Code = termtext.Clip(termtext.Clean(e.Code), maxText)
	e.Message = termtext.Clip(termtext.Clean(e.Message), maxText)
	e.RequestID = termtext.Clip(termtext.Clean(e.RequestID), maxText)
	e.Location = termtext.Clip(termtext.Clean(e.Location), maxText)
	return e
}

// permissions maps a path segment to the least-privileged application
// permission that reads it, as the Graph API reference lists them. The
// segments are checked from the end of the path, so a nested collection
// with its own permission (oauth2PermissionGrants under a service
// principal) wins over its parent.
var permissions = []struct{ segment, permission string }{
	{"oauth2PermissionGrants", "Directory.Read.All"},
	{"applications", "Application.Read.All"},
	{"servicePrincipals", "Application.Read.All"},
	{"roleManagement", "RoleManagement.Read.Directory"},
	{"directoryRoles", "RoleManagement.Read.Directory"},
	{"domains", "Domain.Read.All"},
	{"auditLogs", "AuditLog.Read.All"},
}

// PermissionFor returns the least-privileged Microsoft Graph application
// permission that allows a GET on path, or "" when the path is not one
// appwatch reads. The version prefix ("/v1.0", "/beta") may be present.
func PermissionFor(path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(segs) - 1; i >= 0; i-- {
		name, _, _ := strings.Cut(segs[i], "(")
		for _, p := range permissions {
			if strings.EqualFold(name, p.segment) {
				return p.permission
			}
		}
	}
	return ""
}
