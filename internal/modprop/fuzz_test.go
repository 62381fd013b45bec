package modprop

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecode checks that any value decodes, that the raw text is kept, and
// that strings and string arrays written by a JSON encoder decode back to
// what was written.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`"KeyDescription"`, `["[KeyIdentifier=k,KeyType=Password,KeyUsage=Verify,DisplayName=x]"]`, `[true]`, "null", `""`,
		`[{"AddressType":0,"Address":"https://a","ReplyAddressClientType":1}]`, "Managed", `"\u00a0"`, `[1,[2],{"a":null}]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		var d, fresh Decoder
		v := d.Decode(raw)
		if v.Raw != raw {
			t.Fatalf("Raw = %q, want %q", v.Raw, raw)
		}
		if tr := strings.TrimSpace(raw); (tr == "" || tr == "null") && !v.IsEmpty() {
			t.Fatalf("Decode(%q) holds %q", raw, v.Items)
		}
		if again := d.Decode(raw); !slices.Equal(again.Items, v.Items) || !slices.Equal(fresh.Decode(raw).Items, v.Items) {
			t.Fatalf("Decode(%q) is not repeatable: %q, then %q", raw, v.Items, again.Items)
		}
		if !utf8.ValidString(raw) {
			return
		}
		quoted, _ := json.Marshal(raw)
		if got := d.Decode(string(quoted)); raw != "" && !slices.Equal(got.Items, []string{raw}) || raw == "" && !got.IsEmpty() {
			t.Fatalf("Decode(%s) = %q, want %q", quoted, got.Items, raw)
		}
		list, _ := json.Marshal([]string{raw, "x", raw})
		if got := d.Decode(string(list)); !slices.Equal(got.Items, []string{raw, "x", raw}) {
			t.Fatalf("Decode(%s) = %q", list, got.Items)
		}
	})
}

// FuzzParseKeyDescription checks that credentials always have a key id, and
// that a description written in the audit log's form reads back.
func FuzzParseKeyDescription(f *testing.F) {
	f.Add("[KeyIdentifier=d747da7e-e11b-4af2-aede-0487c44067af,KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=a, O=b]",
		"11ca002d-d846-4692-8e1f-501db99f485a", "Password", "Verify", "key 2")
	f.Add("[KeyType=Password]", "k", "Symmetric", "Sign", "")
	f.Add("DisplayName=[KeyIdentifier=x", "k]", "a", "b", "]]")
	f.Fuzz(func(t *testing.T, item, keyID, typ, usage, name string) {
		for _, c := range ParseKeyDescription([]string{item, "", item}) {
			if c.KeyID == "" {
				t.Fatalf("credential without a key id from %q", item)
			}
		}
		if !plainPart(keyID) || keyID == "" || !plainPart(typ) || !plainPart(usage) {
			return
		}
		desc := "[KeyIdentifier=" + keyID + ",KeyType=" + typ + ",KeyUsage=" + usage + ",DisplayName=" + name + "]"
		want := Credential{KeyID: keyID, Type: typ, Usage: usage, DisplayName: name}
		if got := ParseKeyDescription([]string{desc}); len(got) != 1 || got[0] != want {
			t.Fatalf("ParseKeyDescription(%q) = %+v, want %+v", desc, got, want)
		}
	})
}

// plainPart reports whether s can stand in a KeyDescription field before
// the display name: no separators, no surrounding spaces.
func plainPart(s string) bool {
	return !strings.ContainsAny(s, ",=[]") && strings.TrimSpace(s) == s
}

// FuzzParseAppAddress checks that addresses always have a URI, and that an
// address object written by a JSON encoder reads back.
func FuzzParseAppAddress(f *testing.F) {
	f.Add(`{"AddressType":0,"Address":"https://main.protectioncenter.ext.azure.com","ReplyAddressClientType":0}`, "https://a.example/cb", 4, 2, true)
	f.Add("https://a.example", "", 0, 0, false)
	f.Add(`"http://localhost"`, "urn:ietf:wg:oauth:2.0:oob", -1, 1<<40, false)
	f.Fuzz(func(t *testing.T, item, uri string, addressType, clientType int, def bool) {
		for _, a := range ParseAppAddress([]string{item}) {
			if a.URI == "" {
				t.Fatalf("address without a URI from %q", item)
			}
		}
		if uri == "" || !utf8.ValidString(uri) || addressType != int(int32(addressType)) || clientType != int(int32(clientType)) {
			return
		}
		b, _ := json.Marshal(map[string]any{"AddressType": addressType, "Address": uri, "ReplyAddressClientType": clientType,
			"ReplyAddressIndex": nil, "IsReplyAddressDefault": def})
		want := Address{URI: uri, AddressType: addressType, ClientType: clientType, Default: def}
		if got := ParseAppAddress([]string{string(b)}); len(got) != 1 || got[0] != want {
			t.Fatalf("ParseAppAddress(%s) = %+v, want %+v", b, got, want)
		}
	})
}

// FuzzParseConsentPermissions checks that no input upsets the parser and
// that grants are only found where an "Id:" label opens them.
func FuzzParseConsentPermissions(f *testing.F) {
	f.Add("[] => [[Id: KKVD, ClientId: 4c43a528-ba33-40b0-8821-c8643587f351, PrincipalId: , ResourceId: 911e3bbe-33bf-4a5c-89ff-f2a09363baaa, " +
		"ConsentType: AllPrincipals, Scope:  User.Read Mail.Read, CreatedDateTime: , LastModifiedDateTime ]]; ")
	f.Add("[Id: a, Scope: x] => [Id: b], [Id: c, ClientId: d,e]")
	f.Add("Id:Id:Id:]]]=>=>")
	f.Fuzz(func(t *testing.T, s string) {
		before, after := ParseConsentPermissions(s)
		if n := strings.Count(s, "Id:"); len(before)+len(after) > n {
			t.Fatalf("%d grants from %d Id: labels in %q", len(before)+len(after), n, s)
		}
		for _, g := range append(before, after...) {
			for _, sc := range g.Scopes {
				if sc == "" || strings.ContainsAny(sc, " \t\n") {
					t.Fatalf("scope %q from %q", sc, s)
				}
			}
		}
	})
}
