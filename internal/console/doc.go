// Package console is appwatch's web console: the pages that appwatch serve
// shows to triage the alerts in a store that appwatch watch writes.
//
// Pages are rendered on the server with html/template from templates
// embedded in the binary, in the look of internal/webui. A vendored copy
// of htmx, served from the console's own origin, swaps parts of pages
// (filters, live counts) without reloading them; every page also works
// without script.
//
// Pages:
//
//   - Alerts: filters by tenant, guide row, level, status, app, actor,
//     time and business hours, with counts per facet; a list, or groups by
//     application and guide row; live updates: a notice of the new alerts
//     the filters select, polled by htmx, whose link swaps the list in
//     place with them marked.
//   - Alert: the decoded evidence, the record it was raised on (pretty,
//     and raw on demand), remediation, ATT&CK links, related alerts,
//     delivery per sink (from watch's outbox), links to the application
//     in the Entra admin center, triage, and its audit trail.
//   - Triage: acknowledge, assign, resolve with a verdict, reopen,
//     comment; silence alerts like it, with a required reason and expiry.
//     Every triage action goes to the audit trail with who and when.
//   - Silences: the store's silences (package silence, appwatch silence),
//     whoever added them, with how many alerts each suppressed and who
//     added and ended each.
//   - Apps and App: everything about one application, with its
//     credentials (their validity charted), permissions and owners from
//     the snapshots of the posture source, current, expired or removed.
//   - Coverage: for each guide row, the logs that could show it and when
//     each last arrived; sources silent longer than usual.
//   - Posture: findings by check, and their trend across snapshots.
//
// Security: nothing but the sign-in page and the static files is served
// without a session. People sign in with Microsoft Entra ID (OpenID
// Connect, authorization code with PKCE, state and nonce), their role
// coming from the token's app roles, or with a local account whose
// argon2id hash is in the store. Sessions are server-side rows named by
// a random cookie (Secure, HttpOnly, SameSite=Lax), replaced at each
// sign-in and ended after an idle time and an absolute lifetime. Every
// change needs the session's CSRF token and a same-origin request. Every
// response carries a strict Content-Security-Policy (scripts and styles
// from the console's origin only, nothing inline) and the other usual
// security headers. Sign-in attempts are rate-limited. Text from the logs
// is escaped by html/template wherever it lands.
//
// Roles: viewers read everything but the full audit trail; responders also
// triage and silence, and expire their own silences; admins also read the
// full audit trail and expire anyone's silences.
package console
