package event

import (
	"strings"
)

var (
	audit    = []Kind{KindAudit}
	signIn   = []Kind{KindSignIn}
	keyVault = []Kind{KindKeyVault}
	activity = []Kind{KindActivity}
	risk     = []Kind{KindRisk}
)

// FoldProtocol normalizes an authentication protocol, transfer method,
// authentication requirement or object type for comparison: lower case
// without spaces, dashes or underscores, so "Device Code", "device_code" and
// "deviceCode" compare equal, and so do "Service Principal" and
// "ServicePrincipal".
func FoldProtocol(s string) string {
	if isFoldedProtocol(s) {
		return s
	}
	if f, ok := foldedProtocols[s]; ok {
		return f
	}
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r != ' ' && r != '-' && r != '_' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldedProtocols holds the folded forms of the values sign-in logs write,
// so folding them costs no allocation.
var foldedProtocols = map[string]string{
	"oAuth2": "oauth2", "deviceCode": "devicecode", "deviceCodeFlow": "devicecodeflow",
	"wsFederation": "wsfederation", "authenticationTransfer": "authenticationtransfer",
	"unknownFutureValue": "unknownfuturevalue", "ROPC": "ropc", "SAML20": "saml20",
	"singleFactorAuthentication": "singlefactorauthentication", "multiFactorAuthentication": "multifactorauthentication",
	"ServicePrincipal": "serviceprincipal", "Application": "application", "User": "user", "Group": "group",
	"Role": "role", "Device": "device", "Policy": "policy", "Directory": "directory", "Other": "other",
	"Domain": "domain", "Request": "request", "AdministrativeUnit": "administrativeunit",
}

func isFoldedProtocol(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' || c == ' ' || c == '-' || c == '_' || c >= 0x80 {
			return false
		}
	}
	return true
}

// baseFields returns the fields every event may carry, before enrichment.
func baseFields() []*Field {
	var fs []*Field
	fs = append(fs, recordFields()...)
	fs = append(fs, actorFields()...)
	fs = append(fs, targetFields()...)
	fs = append(fs, signInFields()...)
	fs = append(fs, keyVaultFields()...)
	fs = append(fs, azureFields()...)
	fs = append(fs, riskFields()...)
	fs = append(fs, derivedFields()...)
	return fs
}

