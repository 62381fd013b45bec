package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// LocalUser is a local account of the console, for installations that do
// not sign in with Entra ID.
type LocalUser struct {
	Name string
	// Hash is the password's hash, in the PHC string format.
	Hash string
	Role string
}

// SetLocalUser creates the local account u, or replaces its hash and
// role, and ends its sessions.
func (s *Store) SetLocalUser(ctx context.Context, u LocalUser) error {
	defer s.timed("users")()
	now := s.now().UnixNano()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO users (name, hash, role, updated_ns) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET hash = excluded.hash, role = excluded.role, updated_ns = excluded.updated_ns`),
			u.Name, u.Hash, u.Role, now)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q("DELETE FROM sessions WHERE user_id = ?"), "local:"+u.Name)
		return err
	})
	if err != nil {
		return fmt.Errorf("store %s: local user %s: %w", s.name, u.Name, err)
	}
	return nil
}

// LocalUserByName returns the local account name, or ErrNotFound.
func (s *Store) LocalUserByName(ctx context.Context, name string) (LocalUser, error) {
	defer s.timed("users")()
	u := LocalUser{Name: name}
	err := s.db.QueryRowContext(ctx, s.q("SELECT hash, role FROM users WHERE name = ?"), name).Scan(&u.Hash, &u.Role)
	if errors.Is(err, sql.ErrNoRows) {
		return LocalUser{}, ErrNotFound
	}
	if err != nil {
		return LocalUser{}, fmt.Errorf("store %s: local user %s: %w", s.name, name, err)
	}
	return u, nil
}

// HasLocalUsers reports whether any local account exists.
func (s *Store) HasLocalUsers(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		return false, fmt.Errorf("store %s: local users: %w", s.name, err)
	}
	return n > 0, nil
}

// Session is a signed-in session of the console.
type Session struct {
	// IDHash is the SHA-256 of the session cookie's value, hex: the
	// value itself is never stored.
	IDHash string
	User   Actor
	Role   string
	// CSRF is the token every change made in the session must carry.
	CSRF    string
	Lang    string
	Created time.Time
	// Seen is when the session was last used; Expires when it ends
	// whatever its use.
	Seen, Expires time.Time
}

// CreateSession stores a new session, and deletes sessions that have
// expired: those past their absolute expiry, and those unused since
// idleSince.
func (s *Store) CreateSession(ctx context.Context, se Session, idleSince time.Time) error {
	defer s.timed("sessions")()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("DELETE FROM sessions WHERE expires_ns <= ? OR seen_ns < ?"),
			s.now().UnixNano(), idleSince.UnixNano()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q("DELETE FROM oidc_logins WHERE expires_ns <= ?"), s.now().UnixNano()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO sessions (id_hash, user_id, user_name, role, csrf, lang, created_ns, seen_ns, expires_ns)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`), se.IDHash, se.User.ID, se.User.Name, se.Role, se.CSRF, se.Lang,
			se.Created.UnixNano(), se.Seen.UnixNano(), se.Expires.UnixNano())
		return err
	})
	if err != nil {
		return fmt.Errorf("store %s: create session: %w", s.name, err)
	}
	return nil
}

// SessionByHash returns the session whose id hashes to idHash, or
// ErrNotFound. Expiry is the caller's to check.
func (s *Store) SessionByHash(ctx context.Context, idHash string) (Session, error) {
	defer s.timed("sessions")()
	se := Session{IDHash: idHash}
	var created, seen, expires int64
	err := s.db.QueryRowContext(ctx, s.q(`SELECT user_id, user_name, role, csrf, lang, created_ns, seen_ns, expires_ns
		FROM sessions WHERE id_hash = ?`), idHash).Scan(&se.User.ID, &se.User.Name, &se.Role, &se.CSRF, &se.Lang, &created, &seen, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("store %s: session: %w", s.name, err)
	}
	se.Created, se.Seen, se.Expires = time.Unix(0, created).UTC(), time.Unix(0, seen).UTC(), time.Unix(0, expires).UTC()
	return se, nil
}

