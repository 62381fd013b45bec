package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
)

// Get reads the single object at path (relative to the base URL, such as
// "/policies/authorizationPolicy") with the given query parameters and
// returns its JSON, undecoded. It retries, and reports refusals, as Pages
// does.
func (c *Client) Get(ctx context.Context, path string, query url.Values) (json.RawMessage, error) {
	u := c.resolve(path, query)
	body, err := c.get(ctx, u)
	if err != nil {
		return nil, err
	}
	if !json.Valid(body) {
		return nil, fmt.Errorf("GET %s: response is not JSON", u.Path)
	}
	return body, nil
}