func recordFields() []*Field {
	return []*Field{
		{Name: "kind", Type: TypeString, Doc: "which log the event comes from: audit, signin, keyvault, activity or risk",
			Get: str(func(e *Event) string { return e.Kind.String() })},
		{Name: "time", Type: TypeTime, Doc: "when the activity happened (not when it was ingested), UTC",
			Graph: "activityDateTime, createdDateTime", Diagnostic: "properties.activityDateTime, properties.createdDateTime, time",
			LogAnalytics: "ActivityDateTime, CreatedDateTime, TimeGenerated", Portal: "Date (UTC)",
			Get: str(func(e *Event) string { return timeText(e.Time) })},
		{Name: "id", Type: TypeString, Doc: "the record's own id; for Key Vault and Activity Log records, the correlation id",
			Graph: "id", Diagnostic: "properties.id", LogAnalytics: "Id", Portal: "Request ID",
			Present: present(HasID),
			Get:     str(func(e *Event) string { return e.ID })},
		{Name: "correlation_id", Type: TypeString, Doc: "the correlation id shared by records of one operation",
			Graph: "correlationId", Diagnostic: "correlationId, properties.correlationId", LogAnalytics: "CorrelationId", Portal: "CorrelationId, Correlation ID",
			Present: present(HasCorrelationID),
			Get:     str(func(e *Event) string { return e.CorrelationID })},
		{Name: "tenant_id", Type: TypeString, Doc: "the tenant the record belongs to",
			Diagnostic: "tenantId, properties.tenantId", LogAnalytics: "AADTenantId, TenantId",
			Present: present(HasTenantID),
			Get:     str(func(e *Event) string { return e.TenantID })},
		{Name: "stream", Type: TypeString, Doc: "the log category: AuditLogs, SignInLogs, NonInteractiveUserSignInLogs, ServicePrincipalSignInLogs, ManagedIdentitySignInLogs, MicrosoftServicePrincipalSignInLogs, AuditEvent, Administrative",
			Diagnostic: "category (top level)", LogAnalytics: "Type (table name), CategoryValue (AzureActivity)",
			Get: str(func(e *Event) string { return e.Stream })},
		{Name: "activity", Type: TypeString, Doc: "the activity or operation name, folded so that dash, spacing, trailing period and case variants compare equal; for the Activity Log, the operation (Microsoft.KeyVault/vaults/write) in every layout. Regular expressions and cased comparisons see it as logged (activity_raw)",
			Graph: "activityDisplayName", Diagnostic: "operationName, properties.activityDisplayName", LogAnalytics: "OperationName, ActivityDisplayName", Portal: "Activity",
			Aliases: []string{"Operation", "ActivityType"},
			Fold:    NormalizeActivity,
			Raw:     "activity_raw",
			Present: present(HasActivity),
			Get:     str(func(e *Event) string { return e.ActivityKey })},
		{Name: "activity_raw", Type: TypeString, Doc: "the activity or operation name exactly as logged",
			Present: present(HasActivity),
			Get:     str(func(e *Event) string { return e.Activity })},
		{Name: "message", Type: TypeList, Doc: "what rules written for several layouts call properties.message: the activity name; in audit records also each modified property as logged, \"displayName\":\"UserType\",\"oldValue\":\"[\\\"Guest\\\"]\",\"newValue\":…; in sign-ins the authentication protocol as the portal names it (ROPC, Device code). Compared like activity",
			Diagnostic: "properties.message",
			Fold:       NormalizeActivity,
			Get:        appendMessage},
		{Name: "category", Type: TypeList, Doc: "the directory category of an audit record (ApplicationManagement, RoleManagement, ...) and the log stream; a rule's category matches either, as the name means one in Graph objects and the other in diagnostic records",
			Graph: "category", Diagnostic: "properties.category", LogAnalytics: "Category", Portal: "Category",
			Get: func(e *Event, dst []string) []string {
				if e.Category != "" {
					dst = append(dst, e.Category)
				}
				if e.Stream != "" {
					dst = append(dst, e.Stream)
				}
				return dst
			}},
		{Name: "directory_category", Type: TypeString, Kinds: audit, Doc: "the directory category of an audit record only",
			Present: present(HasCategory),
			Get:     str(func(e *Event) string { return e.Category })},
		{Name: "service", Type: TypeString, Kinds: audit, Doc: "the service that logged the audit record (Core Directory, PIM, ...)",
			Graph: "loggedByService", Diagnostic: "properties.loggedByService", LogAnalytics: "LoggedByService", Portal: "Service",
			Present: present(HasService),
			Get:     str(func(e *Event) string { return e.Service })},
		{Name: "operation_type", Type: TypeString, Kinds: audit, Doc: "the audit operation type: Add, Update, Assign, Delete, ...",
			Graph: "operationType", Diagnostic: "properties.operationType", LogAnalytics: "AADOperationType",
			Present: present(HasOperationType),
			Get:     str(func(e *Event) string { return e.OperationType })},
		{Name: "result", Type: TypeString, Doc: "success or failure, from the result, status code or HTTP status, whichever the layout has",
			Graph: "result (sign-ins: from status.errorCode)", Diagnostic: "properties.result (sign-ins: from resultType; Key Vault: from properties.httpStatusCode)", LogAnalytics: "Result", Portal: "Result",
			Present: present(HasResult),
			Get:     str(func(e *Event) string { return e.Result })},
		{Name: "result_reason", Type: TypeString, Doc: "why the activity failed or succeeded, as logged; for sign-ins the failure reason",
			Graph: "resultReason", Diagnostic: "properties.resultReason, resultDescription", LogAnalytics: "ResultReason, ResultDescription", Portal: "ResultReason",
			Aliases: []string{"failure_status_reason"},
			Present: present(HasResultReason),
			Get:     str(func(e *Event) string { return e.ResultReason })},
		{Name: "status", Type: TypeList, Doc: "the result (success, failure) and why, as the portal's Status column and rules written for several layouts mean it: the result reason of audit records; the failure reason and status details of sign-ins (MFA denied; user declined the authentication)",
			Portal: "Status",
			Get:    appendStatus},
		{Name: "user_agent", Type: TypeString, Doc: "the client's user agent",
			Graph: "userAgent", Diagnostic: "properties.userAgent", LogAnalytics: "UserAgent", Portal: "User Agent, User agent",
			Present: present(HasUserAgent),
			Get:     str(func(e *Event) string { return e.UserAgent })},
		{Name: "details", Type: TypeList, Kinds: audit, Doc: "additional details as key=value items; use detail.<Key> for one key",
			Graph: "additionalDetails", Diagnostic: "properties.additionalDetails", LogAnalytics: "AdditionalDetails",
			Get: func(e *Event, dst []string) []string {
				for _, d := range e.Details {
					dst = append(dst, d.Key+"="+d.Value)
				}
				return dst
			}},
		{Name: "resource_id", Type: TypeString, Doc: "the resource the record is about: for sign-ins the resource app id, for Key Vault the vault's Azure resource id, for the Activity Log the resource acted on",
			Graph: "resourceId", Diagnostic: "resourceId", LogAnalytics: "ResourceId",
			Get: str(func(e *Event) string {
				switch e.Kind {
				case KindSignIn:
					return e.SignIn.ResourceID
				case KindKeyVault:
					return e.KeyVault.ResourceID
				case KindActivity:
					return e.Azure.ResourceID
				}
				return ""
			})},
		{Name: "source.format", Type: TypeString, Doc: "the layout the record was read from (see docs/layouts.md)",
			Get: str(func(e *Event) string { return e.Source.Format })},
		{Name: "source.file", Type: TypeString, Doc: "the file the record was read from",
			Get: str(func(e *Event) string { return e.Source.File })},
	}
}

