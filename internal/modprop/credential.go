package modprop

import "strings"

// Credential is one credential listed in a KeyDescription property.
type Credential struct {
	KeyID       string // KeyIdentifier, the credential's keyId
	Type        string // KeyType: Password, AsymmetricX509Cert, Symmetric, ...
	Usage       string // KeyUsage: Verify, Sign, ...
	DisplayName string // DisplayName, may be empty
}

// ParseKeyDescription decodes the items of a KeyDescription value. Each item
// reads like
//
//	[KeyIdentifier=<guid>,KeyType=Password,KeyUsage=Verify,DisplayName=<name>]
//
// The display name comes last and may itself contain commas and equal signs
// (certificate subjects do), so it runs to the closing bracket. Items that do
// not carry a KeyIdentifier are skipped.
func ParseKeyDescription(items []string) []Credential {
	var out []Credential
	for _, it := range items {
		if c, ok := parseCredential(it); ok {
			out = append(out, c)
		}
	}
	return out
}

func parseCredential(s string) (Credential, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "[")
	s = strings.TrimSuffix(s, "]")
	var c Credential
	if i := strings.Index(s, "DisplayName="); i >= 0 {
		c.DisplayName = s[i+len("DisplayName="):]
		s = s[:i]
	}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "KeyIdentifier":
			c.KeyID = v
		case "KeyType":
			c.Type = v
		case "KeyUsage":
			c.Usage = v
		}
	}
	return c, c.KeyID != ""
}

// AddedCredentials returns the credentials in next whose key id is not in prev.
func AddedCredentials(prev, next []Credential) []Credential {
	var out []Credential
	for _, c := range next {
		if !hasKey(prev, c.KeyID) {
			out = append(out, c)
		}
	}
	return out
}

func hasKey(list []Credential, id string) bool {
	for _, c := range list {
		if strings.EqualFold(c.KeyID, id) {
			return true
		}
	}
	return false
}
