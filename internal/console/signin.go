package console

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/appwatch/appwatch/internal/passhash"
	"github.com/appwatch/appwatch/internal/store"
)

// loginCookie holds the token the sign-in form must send back: without a
// session there is no session token, and a form posted from elsewhere
// must not sign someone in as the attacker.
const loginCookie = "appwatch-signin"

// dummyHash is checked when the account does not exist, so that a wrong
// name takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := passhash.Hash("appwatch-no-such-account", passhash.Default)
	return h
})

// signInView is the sign-in page.
type signInView struct {
	Next   string
	Token  string
	Local  bool
	Entra  bool
	Error  string
	Status int
}

func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	c.showSignIn(w, r, http.StatusOK, "")
}

// showSignIn draws the sign-in page with a new form token, saying
// problem (a message key) when it is not empty.
func (c *Console) showSignIn(w http.ResponseWriter, r *http.Request, status int, problem string) {
	local, err := c.store.HasLocalUsers(r.Context())
	if err != nil {
		c.log.Error("local accounts unreadable", "error", err)
	}
	// A sign-in form already open in the browser keeps its token: the
	// browser may fetch the sign-in page again meanwhile (a redirect of a
	// favicon, another tab), and that must not spoil the form.
	tok := token(24)
	if ck, err := r.Cookie(loginCookie); err == nil && len(ck.Value) == len(tok) {
		tok = ck.Value
	}
	http.SetCookie(w, c.cookie(loginCookie, tok, 600))
	v := signInView{
		Next: localPath(r.FormValue("next"), "/alerts"), Token: tok,
		Local: local, Entra: c.oidc != nil, Error: problem, Status: status,
	}
	c.render(w, r, status, "signin", page{Title: "console.signin", Lang: browserLang(r, c.opts.Lang), Data: v})
}

// signInLocal signs in with a local account.
func (c *Console) signInLocal(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxForm)
	ck, err := r.Cookie(loginCookie)
	form := r.PostFormValue("_csrf")
	if err != nil || form == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(form)) != 1 {
		c.showSignIn(w, r, http.StatusForbidden, "console.signin-expired")
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	if ok, wait := c.limits.allow("addr:"+clientAddr(r), "name:"+strings.ToLower(name)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Round(time.Second).Seconds())+1))
		c.log.Warn("sign-in refused: too many attempts", "name", name, "addr", clientAddr(r))
		c.showSignIn(w, r, http.StatusTooManyRequests, "console.signin-throttled")
		return
	}
	u, err := c.store.LocalUserByName(r.Context(), name)
	hash := u.Hash
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			c.serverError(w, r, err)
			return
		}
		hash = dummyHash()
	}
	ok, verr := passhash.Verify(password, hash)
	if verr != nil {
		c.log.Error("a stored password hash is unreadable", "name", name, "error", verr)
	}
	if err != nil || !ok || verr != nil || roleRank(u.Role) == 0 {
		c.log.Warn("sign-in refused: wrong name or password", "name", name, "addr", clientAddr(r))
		c.showSignIn(w, r, http.StatusUnauthorized, "console.signin-wrong")
		return
	}
	http.SetCookie(w, c.cookie(loginCookie, "", -1))
	user := store.Actor{ID: "local:" + u.Name, Name: u.Name}
	if err := c.startSession(w, r, user, u.Role, browserLang(r, c.opts.Lang)); err != nil {
		c.serverError(w, r, err)
		return
	}
	c.log.Info("signed in", "user", user.ID, "role", u.Role)
	http.Redirect(w, r, localPath(r.PostFormValue("next"), "/alerts"), http.StatusSeeOther)
}