func actorFields() []*Field {
	return []*Field{
		{Name: "actor.type", Type: TypeString, Doc: "who acted: user, app or system",
			Portal: "ActorType",
			Get:    str(func(e *Event) string { return e.Actor.Type })},
		{Name: "actor.id", Type: TypeString, Doc: "the actor's object id: the user id, or the service principal id of an app",
			Graph: "initiatedBy.user.id, userId", Diagnostic: "properties.initiatedBy.user.id, properties.userId", LogAnalytics: "UserId", Portal: "ActorObjectId, User ID",
			Aliases: []string{"InitiatedBy.user.id"},
			Present: present(HasActorID),
			Get:     str(func(e *Event) string { return e.Actor.ID })},
		{Name: "actor", Type: TypeList, Doc: "every identifier of the actor (object id, user principal name, display name, app id, service principal id), for searches over the whole initiator",
			Graph: "initiatedBy", Diagnostic: "properties.initiatedBy", LogAnalytics: "InitiatedBy",
			Get: func(e *Event, dst []string) []string {
				a := &e.Actor
				return appendNonEmpty(dst, a.ID, a.UPN, a.Name, a.AppID, a.ServicePrincipalID)
			}},
		{Name: "actor.app_id", Type: TypeString, Doc: "the acting application's app id, when logged (app initiators often have none: the field is then present and null)",
			Graph: "initiatedBy.app.appId", Diagnostic: "properties.initiatedBy.app.appId", Aliases: []string{"InitiatedBy.app.appId"},
			Get:     str(func(e *Event) string { return e.Actor.AppID }),
			Present: func(e *Event) bool { return e.Actor.Type == ActorApp }},
		{Name: "actor.sp_id", Type: TypeString, Doc: "the acting application's service principal id",
			Graph: "initiatedBy.app.servicePrincipalId", Diagnostic: "properties.initiatedBy.app.servicePrincipalId", Portal: "ActorServicePrincipalId",
			Aliases: []string{"InitiatedBy.app.servicePrincipalId"},
			Present: present(HasActorSPID),
			Get:     str(func(e *Event) string { return e.Actor.ServicePrincipalID })},
		{Name: "actor.name", Type: TypeString, Doc: "the actor's display name (user display name, app or service principal name)",
			Graph: "initiatedBy.app.displayName, userDisplayName", Diagnostic: "identity, properties.initiatedBy.app.displayName, properties.userDisplayName", LogAnalytics: "Identity, UserDisplayName", Portal: "ActorDisplayName, User",
			Aliases: []string{"InitiatedBy.app.displayName"},
			Present: present(HasActorName),
			Get:     str(func(e *Event) string { return e.Actor.Name })},
		{Name: "actor.upn", Type: TypeString, Doc: "the acting user's user principal name",
			Graph: "initiatedBy.user.userPrincipalName, userPrincipalName", Diagnostic: "properties.initiatedBy.user.userPrincipalName, properties.userPrincipalName", LogAnalytics: "UserPrincipalName", Portal: "ActorUserPrincipalName, Username",
			Aliases: []string{"InitiatedBy.user.userPrincipalName"},
			Present: present(HasActorUPN),
			Get:     str(func(e *Event) string { return e.Actor.UPN })},
		{Name: "actor.ip", Type: TypeIP, Doc: "the actor's IP address",
			Graph: "initiatedBy.user.ipAddress, ipAddress", Diagnostic: "callerIpAddress, properties.ipAddress", LogAnalytics: "IPAddress, CallerIpAddress, CallerIPAddress", Portal: "IPAddress, IP address",
			Aliases: []string{"InitiatedBy.user.ipAddress"},
			Present: present(HasActorIP),
			Get:     str(func(e *Event) string { return e.Actor.IP })},
		{Name: "actor.user_name", Type: TypeString, Doc: "the actor's display name when the actor is a user",
			Graph: "initiatedBy.user.displayName", Diagnostic: "properties.initiatedBy.user.displayName",
			Get: actorOf(ActorUser, func(a *Actor) string { return a.Name })},
	}
}

func targetFields() []*Field {
	return []*Field{
		{Name: "target.id", Type: TypeList, Kinds: audit, Doc: "the object ids of the targets",
			Graph: "targetResources.id", Diagnostic: "properties.targetResources.id", LogAnalytics: "TargetResources.id", Portal: "Target1ObjectId",
			Get: targets(func(t *Target) string { return t.ID })},
		{Name: "target.type", Type: TypeList, Kinds: audit, Doc: "the types of the targets: ServicePrincipal, Application, User, Role, ... (compared without case, spaces or dashes: Service Principal is ServicePrincipal)",
			Graph: "targetResources.type", Diagnostic: "properties.targetResources.type", LogAnalytics: "TargetResources.type", Portal: "Target1Type",
			Fold: FoldProtocol,
			Get:  targets(func(t *Target) string { return FoldProtocol(t.Type) })},
		{Name: "target.name", Type: TypeList, Kinds: audit, Doc: "the display names of the targets",
			Graph: "targetResources.displayName", Diagnostic: "properties.targetResources.displayName", LogAnalytics: "TargetResources.displayName", Portal: "Target1DisplayName",
			Get: targets(func(t *Target) string { return t.Name })},
		{Name: "target.upn", Type: TypeList, Kinds: audit, Doc: "the user principal names of user targets",
			Graph: "targetResources.userPrincipalName", Diagnostic: "properties.targetResources.userPrincipalName", LogAnalytics: "TargetResources.userPrincipalName", Portal: "Target1UserPrincipalName",
			Get: targets(func(t *Target) string { return t.UPN })},
		{Name: "property.name", Type: TypeList, Kinds: audit, Doc: "the names of the modified properties; use property.<Name>.old and property.<Name>.new for their decoded values",
			Graph: "targetResources.modifiedProperties.displayName", Diagnostic: "properties.targetResources.modifiedProperties.displayName", LogAnalytics: "TargetResources.modifiedProperties.displayName", Portal: "Target1ModifiedProperty1Name",
			Get: func(e *Event, dst []string) []string {
				for i := range e.Targets {
					for _, p := range e.Targets[i].Props {
						dst = append(dst, p.Name)
					}
				}
				return dst
			}},
		{Name: "property.old", Type: TypeList, Kinds: audit, Doc: "the decoded old values of every modified property",
			Graph: "targetResources.modifiedProperties.oldValue", Diagnostic: "properties.targetResources.modifiedProperties.oldValue", LogAnalytics: "TargetResources.modifiedProperties.oldValue", Portal: "Target1ModifiedProperty1OldValue",
			Get: func(e *Event, dst []string) []string { return appendPropertyValues(e, dst, "", true) }},
		{Name: "property.new", Type: TypeList, Kinds: audit, Doc: "the decoded new values of every modified property",
			Graph: "targetResources.modifiedProperties.newValue", Diagnostic: "properties.targetResources.modifiedProperties.newValue", LogAnalytics: "TargetResources.modifiedProperties.newValue", Portal: "Target1ModifiedProperty1NewValue",
			Get: func(e *Event, dst []string) []string { return appendPropertyValues(e, dst, "", false) }},
		{Name: "property.text", Type: TypeList, Kinds: audit, Doc: "the names and decoded old and new values of every modified property, for contains searches over the whole modifiedProperties",
			Graph: "targetResources.modifiedProperties", Diagnostic: "properties.targetResources.modifiedProperties", LogAnalytics: "TargetResources.modifiedProperties",
			Get: appendPropertyText},
		{Name: "consent.is_admin", Type: TypeString, Kinds: audit, Doc: "the decoded new value of the ConsentContext.IsAdminConsent property of Consent to application: True or False",
			Aliases: []string{"ConsentContext.IsAdminConsent"},
			Get: func(e *Event, dst []string) []string {
				return appendPropertyValues(e, dst, "ConsentContext.IsAdminConsent", false)
			}},
		{Name: "targets", Type: TypeList, Kinds: audit, Doc: "all text of all targets (ids, names, types, property names and values), for contains searches over the whole targetResources",
			Graph: "targetResources", Diagnostic: "properties.targetResources", LogAnalytics: "TargetResources", Aliases: []string{"Target"},
			Get: appendTargetText},
	}
}

