package modprop

import (
	"slices"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name, raw string
		want      []string
	}{
		{"null", "null", nil},
		{"empty", "", nil},
		{"blank", "  ", nil},
		{"JSON-quoted word", `"KeyDescription"`, []string{"KeyDescription"}},
		{"JSON-quoted capitalised boolean", `"True"`, []string{"True"}},
		{"empty JSON string", `""`, nil},
		{"empty array", "[]", nil},
		{"array of strings", `["a","b"]`, []string{"a", "b"}},
		{"array with an empty string", `[""]`, []string{""}},
		{"array of booleans", "[true]", []string{"true"}},
		{"array with nulls", `[null,"x",null]`, []string{"x"}},
		{"array of objects", `[{"AddressType":0,"Address":"https://a"}]`, []string{`{"AddressType":0,"Address":"https://a"}`}},
		{"spaces around JSON", ` ["a"] `, []string{"a"}},
		{"escapes", `"caf\u00e9 \"x\""`, []string{`café "x"`}},
		{"plain text", "Managed", []string{"Managed"}},
		{"plain text that looks like a list", "[KeyIdentifier=abc,KeyType=Password]", []string{"[KeyIdentifier=abc,KeyType=Password]"}},
		{"broken JSON string kept as logged", `"unterminated`, []string{`"unterminated`}},
		{"object kept as logged", ` {"a":1}`, []string{` {"a":1}`}},
		{"number kept as logged", "42", []string{"42"}},
	}
	var d Decoder
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := d.Decode(tt.raw)
			if v.Raw != tt.raw || !slices.Equal(v.Items, tt.want) || v.IsEmpty() != (len(tt.want) == 0) {
				t.Errorf("Decode(%q) = %+v, want items %q", tt.raw, v, tt.want)
			}
		})
	}
}

func TestValueString(t *testing.T) {
	tests := []struct {
		items []string
		want  string
	}{
		{nil, ""},
		{[]string{"a"}, "a"},
		{[]string{"a", "b"}, "a, b"},
	}
	for _, tt := range tests {
		if got := (Value{Items: tt.items}).String(); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.items, got, tt.want)
		}
	}
}

func TestParseKeyDescription(t *testing.T) {
	tests := []struct {
		name  string
		items []string
		want  []Credential
	}{
		{"secret", []string{"[KeyIdentifier=11ca002d-d846-4692-8e1f-501db99f485a,KeyType=Password,KeyUsage=Verify,DisplayName=key 2]"},
			[]Credential{{KeyID: "11ca002d-d846-4692-8e1f-501db99f485a", Type: "Password", Usage: "Verify", DisplayName: "key 2"}}},
		{"certificate subject with commas and equal signs", []string{"[KeyIdentifier=7dffcdc5-f2d5-43ae-86f1-682561befd4b,KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=app, O=Contoso, C=NL]"},
			[]Credential{{KeyID: "7dffcdc5-f2d5-43ae-86f1-682561befd4b", Type: "AsymmetricX509Cert", Usage: "Verify", DisplayName: "CN=app, O=Contoso, C=NL"}}},
		{"empty display name", []string{"[KeyIdentifier=8c123b9d-31e6-4f50-a21f-88eabc8857e5,KeyType=Password,KeyUsage=Verify,DisplayName=]"},
			[]Credential{{KeyID: "8c123b9d-31e6-4f50-a21f-88eabc8857e5", Type: "Password", Usage: "Verify"}}},
		{"no display name, spaces around", []string{"  [KeyIdentifier=k1,KeyType=Symmetric,KeyUsage=Sign]  "},
			[]Credential{{KeyID: "k1", Type: "Symmetric", Usage: "Sign"}}},
		{"item without a key id is skipped", []string{"[KeyType=Password,KeyUsage=Verify]", "", "[KeyIdentifier=k2]"},
			[]Credential{{KeyID: "k2"}}},
		{"none", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ParseKeyDescription(tt.items); !slices.Equal(got, tt.want) {
				t.Errorf("got %+v\n\twant %+v", got, tt.want)
			}
		})
	}
}

