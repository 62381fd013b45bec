// Package graph is a small, read-only client for the Microsoft Graph REST
// API. It gets tokens through azidentity, lists collections page by page,
// and behaves the way Graph asks clients to behave under load: it honours
// Retry-After on 429 and 503 responses, backs off with jitter when no
// Retry-After is given, caps the number of requests in flight, and keeps
// to a client-side request rate.
//
// The client only sends GET requests. It never follows a next link to a
// host other than the one it was configured with, so the access token is
// never sent anywhere else.
//
// A 403 response becomes an *Error that names the application permission
// to grant for the path that was refused (see PermissionFor).
package graph
