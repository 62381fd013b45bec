// Package graph is a small, read-only client for the Microsoft Graph REST
// API. It gets tokens through azidentity, lists collections page by page,
// and behaves the way Graph asks clients to behave under load: it honours
// Retry-After on 429 and 503 responses, backs off with jitter when no
// Retry-After is given, caps the number of requests in flight, and keeps
// to a client-side request rate.
//
// The client only sends GET requests, and sends its token only to the
// base URL's scheme, host and port: it never follows a redirect (a 3xx
// answer is an error matching ErrRedirect) and never follows a next link
// to another origin.
//
// Every wait is bounded and can be seen. One attempt lasts at most
// Config.Timeout; Graph's Retry-After is honoured up to
// Config.MaxRetryAfter; a request is tried Config.MaxAttempts times; a
// listing follows at most Config.MaxPages pages and stops when a next
// link leads back to a page it has read. Config.OnWait hears of every
// pause before it starts. A deadline or cancellation cause set on the
// context ends the work and is named in the error.
//
// A 403 response becomes an *Error that names the application permission
// to grant for the path that was refused (see PermissionFor). A failed
// sign-in is an error matching ErrSignIn, in one line. Text that Graph or
// the token endpoint sends back is made safe for a terminal before any
// error quotes it.
package graph
