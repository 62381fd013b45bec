package store

import (
	"errors"
	"testing"
	"time"

	"github.com/appwatch/appwatch/internal/clock"
)

func TestLocalAccounts(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		if err := s.AddFirstAdmin(ctx, LocalUser{Name: "ana", Hash: "h1"}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddFirstAdmin(ctx, LocalUser{Name: "bob", Hash: "h2"}); !errors.Is(err, ErrAdminExists) {
			t.Errorf("a second first admin: %v, want ErrAdminExists", err)
		}
		if u, err := s.LocalUserByName(ctx, "ana"); err != nil || u.Role != "admin" || u.Hash != "h1" {
			t.Errorf("first admin %+v (err %v)", u, err)
		}
		for _, u := range []LocalUser{{Name: "cy", Hash: "h", Role: "viewer"}, {Name: "bob", Hash: "h", Role: "admin"}} {
			if err := s.SetLocalUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		for _, se := range []Session{
			{IDHash: "ana-1", User: Actor{ID: "local:ana"}, Expires: t0.Add(time.Hour)},
			{IDHash: "ana-2", User: Actor{ID: "local:ana"}, Expires: t0.Add(time.Hour)},
			{IDHash: "cy-1", User: Actor{ID: "local:cy"}, Expires: t0.Add(time.Hour)},
			{IDHash: "cy-old", User: Actor{ID: "local:cy"}, Expires: t0.Add(-time.Hour)},
		} {
			se.Created, se.Seen = t0, t0
			if err := s.CreateSession(ctx, se, time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.LocalUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []LocalAccount{{"ana", "admin", t0, 2}, {"bob", "admin", t0, 0}, {"cy", "viewer", t0, 1}}
		if len(got) != len(want) {
			t.Fatalf("local users %+v, want %+v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("local user %d: %+v, want %+v", i, got[i], want[i])
			}
		}
		// Removing an account ends its sessions; the last admin stays.
		if err := s.DeleteLocalUser(ctx, "ana"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionByHash(ctx, "ana-1"); !errors.Is(err, ErrNotFound) {
			t.Errorf("session of a removed account: %v", err)
		}
		if _, err := s.SessionByHash(ctx, "cy-1"); err != nil {
			t.Errorf("session of another account: %v", err)
		}
		if err := s.DeleteLocalUser(ctx, "bob"); !errors.Is(err, ErrLastAdmin) {
			t.Errorf("removing the last admin: %v, want ErrLastAdmin", err)
		}
		if err := s.DeleteLocalUser(ctx, "ana"); !errors.Is(err, ErrNotFound) {
			t.Errorf("removing a missing account: %v, want ErrNotFound", err)
		}
		if err := s.DeleteLocalUser(ctx, "cy"); err != nil {
			t.Fatal(err)
		}
		// With no admin left but bob's name taken, a first admin cannot be bob.
		if err := s.AddFirstAdmin(ctx, LocalUser{Name: "bob", Hash: "h"}); !errors.Is(err, ErrAdminExists) {
			t.Errorf("first admin while bob is admin: %v", err)
		}
	})
}

func TestFirstAdminNameTaken(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, c *clock.Fake) {
		ctx := t.Context()
		if err := s.SetLocalUser(ctx, LocalUser{Name: "cy", Hash: "h", Role: "viewer"}); err != nil {
			t.Fatal(err)
		}
		if err := s.AddFirstAdmin(ctx, LocalUser{Name: "cy", Hash: "h2"}); !errors.Is(err, ErrExists) {
			t.Errorf("first admin named as a viewer: %v, want ErrExists", err)
		}
		if err := s.AddFirstAdmin(ctx, LocalUser{Name: "ana", Hash: "h2"}); err != nil {
			t.Errorf("first admin beside a viewer: %v", err)
		}
	})
}
