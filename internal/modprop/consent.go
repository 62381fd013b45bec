package modprop

import "strings"

// Grant is one delegated permission grant listed in a
// ConsentAction.Permissions value.
type Grant struct {
	ID          string
	ClientID    string // the client application's service principal id
	PrincipalID string // the consenting user, empty for AllPrincipals
	ResourceID  string // the API's service principal id
	ConsentType string // AllPrincipals or Principal
	Scopes      []string
}

// ParseConsentPermissions decodes a ConsentAction.Permissions value, which
// lists the grants before and after the consent in a text form such as
//
//	[] => [[Id: ..., ClientId: ..., PrincipalId: , ResourceId: ...,
//	ConsentType: AllPrincipals, Scope: User.Read Mail.Read, CreatedDateTime: ,
//	LastModifiedDateTime ]];
//
// It returns the grants on each side of the arrow. Text without an arrow is
// read as the new side.
func ParseConsentPermissions(s string) (before, after []Grant) {
	left, right, ok := strings.Cut(s, "=>")
	if !ok {
		return nil, parseGrants(s)
	}
	return parseGrants(left), parseGrants(right)
}

// parseGrants reads every "[Id: ...]" group of s.
func parseGrants(s string) []Grant {
	var out []Grant
	for {
		i := strings.Index(s, "Id:")
		if i < 0 {
			return out
		}
		if i > 0 && isIdentByte(s[i-1]) {
			// Part of ClientId:, PrincipalId: or ResourceId: outside a group.
			s = s[i+3:]
			continue
		}
		end := strings.IndexByte(s[i:], ']')
		if end < 0 {
			end = len(s) - i
		}
		out = append(out, parseGrant(s[i:i+end]))
		s = s[i+end:]
	}
}

// grantLabels are the labels of a grant, in the order Entra writes them.
var grantLabels = [...]string{"Id", "ClientId", "PrincipalId", "ResourceId", "ConsentType", "Scope"}

func parseGrant(s string) Grant {
	var vals [len(grantLabels)]string
	last := -1
	for _, part := range strings.Split(s, ",") {
		key, val, found := strings.Cut(strings.TrimSpace(part), ":")
		i := labelIndex(key)
		switch {
		case found && i >= 0:
			vals[i] = strings.TrimSpace(val)
			last = i
		case i < 0 && last >= 0 && !strings.HasPrefix(key, "CreatedDateTime") && !strings.HasPrefix(key, "LastModifiedDateTime"):
			// A value that itself held a comma.
			vals[last] += "," + part
		default:
			last = -1
		}
	}
	return Grant{
		ID:          vals[0],
		ClientID:    vals[1],
		PrincipalID: vals[2],
		ResourceID:  vals[3],
		ConsentType: vals[4],
		Scopes:      ParseScope(vals[5]),
	}
}

func labelIndex(key string) int {
	for i, l := range grantLabels {
		if key == l {
			return i
		}
	}
	return -1
}

func isIdentByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// ParseScope splits a space-separated scope string ("User.Read Mail.Send")
// into its permissions, dropping empty entries.
func ParseScope(s string) []string {
	return strings.Fields(s)
}

// IsTrue reports whether a decoded boolean-like item is true ("True",
// "true" or "1"), as the ConsentContext.* properties write them.
func IsTrue(s string) bool {
	s = strings.TrimSpace(s)
	return strings.EqualFold(s, "true") || s == "1"
}
