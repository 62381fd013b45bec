package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/appwatch/appwatch/internal/termtext"
)

// ErrSignIn matches an error from getting an access token: the credential
// was refused, or none of the ways it tries is available.
var ErrSignIn = errors.New("sign-in failed")

// maxText bounds, in terminal columns, the text from a server or from the
// Azure SDK that an error quotes.
const maxText = 500

// SignIn gets an access token for the client's scopes, so that a caller
// can report a failed sign-in once, before it starts listing. Requests
// get their tokens themselves; calling SignIn is optional. Its error
// matches ErrSignIn and says in one line what Entra ID answered.
func (c *Client) SignIn(ctx context.Context) error {
	_, err := c.token(ctx)
	return err
}

// token gets an access token for the client's scopes.
func (c *Client) token(ctx context.Context) (string, error) {
	tok, err := c.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: c.scopes})
	switch {
	case err == nil:
		return tok.Token, nil
	case ctx.Err() != nil:
		return "", fmt.Errorf("sign in: %w", context.Cause(ctx))
	}
	return "", &signInError{err: err}
}

// signInError is a failure to get a token, described in one line; the
// Azure SDK's own description runs over a dozen.
type signInError struct{ err error }

func (e *signInError) Error() string { return e.Localize(fmt.Sprintf) }

// Localize writes the description through sprintf (see i18n.Localizer);
// what the token endpoint or the credential said stays as they said it.
func (e *signInError) Localize(sprintf func(format string, args ...any) string) string {
	var af *azidentity.AuthenticationFailedError
	if errors.As(e.err, &af) && af.RawResponse != nil {
		return sprintf("sign-in failed: the token endpoint answered %s", authorityAnswer(af.RawResponse))
	}
	return sprintf("sign-in failed: %s", oneLine(e.err.Error()))
}

// Unwrap gives ErrSignIn and the credential's error.
func (e *signInError) Unwrap() []error { return []error{ErrSignIn, e.err} }

// authorityAnswer sums up a refusal from the token endpoint: its status,
// its OAuth error code and the first line of its description, which
// starts with the AADSTS code that Microsoft's documentation explains.
func authorityAnswer(resp *http.Response) string {
	s := resp.Status
	var wire struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if body, err := runtime.Payload(resp); err == nil && json.Unmarshal(body, &wire) == nil && wire.Error != "" {
		s += ": " + wire.Error
		if desc, _, _ := strings.Cut(wire.Description, "\n"); strings.TrimSpace(desc) != "" {
			s += ": " + strings.TrimSpace(desc)
		}
	}
	return termtext.Clip(termtext.Clean(s), maxText)
}

// oneLine joins the lines of a message, leaving out blank lines and rules
// of dashes.
func oneLine(msg string) string {
	var b strings.Builder
	for line := range strings.Lines(msg) {
		line = strings.TrimSpace(line)
		if strings.Trim(line, "-") == "" {
			continue
		}
		if b.Len() > 0 {
			if s := b.String(); strings.HasSuffix(s, ":") || strings.HasSuffix(s, ".") {
				b.WriteString(" ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(line)
	}
	return termtext.Clip(termtext.Clean(b.String()), maxText)
}