func appendTargetText(e *Event, dst []string) []string {
	for i := range e.Targets {
		t := &e.Targets[i]
		for _, s := range [...]string{t.ID, t.Type, t.Name, t.UPN} {
			if s != "" {
				dst = append(dst, s)
			}
		}
		for _, p := range t.Props {
			dst = append(dst, p.Name)
			dst = append(dst, p.Old.Items...)
			dst = append(dst, p.New.Items...)
		}
	}
	return dst
}

func signInFields() []*Field {
	return []*Field{
		{Name: "signin.protocol", Type: TypeString, Kinds: signIn, Doc: "the authentication protocol: none, oAuth2, ropc, deviceCode, saml20, wsFederation, ... (compared without case, spaces or dashes)",
			Graph: "authenticationProtocol", Diagnostic: "properties.authenticationProtocol", LogAnalytics: "AuthenticationProtocol", Portal: "Authentication Protocol",
			Fold:    FoldProtocol,
			Present: present(HasSignInProtocol),
			Get:     str(func(e *Event) string { return FoldProtocol(e.SignIn.Protocol) })},
		{Name: "signin.transfer_method", Type: TypeString, Kinds: signIn, Doc: "the original transfer method: none, deviceCodeFlow, authenticationTransfer (compared like signin.protocol)",
			Graph: "originalTransferMethod", Diagnostic: "properties.originalTransferMethod", LogAnalytics: "OriginalTransferMethod", Portal: "Original transfer method",
			Fold:    FoldProtocol,
			Present: present(HasSignInTransferMethod),
			Get:     str(func(e *Event) string { return FoldProtocol(e.SignIn.TransferMethod) })},
		{Name: "signin.status", Type: TypeInt, Kinds: signIn, Doc: "the sign-in error code; 0 is success",
			Graph: "status.errorCode", Diagnostic: "properties.status.errorCode, resultType", LogAnalytics: "ResultType, Status.errorCode", Portal: "Sign-in error code",
			Present: present(HasSignInStatus),
			Get:     str(func(e *Event) string { return e.SignIn.Status })},
		{Name: "signin.failure_reason", Type: TypeString, Kinds: signIn, Doc: "the failure reason of the sign-in",
			Graph: "status.failureReason", Diagnostic: "properties.status.failureReason", LogAnalytics: "Status.failureReason", Portal: "Failure reason",
			Present: present(HasSignInFailureReason),
			Get:     str(func(e *Event) string { return e.SignIn.FailureReason })},
		{Name: "signin.status_detail", Type: TypeString, Kinds: signIn, Doc: "the status details of the sign-in: MFA denied; user declined the authentication, MFA requirement satisfied by claim in the token, ...",
			Graph: "status.additionalDetails", Diagnostic: "properties.status.additionalDetails", LogAnalytics: "Status.additionalDetails",
			Present: present(HasSignInStatusDetail),
			Get:     str(func(e *Event) string { return e.SignIn.StatusDetail })},
		{Name: "signin.auth_requirement", Type: TypeString, Kinds: signIn, Doc: "the authentication the sign-in needed: singleFactorAuthentication or multiFactorAuthentication (compared like signin.protocol, so the portal's Single-factor authentication matches)",
			Graph: "authenticationRequirement", Diagnostic: "properties.authenticationRequirement", LogAnalytics: "AuthenticationRequirement", Portal: "Authentication requirement",
			Fold:    FoldProtocol,
			Present: present(HasSignInAuthRequirement),
			Get:     str(func(e *Event) string { return FoldProtocol(e.SignIn.AuthRequirement) })},
		{Name: "signin.risk_state", Type: TypeString, Kinds: signIn, Doc: "the risk state of the user at the sign-in: none, atRisk, confirmedCompromised, remediated, dismissed, ...",
			Graph: "riskState", Diagnostic: "properties.riskState", LogAnalytics: "RiskState",
			Present: present(HasSignInRiskState),
			Get:     str(func(e *Event) string { return e.SignIn.RiskState })},
		{Name: "signin.network_locations", Type: TypeString, Kinds: signIn, Doc: "the named networks of the sign-in as logged, compact JSON: [] when the sign-in came from none",
			Graph: "networkLocationDetails", Diagnostic: "properties.networkLocationDetails", LogAnalytics: "NetworkLocationDetails",
			Present: present(HasSignInNetworkLocations),
			Get:     str(func(e *Event) string { return e.SignIn.NetworkLocations })},
		deviceField("signin.device_id", "the id of the device, empty when the device is unknown", "deviceId", "Device ID", func(d *Device) string { return d.ID }),
		deviceField("signin.device_name", "the device's display name", "displayName", "", func(d *Device) string { return d.Name }),
		deviceField("signin.device_os", "the device's operating system", "operatingSystem", "Operating System", func(d *Device) string { return d.OS }),
		deviceField("signin.device_browser", "the browser used", "browser", "Browser", func(d *Device) string { return d.Browser }),
		deviceField("signin.device_trust_type", "how the device is joined: Azure AD joined, Hybrid Azure AD joined, Azure AD registered; empty when unknown", "trustType", "Join Type", func(d *Device) string { return d.TrustType }),
		deviceField("signin.device_compliant", "whether the device is compliant: true or false", "isCompliant", "Compliant", func(d *Device) string { return d.Compliant }),
		deviceField("signin.device_managed", "whether the device is managed: true or false", "isManaged", "Managed", func(d *Device) string { return d.Managed }),
		{Name: "signin.app_id", Type: TypeString, Kinds: signIn, Doc: "the app id of the client application",
			Graph: "appId", Diagnostic: "properties.appId", LogAnalytics: "AppId", Portal: "Application ID",
			Present: present(HasSignInAppID),
			Get:     str(func(e *Event) string { return e.SignIn.AppID })},
		{Name: "signin.app_name", Type: TypeString, Kinds: signIn, Doc: "the client application's name",
			Graph: "appDisplayName", Diagnostic: "properties.appDisplayName", LogAnalytics: "AppDisplayName", Portal: "Application",
			Present: present(HasSignInAppName),
			Get:     str(func(e *Event) string { return e.SignIn.AppName })},
		{Name: "signin.resource_id", Type: TypeString, Kinds: signIn, Doc: "the app id of the resource (API) signed in to",
			Graph: "resourceId (signIn)", Diagnostic: "properties.resourceId", LogAnalytics: "ResourceIdentity", Portal: "Resource ID",
			Present: present(HasSignInResourceID),
			Get:     str(func(e *Event) string { return e.SignIn.ResourceID })},
		{Name: "signin.resource_name", Type: TypeString, Kinds: signIn, Doc: "the name of the resource (API) signed in to",
			Graph: "resourceDisplayName", Diagnostic: "properties.resourceDisplayName", LogAnalytics: "ResourceDisplayName", Portal: "Resource",
			Present: present(HasSignInResourceName),
			Get:     str(func(e *Event) string { return e.SignIn.ResourceName })},
		{Name: "signin.sp_id", Type: TypeString, Kinds: signIn, Doc: "the service principal (or managed identity) that signed in",
			Graph: "servicePrincipalId", Diagnostic: "properties.servicePrincipalId", LogAnalytics: "ServicePrincipalId", Portal: "Service principal ID",
			Present: present(HasSignInSPID),
			Get:     str(func(e *Event) string { return e.SignIn.ServicePrincipalID })},
		{Name: "signin.sp_name", Type: TypeString, Kinds: signIn, Doc: "the name of the service principal that signed in",
			Graph: "servicePrincipalName", Diagnostic: "properties.servicePrincipalName", LogAnalytics: "ServicePrincipalName", Portal: "Service principal name",
			Present: present(HasSignInSPName),
			Get:     str(func(e *Event) string { return e.SignIn.ServicePrincipalName })},
		{Name: "signin.credential_type", Type: TypeString, Kinds: signIn, Doc: "the client credential type: none, clientSecret, clientAssertion, certificate, federatedIdentityCredential, ...",
			Graph: "clientCredentialType", Diagnostic: "properties.clientCredentialType", LogAnalytics: "ClientCredentialType", Portal: "Client credential type",
			Present: present(HasSignInCredentialType),
			Get:     str(func(e *Event) string { return e.SignIn.CredentialType })},
		{Name: "signin.credential_key_id", Type: TypeString, Kinds: signIn, Doc: "the key id of the service principal credential used",
			Graph: "servicePrincipalCredentialKeyId", Diagnostic: "properties.servicePrincipalCredentialKeyId", LogAnalytics: "ServicePrincipalCredentialKeyId", Portal: "Credential key ID",
			Present: present(HasSignInCredentialKeyID),
			Get:     str(func(e *Event) string { return e.SignIn.CredentialKeyID })},
		{Name: "signin.interactive", Type: TypeBool, Kinds: signIn, Doc: "whether the sign-in was interactive",
			Graph: "isInteractive", Diagnostic: "properties.isInteractive", LogAnalytics: "IsInteractive",
			Present: present(HasSignInInteractive),
			Get:     str(func(e *Event) string { return e.SignIn.Interactive })},
		{Name: "signin.event_types", Type: TypeList, Kinds: signIn, Doc: "the sign-in event types: interactiveUser, nonInteractiveUser, servicePrincipal, managedIdentity",
			Graph: "signInEventTypes", Diagnostic: "properties.signInEventTypes", LogAnalytics: "SignInEventTypes",
			Get: list(func(e *Event) []string { return e.SignIn.EventTypes })},
		{Name: "signin.incoming_token_type", Type: TypeString, Kinds: signIn, Doc: "the incoming token type: none, primaryRefreshToken, ...",
			Graph: "incomingTokenType", Diagnostic: "properties.incomingTokenType", LogAnalytics: "IncomingTokenType", Portal: "Incoming token type",
			Present: present(HasSignInIncomingTokenType),
			Get:     str(func(e *Event) string { return e.SignIn.IncomingTokenType })},
		{Name: "signin.client_app", Type: TypeString, Kinds: signIn, Doc: "the client app used: Browser, Mobile Apps and Desktop clients, Exchange Web Services, ...",
			Graph: "clientAppUsed", Diagnostic: "properties.clientAppUsed", LogAnalytics: "ClientAppUsed", Portal: "Client app",
			Aliases: []string{"ClientApp"},
			Present: present(HasSignInClientApp),
			Get:     str(func(e *Event) string { return e.SignIn.ClientApp })},
		{Name: "signin.conditional_access", Type: TypeString, Kinds: signIn, Doc: "the conditional access status: success, failure, notApplied",
			Graph: "conditionalAccessStatus", Diagnostic: "properties.conditionalAccessStatus", LogAnalytics: "ConditionalAccessStatus", Portal: "Conditional Access",
			Present: present(HasSignInConditionalAccess),
			Get:     str(func(e *Event) string { return e.SignIn.ConditionalAccess })},
		{Name: "signin.risk_level", Type: TypeString, Kinds: signIn, Doc: "the risk level during sign-in: none, low, medium, high, hidden",
			Graph: "riskLevelDuringSignIn", Diagnostic: "properties.riskLevelDuringSignIn", LogAnalytics: "RiskLevelDuringSignIn",
			Present: present(HasSignInRiskLevel),
			Get:     str(func(e *Event) string { return e.SignIn.RiskLevel })},
		{Name: "signin.country", Type: TypeString, Kinds: signIn, Doc: "the country or region of the sign-in",
			Graph: "location.countryOrRegion", Diagnostic: "properties.location.countryOrRegion", LogAnalytics: "Location", Portal: "Location",
			Get: str(func(e *Event) string { return e.SignIn.Country })},
	}
}

