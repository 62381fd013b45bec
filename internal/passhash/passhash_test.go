package passhash

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
)

// fast keeps the tests quick; the format and the checks are the same.
var fast = Params{Memory: 64, Time: 1, Threads: 1}

func TestHashVerify(t *testing.T) {
	h, err := Hash("correct horse battery", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %s", h)
	}
	h2, _ := Hash("correct horse battery", fast)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"correct horse battery": true, "correct horse batterY": false, "": false, strings.Repeat("x", 2000): false} {
		if ok, err := Verify(pw, h); ok != want || err != nil {
			t.Errorf("Verify(%.20q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if _, err := Hash("short", fast); err == nil {
		t.Error("a short password was hashed")
	}
}

// TestKnownHash checks a hash of the reference implementation's test
// vectors (password "password", salt "somesalt", argon2id, t=2, m=64,
// p=1, 24 bytes), written in the PHC format.
func TestKnownHash(t *testing.T) {
	key, _ := hex.DecodeString("068d62b26455936aa6ebe60060b0a65870dbfa3ddf8d41f7")
	b64 := base64.RawStdEncoding
	h := "$argon2id$v=19$m=64,t=2,p=1$" + b64.EncodeToString([]byte("somesalt")) + "$" + b64.EncodeToString(key)
	if ok, err := Verify("password", h); !ok || err != nil {
		t.Errorf("Verify of the reference vector = %v, %v", ok, err)
	}
}

func TestBadHashes(t *testing.T) {
	for _, h := range []string{
		"", "plain", "$2y$10$abcdefghijklmnopqrstuv", "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=99999999,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=64,t=1,p=1$!!$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
		"$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$c2hvcnQ",
	} {
		if ok, err := Verify("password", h); ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want an error", h, ok, err)
		}
	}
}
