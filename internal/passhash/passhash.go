// Package passhash hashes the passwords of the console's local accounts
// with argon2id (RFC 9106), and checks passwords against such hashes.
// Hashes are written in the PHC string format that other argon2
// implementations read:
//
//	$argon2id$v=19$m=19456,t=2,p=1$SALT$HASH
//
// with the salt and the hash in unpadded standard base64.
package passhash

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the costs of argon2id.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// Default are the costs new hashes get: the first of OWASP's
// recommended argon2id settings, 19 MiB and two passes, which take tens
// of milliseconds on one core.
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
	// MinLength is the shortest password Hash accepts, in bytes.
	MinLength = 12
	// maxLength bounds passwords, so that a huge one cannot cost much.
	maxLength = 1024
)

// Hash returns the argon2id hash of password with p's costs and a new
// random salt. It refuses passwords shorter than MinLength.
func Hash(password string, p Params) (string, error) {
	if len(password) < MinLength {
		return "", fmt.Errorf("password: want at least %d characters", MinLength)
	}
	if len(password) > maxLength {
		return "", fmt.Errorf("password: want at most %d bytes", maxLength)
	}
	salt := make([]byte, saltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches hash, comparing in constant
// time. An error says the hash cannot be read.
func Verify(password, hash string) (bool, error) {
	p, salt, key, err := parse(hash)
	if err != nil {
		return false, err
	}
	if len(password) > maxLength {
		return false, nil
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// parse reads a hash written by Hash.
func parse(hash string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("passhash: not an argon2id hash")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("passhash: version %q: want v=%d", parts[2], argon2.Version)
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, fmt.Errorf("passhash: parameters %q: %w", parts[3], err)
	}
	// Bounds keep a stored hash from asking for any amount of work.
	if p.Memory < 8 || p.Memory > 4<<20 || p.Time < 1 || p.Time > 100 || p.Threads < 1 {
		return p, nil, nil, fmt.Errorf("passhash: parameters %q out of bounds", parts[3])
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, errors.New("passhash: bad salt")
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, errors.New("passhash: bad hash")
	}
	return p, salt, key, nil
}