func keyVaultFields() []*Field {
	return []*Field{
		{Name: "keyvault.operation", Type: TypeString, Kinds: keyVault, Doc: "the Key Vault operation: VaultGet, VaultPut, VaultPatch, SecretGet, KeyList, ...",
			LogAnalytics: "OperationName (AzureDiagnostics)",
			Get:          str(func(e *Event) string { return e.KeyVault.Operation })},
		{Name: "keyvault.vault", Type: TypeString, Kinds: keyVault, Doc: "the vault name, lower case (the last segment of the resource id)",
			LogAnalytics: "Resource (AzureDiagnostics)",
			Get:          str(func(e *Event) string { return e.KeyVault.Vault })},
		{Name: "keyvault.resource_id", Type: TypeString, Kinds: keyVault, Doc: "the vault's Azure resource id",
			Diagnostic: "resourceId (AuditEvent)", LogAnalytics: "ResourceId (AzureDiagnostics)",
			Get: str(func(e *Event) string { return e.KeyVault.ResourceID })},
		{Name: "keyvault.object", Type: TypeString, Kinds: keyVault, Doc: "the URI of the vault, secret, key or certificate acted on",
			Diagnostic: "properties.id (AuditEvent)", LogAnalytics: "id_s",
			Get: str(func(e *Event) string { return e.KeyVault.Object })},
		{Name: "keyvault.request_uri", Type: TypeString, Kinds: keyVault, Doc: "the request URI",
			Diagnostic: "properties.requestUri", LogAnalytics: "requestUri_s",
			Get: str(func(e *Event) string { return e.KeyVault.RequestURI })},
		{Name: "keyvault.http_status", Type: TypeInt, Kinds: keyVault, Doc: "the HTTP status of the request; the reliable result (resultType says Success even on 403)",
			Diagnostic: "properties.httpStatusCode", LogAnalytics: "httpStatusCode_d",
			Get: str(func(e *Event) string { return e.KeyVault.HTTPStatus })},
		{Name: "keyvault.result_signature", Type: TypeString, Kinds: keyVault, Doc: "the result signature: OK, Accepted, Forbidden, Not Found, ...",
			Diagnostic: "resultSignature", LogAnalytics: "ResultSignature",
			Get: str(func(e *Event) string { return e.KeyVault.ResultSignature })},
		{Name: "keyvault.client_info", Type: TypeString, Kinds: keyVault, Doc: "the client information (user agent) of the request",
			Diagnostic: "properties.clientInfo", LogAnalytics: "clientInfo_s",
			Get: str(func(e *Event) string { return e.KeyVault.ClientInfo })},
		{Name: "keyvault.policy_added.object_id", Type: TypeString, Kinds: keyVault, Doc: "the object id given access by an access policy change",
			Diagnostic: "properties.addedAccessPolicy.ObjectId", LogAnalytics: "addedAccessPolicy_ObjectId_g",
			Get: str(func(e *Event) string { return policyObject(e.KeyVault.Added) })},
		{Name: "keyvault.policy_added.permissions", Type: TypeList, Kinds: keyVault, Doc: "the permissions granted by an access policy change, as keys:get, secrets:list, ...",
			Diagnostic: "properties.addedAccessPolicy.Permissions", LogAnalytics: "addedAccessPolicy_Permissions_keys_s",
			Get: func(e *Event, dst []string) []string { return appendPolicy(dst, e.KeyVault.Added) }},
		{Name: "keyvault.policy_removed.object_id", Type: TypeString, Kinds: keyVault, Doc: "the object id whose access policy was removed",
			Diagnostic: "properties.removedAccessPolicy.ObjectId", LogAnalytics: "removedAccessPolicy_ObjectId_g",
			Get: str(func(e *Event) string { return policyObject(e.KeyVault.Removed) })},
		{Name: "keyvault.policy_removed.permissions", Type: TypeList, Kinds: keyVault, Doc: "the permissions removed by an access policy change",
			Diagnostic: "properties.removedAccessPolicy.Permissions", LogAnalytics: "removedAccessPolicy_Permissions_keys_s",
			Get: func(e *Event, dst []string) []string { return appendPolicy(dst, e.KeyVault.Removed) }},
	}
}

