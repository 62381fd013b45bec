package graph

import (
	"net/url"
	"slices"
	"strings"
)

// encodeQuery encodes query parameters the way Graph documents them: the
// OData system names ($select, $filter, ...) stay literal, and values are
// percent-encoded with spaces as %20 rather than "+", which OData does
// not read as a space. Keys come out sorted, so a query has one spelling.
func encodeQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		name := escape(k)
		if rest, ok := strings.CutPrefix(k, "$"); ok {
			name = "$" + escape(rest)
		}
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(name)
			b.WriteByte('=')
			b.WriteString(escape(v))
		}
	}
	return b.String()
}

func escape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}
