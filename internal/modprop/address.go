package modprop

import (
	"strings"

	"github.com/valyala/fastjson"
)

// Address is one entry of an AppAddress property: a redirect (reply) URI.
type Address struct {
	URI string // Address
	// AddressType is the directory's address kind; 0 is a reply URL.
	AddressType int
	// ClientType is ReplyAddressClientType, the platform the URI is
	// registered for (web, single-page app or public client).
	ClientType int
	// Default is IsReplyAddressDefault.
	Default bool
}

// ParseAppAddress decodes the items of an AppAddress value, each a JSON
// object such as {"AddressType":0,"Address":"https://...",
// "ReplyAddressClientType":1,...}. An item that is a JSON string, or text
// that is not JSON at all, is taken as the URI itself, so plain-text exports
// still decode; other JSON values and objects without an address hold none.
func ParseAppAddress(items []string) []Address {
	var p fastjson.Parser
	var out []Address
	for _, it := range items {
		if a, ok := parseAddress(&p, it); ok {
			out = append(out, a)
		}
	}
	return out
}

// parseAddress reads one AppAddress item.
func parseAddress(p *fastjson.Parser, item string) (Address, bool) {
	v, err := p.Parse(item)
	if err != nil {
		uri := strings.TrimSpace(item)
		return Address{URI: uri}, uri != ""
	}
	switch v.Type() {
	case fastjson.TypeString:
		uri := string(v.GetStringBytes())
		return Address{URI: uri}, uri != ""
	case fastjson.TypeObject:
		a := Address{
			URI:         string(v.GetStringBytes("Address")),
			AddressType: v.GetInt("AddressType"),
			ClientType:  v.GetInt("ReplyAddressClientType"),
			Default:     v.GetBool("IsReplyAddressDefault"),
		}
		return a, a.URI != ""
	}
	return Address{}, false
}

// URIs returns the URIs of addrs.
func URIs(addrs []Address) []string {
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, a.URI)
	}
	return out
}
