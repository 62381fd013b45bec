package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"

	"github.com/appwatch/appwatch/internal/i18n"
	"github.com/appwatch/appwatch/internal/store"
)

// Roles, least first.
const (
	RoleViewer    = "viewer"
	RoleResponder = "responder"
	RoleAdmin     = "admin"
)

// Roles returns the roles, least first.
func Roles() []string { return []string{RoleViewer, RoleResponder, RoleAdmin} }

func roleRank(role string) int {
	switch role {
	case RoleViewer:
		return 1
	case RoleResponder:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// allowed reports whether role may do what least allows.
func allowed(role, least string) bool { return roleRank(role) >= roleRank(least) && roleRank(role) > 0 }

// highestRole returns the highest of roles that is one of the console's,
// compared without regard to case, or "".
func highestRole(roles []string) string {
	best := ""
	for _, r := range roles {
		r = strings.ToLower(strings.TrimSpace(r))
		if roleRank(r) > roleRank(best) {
			best = r
		}
	}
	return best
}

type sessionKey struct{}

func withSession(ctx context.Context, se store.Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, se)
}

// sessionOf returns the session of a request that passed guard.
func sessionOf(r *http.Request) store.Session {
	se, _ := r.Context().Value(sessionKey{}).(store.Session)
	return se
}

// cookieName is the name of the session cookie: with the __Host- prefix,
// which browsers accept only from a secure origin, for the whole site and
// with no Domain, unless the console is Insecure.
func (c *Console) cookieName() string {
	if c.opts.Insecure {
		return "appwatch-session"
	}
	return "__Host-appwatch-session"
}

// cookie returns a cookie of the console with the usual attributes.
func (c *Console) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: !c.opts.Insecure, SameSite: http.SameSiteLaxMode}
}

// token returns n random bytes, URL-safe base64.
func token(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashID returns the SHA-256 of a secret sent in a cookie or URL, hex, as
// the store keeps it.
func hashID(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}

// session returns the valid session of the request's cookie. An expired
// session is deleted, and a session used after a minute's pause is
// marked as used.
func (c *Console) session(w http.ResponseWriter, r *http.Request) (store.Session, bool) {
	ck, err := r.Cookie(c.cookieName())
	if err != nil || len(ck.Value) < 32 || len(ck.Value) > 64 {
		return store.Session{}, false
	}
	se, err := c.store.SessionByHash(r.Context(), hashID(ck.Value))
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			c.log.Error("session lookup failed", "error", err)
		}
		return store.Session{}, false
	}
	now := c.now()
	if !now.Before(se.Expires) || now.Sub(se.Seen) >= c.opts.Idle {
		if err := c.store.DeleteSession(r.Context(), se.IDHash); err != nil {
			c.log.Error("ending an expired session failed", "error", err)
		}
		http.SetCookie(w, c.cookie(c.cookieName(), "", -1))
		return store.Session{}, false
	}
	if now.Sub(se.Seen) >= c.opts.Idle/30 {
		if err := c.store.TouchSession(r.Context(), se.IDHash, now); err != nil {
			c.log.Error("session not marked as used", "error", err)
		}
	}
	return se, true
}

// startSession signs user in with role: it ends the session the browser
// had, if any, stores a new one with a new id and CSRF token, and sets
// its cookie. lang is the session's language.
func (c *Console) startSession(w http.ResponseWriter, r *http.Request, user store.Actor, role, lang string) error {
	if ck, err := r.Cookie(c.cookieName()); err == nil {
		if err := c.store.DeleteSession(r.Context(), hashID(ck.Value)); err != nil {
			return err
		}
	}
	if kept, err := c.store.Lang(r.Context(), user.ID); err == nil && kept != "" {
		lang = kept
	}
	id := token(32)
	now := c.now()
	se := store.Session{
		IDHash: hashID(id), User: user, Role: role, CSRF: token(32), Lang: lang,
		Created: now, Seen: now, Expires: now.Add(c.opts.Lifetime),
	}
	if err := c.store.CreateSession(r.Context(), se, now.Add(-c.opts.Idle)); err != nil {
		return err
	}
	http.SetCookie(w, c.cookie(c.cookieName(), id, int(c.opts.Lifetime.Seconds())))
	return c.store.Audit(r.Context(), user, "sign-in", store.AuditEntry{Role: role})
}

func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	if err := c.store.DeleteSession(r.Context(), se.IDHash); err != nil {
		c.serverError(w, r, err)
		return
	}
	http.SetCookie(w, c.cookie(c.cookieName(), "", -1))
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

// setLang changes the language of the session's user.
func (c *Console) setLang(w http.ResponseWriter, r *http.Request) {
	se := sessionOf(r)
	lang, err := i18n.Parse(r.PostFormValue("lang"))
	if err != nil {
		c.fail(w, r, se, http.StatusBadRequest, "console.bad-request")
		return
	}
	if err := c.store.SetLang(r.Context(), se.IDHash, se.User, lang); err != nil {
		c.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, localPath(r.PostFormValue("next"), "/alerts"), http.StatusSeeOther)
}

// localPath returns p when it is a path of this site, and fallback
// otherwise: an open redirect must not send people elsewhere.
func localPath(p, fallback string) string {
	if p == "" || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") {
		return fallback
	}
	return p
}

// browserLang returns the first language of the Accept-Language header
// that appwatch speaks, or fallback.
func browserLang(r *http.Request, fallback string) string {
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(part, ";")
		if lang, err := i18n.Parse(tag); err == nil {
			return lang
		}
	}
	if fallback == "" {
		return i18n.English
	}
	return fallback
}
