package modprop

import "github.com/valyala/fastjson"

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
// "ReplyAddressClientType":1,...}. Items that are not such objects but look
// like URIs are kept as addresses, so plain-text exports still decode.
func ParseAppAddress(items []string) []Address {
	var p fastjson.Parser
	var out []Address
	for _, it := range items {
		v, err := p.Parse(it)
		if err != nil || v.Type() != fastjson.TypeObject {
			if it != "" {
				out = append(out, Address{URI: it})
			}
			continue
		}
		a := Address{
			URI:         string(v.GetStringBytes("Address")),
			AddressType: v.GetInt("AddressType"),
			ClientType:  v.GetInt("ReplyAddressClientType"),
			Default:     v.GetBool("IsReplyAddressDefault"),
		}
		if a.URI != "" {
			out = append(out, a)
		}
	}
	return out
}

// URIs returns the URIs of addrs.
func URIs(addrs []Address) []string {
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		out = append(out, a.URI)
	}
	return out
}