// TouchSession records that the session was used at t.
func (s *Store) TouchSession(ctx context.Context, idHash string, t time.Time) error {
	defer s.timed("sessions")()
	if _, err := s.db.ExecContext(ctx, s.q("UPDATE sessions SET seen_ns = ? WHERE id_hash = ?"), t.UnixNano(), idHash); err != nil {
		return fmt.Errorf("store %s: session: %w", s.name, err)
	}
	return nil
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	defer s.timed("sessions")()
	if _, err := s.db.ExecContext(ctx, s.q("DELETE FROM sessions WHERE id_hash = ?"), idHash); err != nil {
		return fmt.Errorf("store %s: end session: %w", s.name, err)
	}
	return nil
}

// SetLang sets the language of the user of a session, for this session
// and the ones to come.
func (s *Store) SetLang(ctx context.Context, idHash string, user Actor, lang string) error {
	defer s.timed("sessions")()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q("UPDATE sessions SET lang = ? WHERE id_hash = ?"), lang, idHash); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO user_prefs (user_id, lang, updated_ns) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang, updated_ns = excluded.updated_ns`), user.ID, lang, s.now().UnixNano())
		return err
	})
	if err != nil {
		return fmt.Errorf("store %s: language of %s: %w", s.name, user.ID, err)
	}
	return nil
}

// Lang returns the language the user chose last, or "".
func (s *Store) Lang(ctx context.Context, userID string) (string, error) {
	var lang string
	err := s.db.QueryRowContext(ctx, s.q("SELECT lang FROM user_prefs WHERE user_id = ?"), userID).Scan(&lang)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store %s: language of %s: %w", s.name, userID, err)
	}
	return lang, nil
}

// OIDCLogin is a sign-in with an OpenID Connect provider under way: what
// the callback must find again, by the state it was sent with.
type OIDCLogin struct {
	StateHash string
	Nonce     string
	// Verifier is the PKCE code verifier.
	Verifier string
	// ReturnTo is the console path to go back to once signed in.
	ReturnTo string
	Expires  time.Time
}

// PutOIDCLogin stores a sign-in under way.
func (s *Store) PutOIDCLogin(ctx context.Context, l OIDCLogin) error {
	defer s.timed("sessions")()
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO oidc_logins (state_hash, nonce, verifier, return_to, expires_ns) VALUES (?, ?, ?, ?, ?)`),
		l.StateHash, l.Nonce, l.Verifier, l.ReturnTo, l.Expires.UnixNano())
	if err != nil {
		return fmt.Errorf("store %s: sign-in: %w", s.name, err)
	}
	return nil
}

// TakeOIDCLogin returns the sign-in under way stored under stateHash and
// deletes it, so that a state is used once; ErrNotFound when there is
// none or it expired.
func (s *Store) TakeOIDCLogin(ctx context.Context, stateHash string) (OIDCLogin, error) {
	defer s.timed("sessions")()
	l := OIDCLogin{StateHash: stateHash}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var expires int64
		err := tx.QueryRowContext(ctx, s.q("SELECT nonce, verifier, return_to, expires_ns FROM oidc_logins WHERE state_hash = ?"),
			stateHash).Scan(&l.Nonce, &l.Verifier, &l.ReturnTo, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		l.Expires = time.Unix(0, expires).UTC()
		_, err = tx.ExecContext(ctx, s.q("DELETE FROM oidc_logins WHERE state_hash = ?"), stateHash)
		return err
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return OIDCLogin{}, ErrNotFound
		}
		return OIDCLogin{}, fmt.Errorf("store %s: sign-in: %w", s.name, err)
	}
	if !s.now().Before(l.Expires) {
		return OIDCLogin{}, ErrNotFound
	}
	return l, nil
}

// roleAdmin is the console's role that manages it: the store keeps at
// least one local account with it once there is one.
const roleAdmin = "admin"