func TestAddedCredentials(t *testing.T) {
	a := Credential{KeyID: "0B1C2D3E-4F50-4A6B-8C7D-9E0F1A2B3C4D", Type: "Password"}
	b := Credential{KeyID: "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", Type: "AsymmetricX509Cert"}
	lower := Credential{KeyID: "0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d", Type: "Password"}
	tests := []struct {
		name       string
		prev, next []Credential
		want       []Credential
	}{
		{"one added", []Credential{a}, []Credential{a, b}, []Credential{b}},
		{"reordered, none added", []Credential{a, b}, []Credential{b, a}, nil},
		{"removed", []Credential{a, b}, []Credential{a}, nil},
		{"key ids compare without case", []Credential{a}, []Credential{lower}, nil},
		{"first credential", nil, []Credential{a}, []Credential{a}},
	}
	for _, tt := range tests {
		if got := AddedCredentials(tt.prev, tt.next); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestParseAppAddress(t *testing.T) {
	tests := []struct {
		name  string
		items []string
		want  []Address
	}{
		{"reply addresses", []string{
			`{"AddressType":0,"Address":"https://login.microsoftonline.com/common/oauth2/nativeclient","ReplyAddressClientType":2,"ReplyAddressIndex":null,"IsReplyAddressDefault":false}`,
			`{"AddressType":4,"Address":"https://app.contoso.example/reply","ReplyAddressClientType":1,"IsReplyAddressDefault":true}`,
		}, []Address{
			{URI: "https://login.microsoftonline.com/common/oauth2/nativeclient", ClientType: 2},
			{URI: "https://app.contoso.example/reply", AddressType: 4, ClientType: 1, Default: true},
		}},
		{"pretty-printed with escaped slashes", []string{"{\r\n  \"AddressType\": 0,\r\n  \"Address\": \"https:\\/\\/a.example\\/cb\"\r\n}"},
			[]Address{{URI: "https://a.example/cb"}}},
		{"plain-text URIs", []string{"https://a.example/cb", "urn:ietf:wg:oauth:2.0:oob"},
			[]Address{{URI: "https://a.example/cb"}, {URI: "urn:ietf:wg:oauth:2.0:oob"}}},
		{"JSON string", []string{`"http://localhost"`}, []Address{{URI: "http://localhost"}}},
		{"objects without an address, numbers, empties", []string{`{"AddressType":0}`, "42", "true", "[]", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseAppAddress(tt.items)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %+v\n\twant %+v", got, tt.want)
			}
			if uris := URIs(got); len(uris) != len(got) {
				t.Errorf("URIs = %q", uris)
			}
		})
	}
}

func TestParseConsentPermissions(t *testing.T) {
	// A first consent as the audit log writes it (after one layer of JSON
	// quoting is removed): note "Scope:" followed by two spaces and the
	// colon-less LastModifiedDateTime.
	const first = "[] => [[Id: KKVDTDO6sECIIchkNYfzUb47HpG_M1xKif_yoJNjuqpGZe4DE_HFTrqd5XOBsMko, ClientId: 4c43a528-ba33-40b0-8821-c8643587f351, " +
		"PrincipalId: 03ee6546-f113-4ec5-ba9d-e57381b0c928, ResourceId: 911e3bbe-33bf-4a5c-89ff-f2a09363baaa, ConsentType: Principal, " +
		"Scope:  User.Read, CreatedDateTime: , LastModifiedDateTime ]]; "
	user := Grant{ID: "KKVDTDO6sECIIchkNYfzUb47HpG_M1xKif_yoJNjuqpGZe4DE_HFTrqd5XOBsMko", ClientID: "4c43a528-ba33-40b0-8821-c8643587f351",
		PrincipalID: "03ee6546-f113-4ec5-ba9d-e57381b0c928", ResourceID: "911e3bbe-33bf-4a5c-89ff-f2a09363baaa", ConsentType: "Principal",
		Scopes: []string{"User.Read"}}
	const tenantWide = "[Id: q9, ClientId: c1, PrincipalId: , ResourceId: r1, ConsentType: AllPrincipals, Scope:  User.Read Mail.ReadWrite offline_access, CreatedDateTime: , LastModifiedDateTime ]"
	admin := Grant{ID: "q9", ClientID: "c1", ResourceID: "r1", ConsentType: "AllPrincipals", Scopes: []string{"User.Read", "Mail.ReadWrite", "offline_access"}}
	tests := []struct {
		name          string
		in            string
		before, after []Grant
	}{
		{"first consent", first, nil, []Grant{user}},
		{"amended consent", "[" + tenantWide + "] => [" + tenantWide + "]; ", []Grant{admin}, []Grant{admin}},
		{"two grants", "[] => [" + tenantWide + ", " + tenantWide + "]", nil, []Grant{admin, admin}},
		{"no arrow", tenantWide, nil, []Grant{admin}},
		{"unclosed group", "[] => [[Id: z, ConsentType: Principal, Scope: a b", nil, []Grant{{ID: "z", ConsentType: "Principal", Scopes: []string{"a", "b"}}}},
		{"labels outside a group", "ClientId: x, ResourceId: y", nil, nil},
		{"empty", "", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, after := ParseConsentPermissions(tt.in)
			if !equalGrants(before, tt.before) || !equalGrants(after, tt.after) {
				t.Errorf("got %+v => %+v\n\twant %+v => %+v", before, after, tt.before, tt.after)
			}
		})
	}
}

func equalGrants(a, b []Grant) bool {
	return slices.EqualFunc(a, b, func(x, y Grant) bool {
		return x.ID == y.ID && x.ClientID == y.ClientID && x.PrincipalID == y.PrincipalID && x.ResourceID == y.ResourceID &&
			x.ConsentType == y.ConsentType && slices.Equal(x.Scopes, y.Scopes)
	})
}

func TestScopeAndIsTrue(t *testing.T) {
	if got := ParseScope(" User.Read  openid profile "); !slices.Equal(got, []string{"User.Read", "openid", "profile"}) {
		t.Errorf("ParseScope = %q", got)
	}
	for s, want := range map[string]bool{"True": true, "true": true, " 1 ": true, "False": false, "": false, "yes": false} {
		if IsTrue(s) != want {
			t.Errorf("IsTrue(%q) != %v", s, want)
		}
	}
}
