package graph

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"path"
	"strings"
)

// Version returns a client for another version of the same Graph
// endpoint, such as "beta" for a client of ".../v1.0": the last segment
// of the base URL's path is replaced. The two clients share their
// credential, their requests in flight, their rate limit and the pauses
// Graph asks for, since Graph counts their requests against the same
// budgets.
func (c *Client) Version(version string) *Client {
	v := *c
	base := *c.base
	dir, _ := path.Split(base.Path)
	base.Path = dir + strings.Trim(version, "/")
	v.base = &base
	return &v
}

// TenantID returns the tenant the client's access token was issued by:
// the tid claim of the token, read without checking its signature, which
// only Graph can do. It returns "" when the token is not a JSON Web Token
// or has no tid claim, and an error matching ErrSignIn when no token can
// be had.
func (c *Client) TenantID(ctx context.Context) (string, error) {
	tok, err := c.token(ctx)
	if err != nil {
		return "", err
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", nil
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return "", nil
	}
	var claims struct {
		TID string `json:"tid"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return "", nil
	}
	return strings.ToLower(claims.TID), nil
}