func policyObject(p *AccessPolicy) string {
	if p == nil {
		return ""
	}
	return p.ObjectID
}

func appendPolicy(dst []string, p *AccessPolicy) []string {
	if p == nil {
		return dst
	}
	for _, g := range [...]struct {
		kind  string
		perms []string
	}{{"keys", p.Keys}, {"secrets", p.Secrets}, {"certificates", p.Certificates}, {"storage", p.Storage}} {
		for _, perm := range g.perms {
			dst = append(dst, g.kind+":"+perm)
		}
	}
	return dst
}

func azureFields() []*Field {
	return []*Field{
		{Name: "azure.operation", Type: TypeString, Kinds: activity, Doc: "the Azure operation: Microsoft.KeyVault/vaults/write, Microsoft.Authorization/roleAssignments/write, ...",
			Diagnostic: "operationName.value (Activity Log)", LogAnalytics: "OperationNameValue",
			Get: str(func(e *Event) string { return e.Azure.Operation })},
		{Name: "azure.operation_display", Type: TypeString, Kinds: activity, Doc: "the localized name of the operation (Create or Update Vault) that the REST export and Log Analytics give beside it",
			Graph: "operationName.localizedValue (REST export)", LogAnalytics: "OperationName (AzureActivity)",
			Get: str(func(e *Event) string { return e.Azure.OperationDisplay })},
		{Name: "azure.provider", Type: TypeString, Kinds: activity, Doc: "the resource provider: Microsoft.KeyVault, Microsoft.Authorization, ...",
			Diagnostic: "resourceProviderName.value", LogAnalytics: "ResourceProviderValue",
			Get: str(func(e *Event) string { return e.Azure.Provider })},
		{Name: "azure.resource_id", Type: TypeString, Kinds: activity, Doc: "the Azure resource id acted on",
			LogAnalytics: "_ResourceId",
			Get:          str(func(e *Event) string { return e.Azure.ResourceID })},
		{Name: "azure.status", Type: TypeString, Kinds: activity, Doc: "the operation status: Started, Accepted, Succeeded, Failed",
			Diagnostic: "status.value", LogAnalytics: "ActivityStatusValue",
			Get: str(func(e *Event) string { return e.Azure.Status })},
		{Name: "azure.principal_id", Type: TypeString, Kinds: activity, Doc: "the principal given a role, for role assignments",
			Get: str(func(e *Event) string { return e.Azure.PrincipalID })},
		{Name: "azure.principal_type", Type: TypeString, Kinds: activity, Doc: "the type of the principal given a role: User, Group, ServicePrincipal",
			Get: str(func(e *Event) string { return e.Azure.PrincipalType })},
		{Name: "azure.role_definition_id", Type: TypeString, Kinds: activity, Doc: "the role definition id assigned (the GUID)",
			Get: str(func(e *Event) string { return e.Azure.RoleDefinitionID })},
		{Name: "azure.scope", Type: TypeString, Kinds: activity, Doc: "the scope of the role assignment or operation",
			Diagnostic: "authorization.scope",
			Get:        str(func(e *Event) string { return e.Azure.Scope })},
	}
}