// ErrAdminExists is returned by AddFirstAdmin when a local admin exists.
var ErrAdminExists = errors.New("a local admin exists")

// ErrLastAdmin is returned by DeleteLocalUser for the last local admin.
var ErrLastAdmin = errors.New("the last local admin")

// ErrExists is returned for an account name already taken.
var ErrExists = errors.New("exists")

// AddFirstAdmin creates u as a local admin when there is no local admin
// yet: ErrAdminExists when there is one, ErrExists when u.Name is taken
// by an account of another role. The check and the insert are one
// transaction, so that two processes cannot both create one.
func (s *Store) AddFirstAdmin(ctx context.Context, u LocalUser) error {
	defer s.timed("users")()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockUsers(ctx, tx); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO users (name, hash, role, updated_ns)
			SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM users WHERE role = ? OR name = ?)`),
			u.Name, u.Hash, roleAdmin, s.now().UnixNano(), roleAdmin, u.Name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		var admins int
		if err := tx.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM users WHERE role = ?"), roleAdmin).Scan(&admins); err != nil {
			return err
		}
		if admins > 0 {
			return ErrAdminExists
		}
		return ErrExists
	})
	if err != nil {
		return fmt.Errorf("store %s: first admin %s: %w", s.name, u.Name, err)
	}
	return nil
}

// lockUsers keeps other transactions from changing local accounts until
// tx ends, on PostgreSQL; SQLite writes one transaction at a time.
func (s *Store) lockUsers(ctx context.Context, tx *sql.Tx) error {
	if s.dialect != Postgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, "LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
	return err
}

// LocalAccount is a local account as listed: its name, role, when it was
// last set, and how many sessions it has open.
type LocalAccount struct {
	Name, Role string
	Updated    time.Time
	Sessions   int
}

// LocalUsers returns the local accounts, by name.
func (s *Store) LocalUsers(ctx context.Context) ([]LocalAccount, error) {
	defer s.timed("users")()
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT u.name, u.role, u.updated_ns,
		(SELECT COUNT(*) FROM sessions WHERE user_id = 'local:' || u.name AND expires_ns > ?)
		FROM users u ORDER BY u.name`), s.now().UnixNano())
	if err != nil {
		return nil, fmt.Errorf("store %s: local users: %w", s.name, err)
	}
	defer rows.Close()
	var out []LocalAccount
	for rows.Next() {
		var a LocalAccount
		var updated int64
		if err := rows.Scan(&a.Name, &a.Role, &updated, &a.Sessions); err != nil {
			return nil, fmt.Errorf("store %s: local users: %w", s.name, err)
		}
		a.Updated = time.Unix(0, updated).UTC()
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: local users: %w", s.name, err)
	}
	return out, nil
}

// DeleteLocalUser deletes the local account name and ends its sessions:
// ErrNotFound when there is none, ErrLastAdmin when it is the only local
// admin.
func (s *Store) DeleteLocalUser(ctx context.Context, name string) error {
	defer s.timed("users")()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.lockUsers(ctx, tx); err != nil {
			return err
		}
		var role string
		err := tx.QueryRowContext(ctx, s.q("SELECT role FROM users WHERE name = ?"), name).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		} else if err != nil {
			return err
		}
		if role == roleAdmin {
			var admins int
			if err := tx.QueryRowContext(ctx, s.q("SELECT COUNT(*) FROM users WHERE role = ?"), roleAdmin).Scan(&admins); err != nil {
				return err
			}
			if admins <= 1 {
				return ErrLastAdmin
			}
		}
		if _, err := tx.ExecContext(ctx, s.q("DELETE FROM users WHERE name = ?"), name); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q("DELETE FROM sessions WHERE user_id = ?"), "local:"+name)
		return err
	})
	if err != nil {
		return fmt.Errorf("store %s: delete local user %s: %w", s.name, name, err)
	}
	return nil
}
