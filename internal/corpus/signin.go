package corpus

import (
	"fmt"
	"strings"
)

// signInCategories weights the sign-in streams roughly as tenants see them:
// non-interactive and service principal sign-ins outnumber interactive ones.
var signInCategories = []string{
	"SignInLogs", "SignInLogs", "NonInteractiveUserSignInLogs", "NonInteractiveUserSignInLogs",
	"NonInteractiveUserSignInLogs", "ServicePrincipalSignInLogs", "ServicePrincipalSignInLogs",
	"ManagedIdentitySignInLogs",
}

// signIn returns one sign-in diagnostic record.
func (g *gen) signIn() string {
	cat := pick(g.r, signInCategories)
	id, corr := g.guid(), g.guid()
	ip := pick(g.r, g.ips)
	res := pick(g.r, resources)
	loc := pick(g.r, countries)
	errorCode, failure := 0, ""
	if g.r.IntN(10) == 0 {
		errorCode, failure = 50126, "Error validating credentials due to invalid username or password."
	}
	var b strings.Builder
	b.Grow(4096)
	fmt.Fprintf(&b, `{"id":%q,"createdDateTime":%q,`, id, g.stamp())
	identity := ""
	switch cat {
	case "ServicePrincipalSignInLogs", "ManagedIdentitySignInLogs":
		a := pick(g.r, g.apps)
		identity = a.name
		fmt.Fprintf(&b, `"userId":null,"appId":%q,"appDisplayName":%q,"servicePrincipalId":%q,"servicePrincipalName":%q,"servicePrincipalCredentialKeyId":%q,"clientCredentialType":%q,`,
			a.appID, a.name, a.spID, a.name, g.guid(), pick(g.r, []string{"clientSecret", "certificate", "clientAssertion", "managedIdentity"}))
	default:
		u := pick(g.r, g.users)
		a := pick(g.r, g.apps)
		ca := pick(g.r, clientApps)
		identity = u.name
		fmt.Fprintf(&b, `"userDisplayName":%q,"userPrincipalName":%q,"userId":%q,"appId":%q,"appDisplayName":%q,"clientAppUsed":%q,"userAgent":%q,"servicePrincipalId":"","clientCredentialType":"none",`,
			u.name, u.upn, u.id, a.appID, a.name, ca[0], ca[1])
		fmt.Fprintf(&b, `"deviceDetail":{"deviceId":%q,"displayName":"LAPTOP-%04d","operatingSystem":"Windows10","browser":"Edge 141.0.0","isCompliant":%t,"isManaged":%t,"trustType":"Azure AD joined"},`,
			g.guid(), g.r.IntN(10000), g.r.IntN(2) == 0, g.r.IntN(2) == 0)
	}
	fmt.Fprintf(&b, `"ipAddress":%q,"status":{"errorCode":%d,"failureReason":%q,"additionalDetails":"MFA requirement satisfied by claim in the token"},`, ip, errorCode, failure)
	fmt.Fprintf(&b, `"location":{"city":%q,"state":%q,"countryOrRegion":%q,"geoCoordinates":{"latitude":45.4,"longitude":9.1}},`, loc[1], loc[2], loc[0])
	fmt.Fprintf(&b, `"correlationId":%q,"conditionalAccessStatus":"success","appliedConditionalAccessPolicies":[`, corr)
	for i, n := 0, g.r.IntN(7); i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%q,"displayName":%q,"enforcedGrantControls":["Mfa"],"enforcedSessionControls":[],"result":%q,"conditionsSatisfied":3,"conditionsNotSatisfied":0}`,
			g.guid(), pick(g.r, policies), pick(g.r, []string{"success", "notApplied", "notEnabled"}))
	}
	fmt.Fprintf(&b, `],"isInteractive":%t,"tokenIssuerType":"AzureAD","authenticationProcessingDetails":[{"key":"Legacy TLS (TLS 1.0, 1.1, 3DES)","value":"False"},{"key":"Is CAE Token","value":"False"}],`, cat == "SignInLogs")
	fmt.Fprintf(&b, `"processingTimeInMilliseconds":%d,"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none","riskEventTypes":[],"riskEventTypes_v2":[],`, 40+g.r.IntN(400))
	fmt.Fprintf(&b, `"resourceDisplayName":%q,"resourceId":%q,"resourceTenantId":%q,"homeTenantId":%q,"tenantId":%q,`, res[1], res[0], g.tenant, g.tenant, g.tenant)
	fmt.Fprintf(&b, `"authenticationRequirement":"singleFactorAuthentication","userType":"Member","flaggedForReview":false,"isTenantRestricted":false,"autonomousSystemNumber":%d,"crossTenantAccessType":"none",`, 3000+g.r.IntN(60000))
	fmt.Fprintf(&b, `"uniqueTokenIdentifier":%q,"incomingTokenType":"none","authenticationProtocol":%q,"originalTransferMethod":"none","sessionLifetimePolicies":[],"authenticationDetails":[]}`,
		strings.ReplaceAll(g.guid(), "-", ""), g.protocol())
	resultType := "0"
	if errorCode != 0 {
		resultType = fmt.Sprint(errorCode)
	}
	return g.envelope("Sign-in activity", cat, resultType, identity, ip, corr, b.String())
}

// protocol picks an authentication protocol with roughly the shares a
// tenant sees: mostly none and OAuth 2.0, a little SAML and WS-Federation,
// and rare ROPC and device code sign-ins (half a percent each).
func (g *gen) protocol() string {
	switch n := g.r.IntN(1000); {
	case n < 5:
		return "ropc"
	case n < 10:
		return "deviceCode"
	case n < 30:
		return "saml20"
	case n < 40:
		return "wsFederation"
	case n < 400:
		return "oAuth2"
	}
	return "none"
}