func riskFields() []*Field {
	return []*Field{
		{Name: "risk.event_type", Type: TypeString, Kinds: risk, Doc: "the kind of risk detected: unfamiliarFeatures, anonymizedIPAddress, unlikelyTravel, leakedCredentials, passwordSpray, ...",
			Graph: "riskEventType, riskType", Diagnostic: "properties.riskEventType, properties.riskType", LogAnalytics: "RiskEventType, RiskType",
			Present: present(HasRiskEventType),
			Get:     str(func(e *Event) string { return e.Risk.EventType })},
		{Name: "risk.state", Type: TypeString, Kinds: risk, Doc: "the state of the detection: atRisk, confirmedCompromised, remediated, dismissed, ...",
			Graph: "riskState", Diagnostic: "properties.riskState", LogAnalytics: "RiskState",
			Present: present(HasRiskState),
			Get:     str(func(e *Event) string { return e.Risk.State })},
		{Name: "risk.level", Type: TypeString, Kinds: risk, Doc: "the risk level of the detection: low, medium, high, hidden, none",
			Graph: "riskLevel", Diagnostic: "properties.riskLevel", LogAnalytics: "RiskLevel",
			Present: present(HasRiskLevel),
			Get:     str(func(e *Event) string { return e.Risk.Level })},
		{Name: "risk.detail", Type: TypeString, Kinds: risk, Doc: "why the detection is in its state: none, adminDismissedAllRiskForUser, userPassedMFADrivenByRiskBasedPolicy, ...",
			Graph: "riskDetail", Diagnostic: "properties.riskDetail", LogAnalytics: "RiskDetail",
			Present: present(HasRiskDetail),
			Get:     str(func(e *Event) string { return e.Risk.Detail })},
		{Name: "risk.source", Type: TypeString, Kinds: risk, Doc: "what detected the risk: IdentityProtection, MicrosoftCloudAppSecurity, ...",
			Graph: "source", Diagnostic: "properties.source", LogAnalytics: "Source",
			Present: present(HasRiskSource),
			Get:     str(func(e *Event) string { return e.Risk.Source })},
		{Name: "risk.timing", Type: TypeString, Kinds: risk, Doc: "when the risk was detected relative to the activity: realtime, nearRealtime, offline",
			Graph: "detectionTimingType", Diagnostic: "properties.detectionTimingType", LogAnalytics: "DetectionTimingType",
			Present: present(HasRiskTiming),
			Get:     str(func(e *Event) string { return e.Risk.Timing })},
		{Name: "risk.activity", Type: TypeString, Kinds: risk, Doc: "what the detection is about: signin, user or servicePrincipal",
			Graph: "activity (riskDetection)", LogAnalytics: "Activity (AADUserRiskEvents)",
			Get: str(func(e *Event) string { return e.Risk.Activity })},
	}
}

// deviceField makes a field of a sign-in's deviceDetail member, present
// (if perhaps empty) whenever the record has deviceDetail.
func deviceField(name, doc, member, portal string, get func(d *Device) string) *Field {
	typ := TypeString
	if strings.HasPrefix(member, "is") {
		typ = TypeBool
	}
	return &Field{Name: name, Type: typ, Kinds: signIn, Doc: doc,
		Graph: "deviceDetail." + member, Diagnostic: "properties.deviceDetail." + member, LogAnalytics: "DeviceDetail." + member, Portal: portal,
		Get: str(func(e *Event) string {
			if d := e.SignIn.Device; d != nil {
				return get(d)
			}
			return ""
		}),
		Present: func(e *Event) bool { return e.SignIn.Device != nil },
	}
}

// appendNonEmpty appends the values of vs that are not empty.
func appendNonEmpty(dst []string, vs ...string) []string {
	for _, v := range vs {
		if v != "" {
			dst = append(dst, v)
		}
	}
	return dst
}

// appendStatus appends the result and why: the result reason of an audit
// record, the failure reason and status details of a sign-in.
func appendStatus(e *Event, dst []string) []string {
	dst = appendNonEmpty(dst, e.Result, e.ResultReason)
	if e.Kind == KindSignIn {
		dst = appendNonEmpty(dst, e.SignIn.StatusDetail)
		if e.SignIn.FailureReason != e.ResultReason {
			dst = appendNonEmpty(dst, e.SignIn.FailureReason)
		}
	}
	return dst
}

// protocolLabels are the folded labels the Entra portal shows for
// authentication protocols, by folded protocol.
var protocolLabels = map[string]string{"devicecode": "device code", "ropc": "ropc"}

// appendMessage appends the values of the message field: for sign-ins the
// protocol as the portal names it; otherwise the activity and, for audit
// records, each modified property as logged.
func appendMessage(e *Event, dst []string) []string {
	if e.Kind == KindSignIn {
		p := FoldProtocol(e.SignIn.Protocol)
		if l, ok := protocolLabels[p]; ok {
			p = l
		}
		return appendNonEmpty(dst, p)
	}
	dst = appendNonEmpty(dst, e.ActivityKey)
	if e.Kind != KindAudit {
		return dst
	}
	for i := range e.Targets {
		for _, p := range e.Targets[i].Props {
			dst = append(dst, NormalizeActivity(propertyMessage(p)))
		}
	}
	return dst
}

// propertyMessage writes a modified property the way Entra logs it inside
// targetResources, without the braces:
// "displayName":"UserType","oldValue":"[\"Guest\"]","newValue":"[\"Member\"]".
func propertyMessage(p Property) string {
	b := make([]byte, 0, 48+len(p.Name)+len(p.Old.Raw)+len(p.New.Raw))
	b = append(b, `"displayName":`...)
	b = appendJSONString(b, p.Name)
	b = append(b, `,"oldValue":`...)
	b = appendJSONValue(b, p.Old.Raw)
	b = append(b, `,"newValue":`...)
	b = appendJSONValue(b, p.New.Raw)
	return string(b)
}

// appendJSONValue appends s as a JSON string, or null when s is empty.
func appendJSONValue(b []byte, s string) []byte {
	if s == "" {
		return append(b, "null"...)
	}
	return appendJSONString(b, s)
}

// appendJSONString appends s quoted as JSON writes it.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// appendPropertyText appends the name and decoded old and new values of
// every modified property.
func appendPropertyText(e *Event, dst []string) []string {
	for i := range e.Targets {
		for _, p := range e.Targets[i].Props {
			dst = appendNonEmpty(dst, p.Name)
			dst = append(dst, p.Old.Items...)
			dst = append(dst, p.New.Items...)
		}
	}
	return dst
}
