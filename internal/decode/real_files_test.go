package decode

import "github.com/appwatch/appwatch/internal/event"

// The values below were read from the published samples in shared/data/real
// (see its MANIFEST.md), one row per file. They are written out by hand, not
// produced by the decoder, so that a wrong normalization shows up here.

// Keys of activities that recur below.
const (
	signInKey  = "sign-in activity"
	certSecret = "update application-certificates and secrets management"
)

func user(id, upn, name, ip string) event.Actor {
	return event.Actor{Type: event.ActorUser, ID: id, UPN: upn, Name: name, IP: ip}
}

// auditApp is an application initiator of an audit record, known by its
// service principal.
func auditApp(sp, appID, name, ip string) event.Actor {
	id := sp
	if id == "" {
		id = appID
	}
	return event.Actor{Type: event.ActorApp, ID: id, AppID: appID, ServicePrincipalID: sp, Name: name, IP: ip}
}

func tgt(id, typ, name, upn string) event.Target {
	return event.Target{ID: id, Type: typ, Name: name, UPN: upn}
}

func items(s ...string) []string { return s }

// audit returns the common part of an audit record.
func audit(time, id, tenant, activity, key, result string, actor event.Actor, targets ...event.Target) want {
	return want{kind: event.KindAudit, time: time, id: id, tenant: tenant, stream: "AuditLogs",
		activity: activity, key: key, result: result, actor: actor, targets: targets}
}

func (w want) with(props ...prop) want { w.props = props; return w }

func realFileTable() []realFile {
	var rows []realFile
	rows = append(rows, auditDocsRows()...)
	rows = append(rows, riskRows()...)
	rows = append(rows, auditElasticRows()...)
	rows = append(rows, auditGraph2otelRows()...)
	rows = append(rows, auditLogAnalyticsRows()...)
	rows = append(rows, auditSekoiaEventHubRows()...)
	rows = append(rows, auditSekoiaGraphRows()...)
	rows = append(rows, auditOtherGraphRows()...)
	rows = append(rows, signInDiagnosticRows()...)
	rows = append(rows, signInSekoiaRows()...)
	rows = append(rows, signInGraphRows()...)
	rows = append(rows, keyVaultDocsRows()...)
	rows = append(rows, keyVaultSekoiaRows()...)
	rows = append(rows, keyVaultSecurathesisRows()...)
	rows = append(rows, activityLogRows()...)
	rows = append(rows, skippedRows()...)
	return rows
}

func auditDocsRows() []realFile {
	return []realFile{
		{path: "audit/azure-docs__auditlogs-diag-records-2018-12-AuditLogs-update-policy-result-numeric.json", records: 1, events: []want{
			// result is the number 0; initiatedBy is {} and the envelope names MS-PIM.
			audit("2018-12-10T00:03:46.6161822Z", "Directory_VNXV4_28148892", "7918d4b5-0442-4a97-be2d-36f9f9962ece",
				"Update policy", "update policy", "success", event.Actor{Type: event.ActorSystem, Name: "MS-PIM"},
				tgt("5e7a8ae7-165d-44a4-a4f4-6141f8c8ef40", "Policy", "Default Policy", "")),
		}},
		{path: "audit/azure-docs__auditlogs-diag-records-legacy2018-category-Audit-change-password.json", records: 1, events: []want{
			func() want {
				w := audit("2018-03-17T00:14:31.2585575Z", "60d5e89a-b890-413f-9e25-a047734afe9f", "bf85dc9d-cb43-44a4-80c4-469e8c58249e",
					"Change password (self-service)", "change password (self-service)", "success",
					user("", "sreens@wingtiptoysonline.com", "sreens@wingtiptoysonline.com", ""),
					tgt("7a408bdd-7d97-4574-8511-dd747b56465d", "User", "", "sreens@wingtiptoysonline.com"))
				w.stream = "Audit"
				return w
			}(),
		}},
		{path: "audit/azure-docs__auditlogs-diag-records-legacy2018-category-Audit-update-service-principal.json", records: 1, events: []want{
			func() want {
				w := audit("2018-03-18T19:47:43.0368859Z", "14916c7a-5a7d-44e8-9b06-74b49efb08ee", "bf85dc9d-cb43-44a4-80c4-469e8c58249e",
					"Update service principal.", "update service principal", "success", event.Actor{Type: event.ActorSystem},
					tgt("ea70a262-4da3-440a-b396-9734ddfd9df2", "ServicePrincipal", "Salesforce", "")).with(
					prop{0, "Included Updated Properties", nil, nil},
					prop{0, "TargetId.ServicePrincipalNames", nil, items("http://adapplicationregistry.onmicrosoft.com/salesforce.com/primary;cd3ed3de-93ee-400b-8b19-b61ef44a0f29")},
				)
				w.stream = "Audit"
				return w
			}(),
		}},
	}
}

func auditElasticRows() []realFile {
	const tenant = "4bbb79f7-5724-4c9e-95f3-de075f6ec090"
	const spn = "a70a7931-c387-4dce-9f35-fbf95bdcc91e;https://identity.azure.net/N8CUySpCeRFU3iB/PEuFlON4zd8+n8d3qgzrF1MviSY="
	key := func(id string) string {
		return "[KeyIdentifier=" + id + ",KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName=CN=a70a7931-c387-4dce-9f35-fbf95bdcc91e]"
	}
	msi := auditApp("b9814691-9ca1-4e55-a1ac-8ef5dd010ec0", "", "Managed Service Identity", "1.128.3.4")
	billing := tgt("a7d5dcbe-0627-4ddf-a2f4-86b6785bcc42", "ServicePrincipal", "billing-test-wus", "")
	device := func(actor event.Actor, propName string) want {
		return audit("2019-10-18T15:30:51.0273716Z", "Directory_ESQ", "8a4de8b5-095c-47d0-a96f-a75130c61d53", "Update device", "update device",
			"success", actor, tgt("8a4de8b5-095c-47d0-a96f-a75130c61d53", "Device", "LAPTOP-12", "")).with(
			// newValue "\"\"" is an empty JSON string and oldValue "" is empty: no items.
			prop{0, propName, nil, nil})
	}
	return []realFile{
		{path: "audit/elastic-integrations__auditlogs-sample-sp-credentials.log", records: 3, events: []want{
			audit("2022-01-22T18:15:02.5168093Z", "Directory_53161141-e3f4-4944-85b6-7b953f17265e_6X649_134684731", tenant,
				"Add service principal credentials", "add service principal credentials", "success", msi, billing).with(
				prop{0, "KeyDescription",
					items(key("7dffcdc5-f2d5-43ae-86f1-682561befd4b"), key("c9c0b961-a80a-4a71-9c3a-b67b33edf874")),
					items(key("c9c0b961-a80a-4a71-9c3a-b67b33edf874"), key("7dffcdc5-f2d5-43ae-86f1-682561befd4b"), key("d747da7e-e11b-4af2-aede-0487c44067af"))},
				prop{0, "Included Updated Properties", nil, items("KeyDescription")},
				prop{0, "TargetId.ServicePrincipalNames", nil, items(spn)},
			),
			audit("2022-01-22T18:15:02.5168093Z", "Directory_53161141-e3f4-4944-85b6-7b953f17265e_6X649_134684743", tenant,
				"Update service principal", "update service principal", "success", msi, billing).with(
				prop{0, "Included Updated Properties", nil, items("KeyDescription")}),
			audit("2022-01-22T18:15:02.3875429Z", "Directory_87979703-118b-498f-99c2-ccd1a56f1a5a_ULAYA_144938566", tenant,
				"Update service principal", "update service principal", "success", msi, billing).with(
				prop{0, "TargetId.ServicePrincipalNames", nil, items(spn)}),
		}},
		{path: "audit/elastic-integrations__auditlogs-result-reason-add-member-to-role.log", records: 1, events: []want{
			// The malformed IPv6 caller address is kept as logged.
			audit("2022-01-22T18:22:41.5091873Z", "Directory_3d6f1a4c-92be-4b17-8e5d-7c0a4f2b9e13_KLQ7R_188214903", tenant,
				"Add member to role", "add member to role", "failure",
				auditApp("b9814691-9ca1-4e55-a1ac-8ef5dd010ec0", "", "Managed Service Identity", "::2a02:cf40:add:4002:91f2:a9b2:e09a:6fc6"),
				billing).with(prop{0, "TargetId.ServicePrincipalNames", nil, items(spn)}),
		}},
		{path: "audit/elastic-integrations__auditlogs-raw-update-device.log", records: 3, events: []want{
			device(auditApp("8a4de8b5-095c-47d0-a96f-a75130c61d53", "id", "Device Registration Service", ""), "Included Updated Properties"),
			device(user("8a4de8b5-095c-47d0-a96f-a75130c61d53", "UserName", "User Registration Service", "0.0.0.0"), "Included Updated Properties"),
			device(user("8a4de8b5-095c-47d0-a96f-a75130c61d53", "UserName", "", "0.0.0.0"), ""),
		}},
	}
}

func auditGraph2otelRows() []realFile {
	return []realFile{
		{path: "audit/graph2otel__blobAuditRecord.json", records: 1, events: []want{
			// activityDateTime has 6 fraction digits, time 7; the same instant.
			audit("2026-07-18T10:55:48.828746Z", "Sync_abc_1234", "", "Execution", "execution", "success",
				event.Actor{Type: event.ActorApp, Name: "Azure AD Cloud Sync"}, tgt("", "", "Grafana PS", "")),
		}},
		{path: "audit/graph2otel__liveAddServicePrincipal.json", records: 1, events: []want{
			audit("", "Directory_add_sp_1", "", "Add service principal", "add service principal", "success",
				event.Actor{Type: event.ActorSystem}, tgt("", "", "Some App", "")).with(
				prop{0, "AccountEnabled", nil, items("true")},
				prop{0, "DisplayName", nil, items("Some App")},
				prop{0, "Credential", nil, items(`{"CredentialType":2,"KeyId":"SECRET-KEY-MATERIAL"}`)},
			),
		}},
		{path: "audit/graph2otel__liveAppRoleGrant.json", records: 1, events: []want{
			audit("2026-07-19T14:46:48.608604Z", "Directory_4349d310-67d3-4bf8-835c-60e36b35bac4_U7DT3_22818033", "",
				"Add app role assignment to service principal", "add app role assignment to service principal", "success",
				auditApp("8f35f4e9-5c91-42db-a1f7-d77ada4cc0a2", "", "homelab-agentic-mgmt", ""),
				tgt("62cb17e7-d25e-4356-ad51-a861585f8634", "ServicePrincipal", "Microsoft Graph", "")).with(
				prop{0, "AppRole.Id", nil, items("242607bd-1d2c-432c-82eb-bdb27baa23ab")},
				prop{0, "AppRole.Value", nil, items("TeamSettings.Read.All")},
				prop{0, "ServicePrincipal.DisplayName", nil, items("graph2otel-poller")},
				prop{0, "ServicePrincipal.AppId", nil, items("2c92ce28-126c-47c1-82b0-410b64502989")},
			),
		}},
		{path: "audit/graph2otel__liveDirectoryAudit.json", records: 1, events: []want{
			audit("2026-07-17T13:48:10.9301252Z", "Directory_3b267148-9777-40a3-8f35-4adf76967557_6LPVG_73478882", "",
				"Update device", "update device", "success",
				auditApp("8ab73e2f-f11f-4bf3-a693-7a9d37bd5b49", "", "Intune Compliance Client Prod", ""),
				tgt("101b82ba-75ef-45d3-8b66-63672be4fbb4", "Device", "Rob’s MacBook Pro", "")).with(
				prop{0, "IsCompliant", items("false"), items("true")},
				prop{0, "TargetId.DeviceOSType", nil, items("MacMDM")},
			),
		}},
		{path: "audit/graph2otel__liveRoleAssignment.json", records: 1, events: []want{
			audit("2026-07-17T10:12:27.185138Z", "Directory_36994c2a-d7ee-47cd-a06a-7ef7c4908563_I26NV_185150517", "",
				"Add member to role", "add member to role", "success",
				auditApp("21a5400e-6743-4c9f-812b-1791d41ab2b5", "", "PurviewRoleAssignmentMigrator", ""),
				tgt("13371536-9950-4988-90f4-343566456781", "ServicePrincipal", "graph2otel-poller", ""),
				tgt("02d5655b-c1cf-4e5f-98da-5fb919085bf6", "Role", "", "")).with(
				prop{0, "Role.DisplayName", nil, items("Purview Workload Content Writer")},
				prop{0, "Role.TemplateId", nil, items("02d5655b-c1cf-4e5f-98da-5fb919085bf6")},
				prop{0, "Role.WellKnownObjectName", nil, items("PurviewWorkloadContentWriter")},
				prop{0, "TargetId.ServicePrincipalNames", nil, items("2c92ce28-126c-47c1-82b0-410b64502989")},
			),
		}},
	}
}

func auditLogAnalyticsRows() []realFile {
	key := func(id, name string) string {
		return "[KeyIdentifier=" + id + ",KeyType=Password,KeyUsage=Verify,DisplayName=" + name + "]"
	}
	const activity = "Update application – Certificates and secrets management "
	lab := func(id, actorID, upn, ip string, target event.Target, old, new []string) want {
		// The hunting query export has no time column.
		return audit("", id, "", activity, certSecret, "success", user(actorID, upn, "", ip), target).with(
			prop{0, "KeyDescription", old, new}, prop{0, "Included Updated Properties", nil, items("KeyDescription")})
	}
	const vadim = "VadimJ@buildseccxpninja.onmicrosoft.com"
	const vadimID = "5a1c81ba-786d-41bc-a8f0-5e999da7b7c9"
	const otrfTenant = "00000000-0000-0000-0000-000000000000"
	pg := user("aead923d-498b-4f64-a66c-2af91447a8b6", "pgustavo@simulandlabs.com", "", "")
	simuland := tgt("11b49e19-2326-4be6-93cb-7f37439bbd81", "Application", "SimuLandApp", "")
	otrfCred := audit("2021-08-02T13:29:25.983Z", "Directory_10065ffb-8199-48bc-8ff5-912cb5b8295a_AUMVX_13992832", otrfTenant,
		activity, certSecret, "success", pg, simuland).with(
		prop{0, "KeyDescription", nil, items(key("59eaeebc-8a6b-44a6-9f24-7d55e64420c9", "SimuLandCreds"))})
	const rraOld = `{"ResourceAppId":"00000003-0000-0000-c000-000000000000","RequiredAppPermissions":[` +
		`{"EntitlementId":"e1fe6dd8-ba31-4d61-89e7-88639da4683d","DirectAccessGrant":false,"ImpersonationAccessGrants":[20]}],"EncodingVersion":1}`
	const rraNew = `{"ResourceAppId":"00000003-0000-0000-c000-000000000000","RequiredAppPermissions":[` +
		`{"EntitlementId":"e1fe6dd8-ba31-4d61-89e7-88639da4683d","DirectAccessGrant":false,"ImpersonationAccessGrants":[20]},` +
		`{"EntitlementId":"024d486e-b451-40bb-833d-3e66d98c5c73","DirectAccessGrant":false,"ImpersonationAccessGrants":[20]}],"EncodingVersion":1}`
	return []realFile{
		{path: "audit/azure-sentinel__training-lab-AuditLogs_Hunting.csv", records: 5, events: []want{
			lab("Directory_9cee9603-bca7-4e62-9634-f1bfdc39ca2f_1261B_35670955", "34070915-82ff-492a-801f-e90484e79248",
				"victim@buildseccxpninja.onmicrosoft.com", "45.153.160.2",
				tgt("020c2630-81fb-5678-9a9c-ce9984a45458", "Application", "purview-spn-user099", ""),
				items(key("4245f2f5-4052-4c5b-afe8-1d7885d9bb39", "purview-api")),
				items(key("4245f2f5-4052-4c5b-afe8-1d7885d9bb39", "purview-api"), key("11ca002d-d846-4692-8e1f-501db99f485a", "key 2"))),
			lab("Directory_05cb7360-e689-4ce0-ba41-90aea748f764_40B6F_20567843", "04dc7a40-2617-4044-b6e7-fdd8771b88a2", vadim, "192.168.5.8",
				tgt("a05db9f5-91e6-4bba-xxxx-cf38984e89fc", "Application", "EntApp01", ""),
				nil, items(key("1714a3cf-c8dc-40e6-bc2a-fdfaf55baf42", "PurviewAppAccess"))),
			lab("Directory_c12b4df2-9263-4f72-aeac-a0947ee77886_T6RO5_48034739", vadimID, vadim, "185.20.35.69",
				tgt("a9929be8-b429-4918-ab41-0604fc9356b4", "Application", "EntApp02", ""),
				nil, items(key("8c123b9d-31e6-4f50-a21f-88eabc8857e5", ""))),
			lab("Directory_eb556ded-81df-427f-9552-e9a7161db0de_DZ0PK_68632943", vadimID, vadim, "33.88.24.12",
				tgt("20bdf178-f471-41bd-936f-2d4e0970b66c", "Application", "EntApp03", ""),
				nil, items(key("bd3aa4f4-0737-42be-8506-1d2378a2ff0b", ""))),
			lab("Directory_61576753-576a-47ba-8c1c-69047fd50427_UETZH_76356316", vadimID, vadim, "172.19.53.7",
				tgt("b89ea4f7-3fb2-4731-b1cf-a4ee5d5624b9", "Application", "EntApp04", ""),
				nil, items(key("a9d6190a-ee00-45ba-9975-4fa0b00bd4f4", ""))),
		}},
		{path: "audit/otrf-security-datasets__goldensaml-AADAuditEvents.json", records: 4, events: []want{
			otrfCred,
			otrfCred,
			audit("2021-08-02T13:25:12.246Z", "Directory_ae69aa7a-e9b7-4066-84f2-58582994d8cb_7H1JL_8584070", otrfTenant,
				"Update application", "update application", "success", pg, simuland).with(
				prop{0, "RequiredResourceAccess", items(rraOld), items(rraNew)}),
			audit("2021-08-02T13:27:20.017Z", "Directory_630d7f0c-acc4-4596-85ab-7e5d839b4291_9VRQI_37762000", otrfTenant,
				"Add delegated permission grant", "add delegated permission grant", "success", pg,
				tgt("401dd906-ea4f-4d41-b762-7e936d222368", "ServicePrincipal", "Microsoft Graph", ""),
				tgt("0d2f5969-011b-460d-ac74-3291d227d49f", "ServicePrincipal", "", "")).with(
				prop{0, "DelegatedPermissionGrant.Scope", items("User.Read"), items("User.Read Mail.ReadWrite")},
				prop{0, "DelegatedPermissionGrant.ConsentType", items("AllPrincipals"), items("AllPrincipals")},
				prop{0, "ServicePrincipal.ObjectID", nil, items("0d2f5969-011b-460d-ac74-3291d227d49f")},
				prop{0, "ServicePrincipal.DisplayName", nil, nil},
			),
		}},
	}
}

func auditSekoiaEventHubRows() []realFile {
	const dir = "audit/sekoia-intake-formats__entra-eventhub__"
	const t2 = "22222222-2222-2222-2222-222222222222"
	user1 := user("user1", "user1", "", "")
	member := tgt("user1", "User", "", "user1")
	group := tgt("user1", "Group", "", "")
	one := func(file string, w want) realFile { return realFile{path: dir + file, records: 1, events: []want{w}} }
	spFail := audit("2019-06-24T09:18:23.58602Z", "Directory_GMR7H_185505965", "33333333-3333-3333-3333-333333333333",
		"Add service principal", "add service principal", "failure",
		event.Actor{Type: event.ActorSystem, Name: "Microsoft Azure AD Internal - Jit Provisioning"},
		tgt("44444444-4444-4444-4444-444444444444", "ServicePrincipal", "Azure AD Identity Protection", "")).with(
		prop{0, "AppAddress", nil, items(
			`{"AddressType":0,"Address":"https://main.protectioncenter.ext.azure.com","ReplyAddressClientType":0}`,
			`{"AddressType":0,"Address":"https://s2.cloudappdiscovery.ext.azure.com/","ReplyAddressClientType":0}`)},
		prop{0, "AppPrincipalId", nil, items("66666666-6666-6666-6666-666666666666")},
		prop{0, "MethodExecutionResult.", nil, items("Microsoft.Online.Workflows.SpnValidationException")},
	)
	return []realFile{
		one("add_domain.json", audit("2019-06-24T09:21:27.3694184Z", "Directory_5P1YA_52883815", t2,
			"Add unverified domain", "add unverified domain", "success", user1, tgt("", "", "examplecorp.onmicrosoft.com", "")).with(
			prop{0, "Name", items(""), items("examplecorp.onmicrosoft.com")},
			prop{0, "LiveType", items("None"), items("Managed")})),
		one("add_member_to_group.json", audit("2020-01-02T13:36:37.9515687Z", "Directory_FI4U8_64698073", t2,
			"Add member to group", "add member to group", "success", auditApp("user1", "", "user1", ""), member, group).with(
			prop{0, "Group.DisplayName", nil, items("NEWCORP")},
			prop{0, "Group.WellKnownObjectName", nil, nil})),
		one("add_member_to_group_2.json", audit("2025-01-29T17:07:02.5863957Z", "Directory_11111111-1111-1111-1111-111111111111_66666_77777777", t2,
			"Add member to group", "add member to group", "success", user("user1", "user1", "Microsoft Teams Services", "1.2.3.4"), member, group).with(
			prop{0, "Group.DisplayName", nil, items("PRODUCT Marketing Effectiveness - Test ABC")})),
		one("add_service_principal_failure.json", spFail),
		one("add_user.json", audit("2019-06-24T09:29:28.6242725Z", "Directory_HR9C4_45223131", "11111111-1111-1111-1111-111111111111",
			"Add user", "add user", "success", user1, member).with(
			prop{0, "UserPrincipalName", nil, items("jean.dupont@usergmail.onmicrosoft.com")})),
		one("app_role.json", audit("2025-10-27T10:15:15.8442646Z", "Directory_88888888-8888-8888-8888-888888888888_SAMPLE_123456", "55555555-5555-5555-5555-555555555555",
			"Add app role assignment to service principal", "add app role assignment to service principal", "success",
			user("66666666-6666-6666-6666-666666666666", "JDOE-AAD@example.onmicrosoft.com", "", "5.6.7.8"),
			tgt("88888888-8888-8888-8888-888888888888", "ServicePrincipal", "Office 365 Exchange Online", ""),
			tgt("66666666-6666-6666-6666-666666666666", "ServicePrincipal", "77777777-7777-7777-7777-777777777777", "")).with(
			prop{0, "AppRole.Value", nil, items("SMTP.SendAsApp")},
			prop{0, "ServicePrincipal.ObjectID", nil, items("66666666-6666-6666-6666-666666666666")})),
		one("change_user_password.json", audit("2019-06-24T09:32:07.4637225Z", "Directory_1PF86_84995790", t2,
			"Change user password", "change user password", "success", user1, member)),
		one("recover_local_admin_password.json", audit("2025-05-07T01:42:40.2828208Z",
			"Device Registration Service_44444444-4444-4444-4444-444444444444_DEVSERV_1234567890", "55555555-5555-5555-5555-555555555555",
			"Recover device local administrator password", "recover device local administrator password", "success",
			user("user1", "user1", "", "1.2.3.4"), tgt("11111111-1111-1111-1111-111111111111", "Device", "DEVICE123456", ""))),
		one("remove_domain.json", audit("2019-06-24T09:21:50.0418907Z", "Directory_NFSWZ_16832133", t2,
			"Remove unverified domain", "remove unverified domain", "success", user1, tgt("", "", "sekoiacorp.onmicrosoft.com", ""))),
		one("remove_member_from_group.json", audit("2025-01-29T16:53:43.2764438Z", "Directory_11111111-1111-1111-1111-111111111111_66666_777777777",
			"44444444-4444-4444-4444-444444444444", "Remove member from group", "remove member from group", "success",
			auditApp("user1", "", "user1", "1.2.3.4"), member, group).with(
			prop{0, "Group.DisplayName", items("REDACTED"), nil})),
		one("update_ststoken.json", audit("2019-06-24T09:32:07.4637225Z", "Directory_1PF86_84995795", t2,
			"Update StsRefreshTokenValidFrom Timestamp", "update stsrefreshtokenvalidfrom timestamp", "success", user1, member)),
	}
}

func auditSekoiaGraphRows() []realFile {
	const dir = "audit/sekoia-intake-formats__graphapi__"
	const zero = "00000000-0000-0000-0000-000000000000"
	one := func(file string, w want) realFile { return realFile{path: dir + file, records: 1, events: []want{w}} }
	testApp := auditApp(zero, "", "testValue1", "")
	return []realFile{
		// Targets spell their type "Type"; the property value is plain text.
		one("test_directory_audit.json", audit("2018-01-09T21:20:02.7215374Z", "id", "", "Add member to group", "add member to group",
			"success", user("user1", "test@test.test", "user1", "127.0.0.1"),
			tgt(zero, "Group", "testValue2", ""), tgt(zero, "User", "", "bob@contoso.com")).with(
			prop{0, "testValue3", nil, items("DirectorySync")})),
		one("test_event_0001.json", audit("2025-11-12T13:50:16.693874Z", "Device Registration Service_testestest_O9KWA_1044477278", "",
			"Recover device local administrator password", "recover device local administrator password", "success",
			user("user1", "ANONYMIZED_VALUE", "", "192.0.2.1"), tgt(zero, "Device", "example.com", ""))),
		one("test_event_0033.json", audit("2025-11-12T14:03:30.218714Z", "Directory_00000000-0000-0000-0000-000000000000_Y07Z6_76707187", "",
			"Add registered owner to device", "add registered owner to device", "success", testApp,
			tgt(zero, "User", "", "ANONYMIZED_VALUE"), tgt(zero, "Device", "", "")).with(
			prop{0, "testValue3", nil, items("MGPWZXVdvYvPPHl")})),
		one("test_event_0062.json", audit("2025-11-12T14:04:58.356854Z", "Directory_00000000-0000-0000-0000-000000000000_HGAF2_134745489", "",
			"Add member to group", "add member to group", "success", testApp,
			tgt(zero, "Device", "example.com", ""), tgt(zero, "Group", "", "")).with(
			prop{0, "testValue3", nil, items("GS_DYN_INTUNE_HP")})),
		// KeyDescription [] -> [] decodes to no credentials on either side.
		one("test_event_0077.json", audit("2025-11-25T10:52:22.177578Z", "Directory_000000-000000000-000000-0000000", "",
			"Create application – Certificates and secrets management ", "create application-certificates and secrets management", "success",
			user("user1", "ANONYMIZED_VALUE", "user1", "192.0.2.1"), tgt("TEST-SERVICE-ID", "Application", "ChatGPT for Excel", "")).with(
			prop{0, "KeyDescription", nil, nil},
			prop{0, "Included Updated Properties", nil, items("KeyDescription")})),
	}
}

func auditOtherGraphRows() []realFile {
	guest := func(time string) want {
		return audit(time, "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "", "Get Guest Usages resource", "get guest usages resource",
			"success", event.Actor{Type: event.ActorApp, Name: "xxxxxxxxxxxxxxxxxx"}, tgt("", "Directory", "NotSet", ""))
	}
	return []realFile{
		{path: "audit/unknown-repo-securathesis__graph-directoryaudit-add-service-principal.json", records: 1, events: []want{
			// ipAddress "<Redacted>" is a placeholder, not an address.
			audit("2022-06-27T09:56:28.7147707Z", "Directory_e5bbd943-fcc7-489a-9b91-2844da394a70_FAAG0_14557051", "",
				"Add service principal", "add service principal", "success",
				user("30a6c29d-de7c-4830-815f-9b3bb366e975", "attacker@securathesis.onmicrosoft.com", "", ""),
				tgt("8c907101-5831-45a1-b703-8a59f190e639", "ServicePrincipal", "additionalCloudCredSP", "")).with(
				prop{0, "AppPrincipalId", nil, items("9375c06d-c933-428c-bd52-5314a466cb9b")},
				prop{0, "Credential", nil, items(`{"CredentialType":2,"KeyStoreId":"291154f0-a9f5-45bb-87be-9c8ee5b6d62c","KeyGroupId":"291154f0-a9f5-45bb-87be-9c8ee5b6d62c"}`)},
			),
		}},
		// The second record has createdDateTime instead of activityDateTime.
		{path: "audit/wazuh__graph-directoryaudits-list-response.json", records: 2, events: []want{
			guest("2022-06-21T08:50:10.7019038Z"),
			guest("2022-06-21T08:50:10.6708119Z"),
		}},
	}
}

// signIn returns the common part of a sign-in record.
func signIn(time, id, tenant, stream, result string, actor event.Actor, s signInWant) want {
	return want{kind: event.KindSignIn, time: time, id: id, tenant: tenant, stream: stream,
		activity: "Sign-in activity", key: signInKey, result: result, actor: actor, signIn: &s}
}

func signInDiagnosticRows() []realFile {
	const elastic = "4bbb79f7-5724-4c9e-95f3-de075f6ec090"
	const portal = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"
	tester := user("2ce85a15-8640-465d-b916-d2eac620a717", "mpliftrelastic20210901@outlook.com", "elastic testing", "1.128.3.4")
	interactive := signInWant{protocol: "none", status: "0", appID: portal, tokenType: "none", interactive: "true"}
	const sp = "b029d485-a308-4311-8720-fb3192e5284e"
	terraform := event.Actor{Type: event.ActorApp, ID: sp, AppID: "6131d760-7fda-4db5-8bb1-b771898e9f15",
		ServicePrincipalID: sp, Name: "Terraform-Datadog-CLI", IP: "1.128.3.4"}
	spSignIn := signInWant{protocol: "none", status: "0", appID: "6131d760-7fda-4db5-8bb1-b771898e9f15", spID: sp,
		spName: "Terraform-Datadog-CLI", credKeyID: "dbcd79c0-c3ea-46b9-9604-ff40d43b8618", tokenType: "none", interactive: "false"}
	terraformAt := func(time, id string) want {
		return signIn(time, id, elastic, "ServicePrincipalSignInLogs", "success", terraform, spSignIn)
	}
	const id8a = "8a4de8b5-095c-47d0-a96f-a75130c61d53"
	// createdDateTime is 04:45:48.0729893-05:00; the time is in UTC.
	kmsi := func(stream, upn string) want {
		w := signIn("2019-10-18T09:45:48.0729893Z", id8a, id8a, stream, "failure", user(id8a, upn, "Test LTest", "81.2.69.144"),
			signInWant{status: "50140", appID: id8a, interactive: "false"})
		return w
	}
	const guid = "c3813493-bf92-5123-2717-8a8b2979c38b"
	return []realFile{
		{path: "signin/elastic-integrations__signinlogs-interactive-sample.log", records: 2, events: []want{
			signIn("2022-01-24T05:10:08.6816663Z", "933f20c0-efdf-477f-9586-e5cc566d2e00", elastic, "SignInLogs", "success", tester, interactive),
			signIn("2022-01-24T05:10:12.2444226Z", "933f20c0-efdf-477f-9586-e5cc676f2e00", elastic, "SignInLogs", "success", tester, interactive),
		}},
		{path: "signin/elastic-integrations__signinlogs-raw-all-categories.log", records: 5, events: []want{
			kmsi("SignInLogs", "test@elastic.co"),
			kmsi("NonInteractiveUserSignInLogs", guid),
			kmsi("ServicePrincipalSignInLogs", guid),
			kmsi("MicrosoftServicePrincipalSignInLogs", guid),
			kmsi("ManagedIdentitySignInLogs", guid),
		}},
		{path: "signin/elastic-integrations__signinlogs-service-principal-sample.log", records: 7, events: []want{
			terraformAt("2022-02-08T06:22:28.3518405Z", "d5935dca-86f2-4ac9-a42c-3593b00af801"),
			terraformAt("2022-02-08T06:22:53.0529653Z", "4d81e7dd-bc8d-4048-9a02-bccc1d945802"),
			terraformAt("2022-02-08T06:22:13.161064Z", "989c6c81-1332-4d1c-b496-b26124ab9000"),
			terraformAt("2022-02-08T06:24:46.6703563Z", "1127d600-5436-4c44-9fa1-d035b3462701"),
			terraformAt("2022-02-08T06:22:14.2738442Z", "f40891a8-ef66-440a-a783-997e10b36801"),
			terraformAt("2022-02-08T06:23:55.1440862Z", "aff44b42-16b3-429b-99c0-5658c6314d01"),
			terraformAt("2022-02-08T06:24:08.8471332Z", "ff10e682-2d33-41b1-bddf-3338823f7f01"),
		}},
		{path: "signin/graph2otel__realBlobFailure.json", records: 1, events: []want{
			// The activity time is createdDateTime, 154 s before the envelope time.
			signIn("2026-07-16T15:31:34.1881867Z", "5762b741-b128-4e73-80d4-f05a660c3b00", "4b8c18bd-2f9f-4227-af55-9f1061cf9c32",
				"MicrosoftServicePrincipalSignInLogs", "failure",
				event.Actor{Type: event.ActorApp, ID: "29f4d705-d0bf-42fa-ad8f-e7bd308e94cb", AppID: "1b912ec3-a9dd-4c4d-a53e-76aa7adb28d7",
					ServicePrincipalID: "29f4d705-d0bf-42fa-ad8f-e7bd308e94cb", Name: "AADReporting", IP: "135.225.184.235"},
				signInWant{status: "7000113", appID: "1b912ec3-a9dd-4c4d-a53e-76aa7adb28d7", spID: "29f4d705-d0bf-42fa-ad8f-e7bd308e94cb", spName: "AADReporting"}),
		}},
		{path: "signin/graph2otel__realMISignin.json", records: 1, events: []want{
			signIn("2026-07-20T08:31:21.3310422Z", "f7d36837-9f88-41fa-89cd-dc16a7c9aa00", "4b8c18bd-2f9f-4227-af55-9f1061cf9c32",
				"ManagedIdentitySignInLogs", "success",
				event.Actor{Type: event.ActorApp, ID: "fa179562-7d53-49bc-b38a-c52915cf554c", AppID: "2f39d8ec-e2c9-4e60-b9ac-3aa56f1a3637",
					ServicePrincipalID: "fa179562-7d53-49bc-b38a-c52915cf554c", Name: "g2o-misynth-DELETE-ME"},
				signInWant{status: "0", appID: "2f39d8ec-e2c9-4e60-b9ac-3aa56f1a3637", spID: "fa179562-7d53-49bc-b38a-c52915cf554c",
					spName: "g2o-misynth-DELETE-ME", interactive: "false"}),
		}},
	}
}

func signInSekoiaRows() []realFile {
	const dir = "signin/sekoia-intake-formats__entra-eventhub__"
	one := func(file string, w want) realFile { return realFile{path: dir + file, records: 1, events: []want{w}} }
	return []realFile{
		// The one real ROPC sign-in.
		one("empty_geolocalisation.json", signIn("2022-04-05T13:07:16.7796535Z", "88888888-8888-8888-8888-888888888888",
			"22222222-2222-2222-2222-222222222222", "SignInLogs", "success",
			user("user1", "ANONYMIZED", "DUPONT Jean", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"),
			signInWant{protocol: "ropc", status: "0", appID: "66666666-6666-6666-6666-666666666666", tokenType: "none", interactive: "true"})),
		one("sign-in_activity.json", signIn("2022-03-30T14:52:21.7062186Z", "77777777-7777-7777-7777-777777777777",
			"11111111-1111-1111-1111-222222222222", "SignInLogs", "failure", user("user1", "ANONYMIZED", "User Name", "1.2.3.4"),
			signInWant{protocol: "none", status: "50158", appID: "11111111-1111-1111-1111-444444444444", tokenType: "none", interactive: "true"})),
		one("sign-in_activity2.json", signIn("2022-03-31T12:26:46.0190957Z", "11111111-1111-1111-1111-111111111111",
			"99999999-9999-9999-9999-999999999999", "SignInLogs", "success", user("user1", "ANONYMIZED", "Admin Jean Dupont", "1.2.3.4"),
			signInWant{protocol: "none", status: "0", appID: "55555555-5555-5555-5555-555555555555", tokenType: "none", interactive: "true"})),
		// properties.tenantId is "user1"; the envelope's tenantId wins.
		one("sign-in_activity3.json", signIn("2023-08-16T15:28:23.3045933Z", "user1",
			"11111111-1111-1111-1111-111111111111", "SignInLogs", "success", user("user1", "john.doe@example.org", "John DOE", "1.2.3.4"),
			signInWant{protocol: "none", status: "0", appID: "user1", credType: "none", tokenType: "none", interactive: "true"})),
		// The one real device code sign-in.
		one("sign-in_activity4.json", signIn("2023-10-04T13:06:18.9617194Z", "44444444-4444-4444-4444-444444444444",
			"11111111-1111-1111-1111-111111111111", "SignInLogs", "success",
			user("22222222-2222-2222-2222-222222222222", "jane.doe@example.org", "Jane DOE", "5.6.7.8"),
			signInWant{protocol: "deviceCode", transfer: "none", status: "0", appID: "66666666-6666-6666-6666-666666666666",
				credType: "none", tokenType: "primaryRefreshToken", interactive: "true"})),
		one("sign-in_activity5.json", signIn("2025-02-17T08:35:37.6544801Z", "11111111-1111-1111-6666-111111111111",
			"11111111-1111-1111-6666-777777777777", "SignInLogs", "success", user("user1", "john.doe@example.com", "DOE John", "1.2.3.4"),
			signInWant{protocol: "none", transfer: "none", status: "0", appID: "11111111-1111-1111-2222-999999999999",
				credType: "none", tokenType: "none", interactive: "true"})),
		one("sign-in_activity6.json", signIn("2025-07-24T15:30:17.7974412Z", "77777777-7777-7777-7777-777777777777",
			"22222222-1111-1111-1111-222222222222", "NonInteractiveUserSignInLogs", "success", user("user1", "john.doe@company.com", "Doe John", "1.2.3.4"),
			signInWant{protocol: "none", transfer: "none", status: "0", appID: "66666666-6666-6666-6666-666666666666",
				credType: "none", tokenType: "primaryRefreshToken", interactive: "false"})),
		one("sign-in_activity7.json", signIn("2025-10-14T07:33:50.1498978Z", "66666666-6666-6666-6666-666666666666",
			"77777777-7777-7777-7777-777777777777", "ServicePrincipalSignInLogs", "success",
			event.Actor{Type: event.ActorApp, ID: "ParseMe", AppID: "88888888-8888-8888-8888-888888888888", ServicePrincipalID: "ParseMe",
				Name: "ParseMe", IP: "77777777-7777-7777-7777-777777777777"},
			signInWant{protocol: "none", transfer: "none", status: "0", appID: "88888888-8888-8888-8888-888888888888", spID: "ParseMe",
				spName: "ParseMe", credType: "clientSecret", credKeyID: "55555555-5555-5555-5555-555555555555", tokenType: "none", interactive: "false"})),
	}
}

func signInGraphRows() []realFile {
	const zero = "00000000-0000-0000-0000-000000000000"
	return []realFile{
		// Graph beta list response; "Primary Refresh Token" reads as the enum value.
		{path: "signin/graph-docs__beta-signin-list-example1-response.json", records: 1, events: []want{
			signIn("2021-06-30T16:34:32Z", "1691d37b-8579-43a7-966a-0f35583c1300", "", "SignInLogs", "failure",
				user("26be570a-1111-5555-b4e2-a37c6808512d", "testaccount1@contoso.com", "Test contoso", "131.107.159.37"),
				signInWant{protocol: "oAuth2", status: "50126", appID: "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
					tokenType: "primaryRefreshToken", interactive: "true"}),
		}},
		// Graph v1.0 has no authenticationProtocol.
		{path: "signin/graph2otel__liveInteractiveSignIn.json", records: 1, events: []want{
			signIn("2026-07-17T14:10:02Z", "d70d10b6-221a-4840-899d-87ee20ff5900", "", "SignInLogs", "success",
				user("bbcfc3c5-0b93-4135-9ef9-18477a9fb504", "rob@m7kni.io", "Rob Knight", "2001:db8::1038"),
				signInWant{status: "0", appID: "9199bf20-a13f-4107-85dc-02114787ef48", interactive: "true"}),
		}},
		{path: "signin/graph2otel__realSignInSuccessProps.json", records: 1, events: []want{
			signIn("2026-07-16T15:31:34.1881867Z", "a1b2c3d4-1111-2222-3333-444455556666", "", "SignInLogs", "success",
				user("", "rob@m7kni.io", "", ""), signInWant{status: "0", appID: "c98e5057-edde-4666-b301-186a01b4dc58"}),
		}},
		{path: "signin/sekoia-intake-formats__graphapi__test_signin.json", records: 1, events: []want{
			signIn("2023-12-01T16:03:35Z", zero, "", "SignInLogs", "success", user("user1", "ANONYMIZED_VALUE", "user1", "192.0.2.1"),
				signInWant{status: "0", appID: zero, interactive: "true"}),
		}},
	}
}

// keyVault returns a Key Vault record.
func keyVault(time, id, tenant, result string, actor event.Actor, kv kvWant) want {
	return want{kind: event.KindKeyVault, time: time, id: id, tenant: tenant, stream: "AuditEvent",
		activity: kv.operation, key: lowerASCII(kv.operation), result: result, actor: actor, kv: &kv}
}

// lowerASCII lower-cases the operation names of Key Vault, which are plain
// ASCII words such as SecretGet.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func keyVaultDocsRows() []realFile {
	docs := user("d9da5048-2737-4770-bd64-XXXXXXXXXXXX", "live.com#username@outlook.com", "", "104.40.82.76")
	docs.AppID = "1950a258-227b-4e31-a9cf-XXXXXXXXXXXX"
	get := kvWant{"VaultGet", "contosokeyvault", "200", "OK", "https://contosokeyvault.vault.azure.net/"}
	pair := []want{
		keyVault("2016-01-05T01:32:01.2691226Z", "", "", "success", docs, get),
		keyVault("2016-01-05T01:33:56.5264523Z", "", "", "success", docs, get),
	}
	forbidden := get
	forbidden.signature = "Forbidden"
	return []realFile{
		{path: "keyvault/azure-docs__keyvault-auditevent-storage-PT1H-jsonlines.json", records: 2, events: pair},
		{path: "keyvault/azure-docs__keyvault-auditevent-storage-records-array-pre2018.json", records: 2, events: pair},
		{path: "keyvault/sekoia-intake-formats__keyvault-auditevent__vault_get_2.json", records: 1, events: pair[:1]},
		// Forbidden with HTTP 200 and resultType Success is still a refusal.
		{path: "keyvault/sekoia-intake-formats__keyvault-auditevent__vault_get_3.json", records: 1, events: []want{
			keyVault("2016-01-05T01:32:01.2691226Z", "", "", "failure", docs, forbidden),
		}},
	}
}

func keyVaultSekoiaRows() []realFile {
	const dir = "keyvault/sekoia-intake-formats__keyvault-auditevent__"
	const john = "john.doe@dummy.onmicrosoft.com"
	const app = "3686488a-04fc-4d8a-b967-61f98ec41efe"
	const appX = "3686488a-04fc-4d8a-b967-XXXXXXX"
	const test = "https://testpermissionvault.vault.azure.net/"
	const right3 = "https://myright3.vault.azure.net/"
	doe := func(oid, appID, ip string) event.Actor {
		return event.Actor{Type: event.ActorUser, ID: "d4ba3e84-0444-4841-aaf7-" + oid, AppID: appID, UPN: john, Name: john, IP: ip}
	}
	// row is a data-plane record of the SEKOIA tests; their resultType is
	// always Success, whatever the HTTP status says.
	row := func(file, time, id, result string, actor event.Actor, kv kvWant) realFile {
		return realFile{path: dir + file, records: 1, events: []want{keyVault(time, id, "", result, actor, kv)}}
	}
	const ip = "147.161.0.0"
	return []realFile{
		row("certificate_create.json", "2024-04-03T14:03:10.788626Z", "1216de2d-b866-4950-983f-46775e7fe659", "success", doe("XXXX", app, ip),
			kvWant{"CertificateCreate", "testpermissionvault", "202", "Accepted", test + "certificates/fdfdffffd"}),
		row("certificate_import.json", "2024-04-08T15:10:25.2996345Z", "1de288da-53e4-4563-8b1a-626cbf008d8d", "failure", doe("XXXXXXXXXXXX", app, ip),
			kvWant{"CertificateImport", "myright3", "400", "Bad Request", right3 + "certificates/mycertiii"}),
		row("certificate_import_1.json", "2024-04-08T15:13:06.9355325Z", "fa80015d-9a44-4786-bf2f-1024a83c63cd", "success", doe("XXXXXXXXXXXX", app, ip),
			kvWant{"CertificateImport", "myright3", "200", "OK", right3 + "certificates/yfuffuygu"}),
		row("certificate_update.json", "2024-04-04T06:49:04.5484056Z", "0beabe33-25ee-4b8f-91de-4c7e47645d7b", "success", doe("XXXXXX", app, "147.161.246.101"),
			kvWant{"CertificateUpdate", "testpermissionvault", "200", "OK", test + "certificates/fdfdffffd/2b5dd56d53254413811cb3d3ea2529f1"}),
		row("key_backup.json", "2024-04-04T06:47:31.2803447Z", "49c05377-7187-4f18-8374-0e101bba261d", "success", doe("XXXXXX", app, ip),
			kvWant{"KeyBackup", "testpermissionvault", "200", "OK", test + "keys/egzghfgrrg"}),
		row("key_delete.json", "2024-04-04T06:47:34.7178619Z", "1822451f-ce87-4d9e-96bc-a723af8b5748", "success", doe("XXXXXX", app, ip),
			kvWant{"KeyDelete", "testpermissionvault", "200", "OK", test + "keys/egzghfgrrg"}),
		row("key_delete_1.json", "2024-04-04T06:47:34.7178619Z", "1822451f-ce87-4d9e-96bc-a723af8b5748", "success", doe("XXXXXX", app, ip),
			kvWant{"KeyDelete", "testpermissionvault", "200", "OK", test + "keys/egzghfgrrg"}),
		row("key_get.json", "2024-04-03T14:02:45.0948723Z", "afabe187-cad6-4ca1-9698-e4ed73479b7c", "failure", doe("XXXX", app, ip),
			kvWant{"KeyGet", "testpermissionvault", "404", "Not Found", test + "keys/egzghfgrrg"}),
		row("key_get_1.json", "2024-04-04T06:47:42.7335214Z", "425dd404-f29a-4e68-9b88-2c3643b4462e", "success", doe("XXXXX", appX, ip),
			kvWant{"KeyGet", "testpermissionvault", "200", "OK", test + "keys/MyFirstKey"}),
		row("key_list.json", "2024-04-04T06:47:14.1959057Z", "e6f5733d-2c7d-4d66-94bb-7d77a434a44c", "success", doe("XXXXXX", app, ip),
			kvWant{"KeyList", "testpermissionvault", "200", "OK", ""}),
		row("key_list_1.json", "2024-04-02T08:21:11.5722907Z", "4f1a71d0-6490-49dd-a720-1fa8adfef495", "failure", doe("XXXXX", app, ip),
			kvWant{"KeyList", "keytestint", "403", "Forbidden", ""}),
		row("key_list_deleted.json", "2024-04-04T06:47:38.2178774Z", "733c65c4-338c-4ef5-9d95-25ae18b46fda", "success", doe("XXXXXX", app, ip),
			kvWant{"KeyListDeleted", "testpermissionvault", "200", "OK", ""}),
		row("key_list_versions.json", "2024-04-04T06:47:28.1709577Z", "e8f90224-0296-424e-99ba-c5dd9870d362", "success", doe("XXXXXX", app, ip),
			kvWant{"KeyListVersions", "testpermissionvault", "200", "OK", test + "keys/egzghfgrrg"}),
		row("key_purge.json", "2024-04-04T06:47:52.050226Z", "3cff8050-bd18-4acd-94ba-c6196ffa3ad4", "failure", doe("XXXXXX", app, ip),
			kvWant{"KeyPurge", "testpermissionvault", "403", "Forbidden", test + "deletedkeys/MyFirstKey"}),
		row("key_purge_1.json", "2024-04-04T06:47:52.050226Z", "3cff8050-bd18-4acd-94ba-c6196ffa3ad4", "failure", doe("XXXXX", appX, ip),
			kvWant{"KeyPurge", "testpermissionvault", "403", "Forbidden", test + "deletedkeys/MyFirstKey"}),
		row("key_update.json", "2024-04-08T15:14:05.4057164Z", "bbd1b29d-5b8b-4639-9980-XXXXX", "success", doe("XXXXXXXXXXXX", app, ip),
			kvWant{"KeyUpdate", "myright3", "200", "OK", right3 + "keys/iiii/c0d4c7ec6efb4fbeaec16a3872519399"}),
		row("secret_backup.json", "2024-04-04T06:43:32.2816869Z", "1062c64b-12ce-4202-aa9f-c60599f19b29", "success", doe("XXXXXX", app, ip),
			kvWant{"SecretBackup", "testpermissionvault", "200", "OK", test + "secrets/keykey"}),
		row("secret_delete.json", "2024-04-04T06:43:43.7508346Z", "7c8262f7-6f52-4887-8eb2-fa32ec32409a", "success", doe("XXXXXX", app, ip),
			kvWant{"SecretDelete", "testpermissionvault", "200", "OK", test + "secrets/keykey"}),
		row("secret_get.json", "2024-04-03T14:08:43.4316531Z", "c86f2715-79c5-433f-937c-ed76ddde840c", "failure", doe("XXXXXXXX", app, ip),
			kvWant{"SecretGet", "testpermissionvault", "404", "Not Found", test + "secrets/keykey"}),
		// A SecretGet refused with 403 although resultType says Success.
		row("secret_get_1.json", "2024-04-02T08:20:49.26816Z", "1b3aa393-f142-4329-8b1f-c5222119ae35", "failure", doe("XXXXX", app, ip),
			kvWant{"SecretGet", "keytestint", "403", "Forbidden", "https://keytestint.vault.azure.net/secrets/a"}),
		row("secret_list.json", "2024-04-04T06:43:25.5941616Z", "58127e84-c72e-4f7c-9cd6-a68b8a5da547", "success", doe("XXXXXX", app, ip),
			kvWant{"SecretList", "testpermissionvault", "200", "OK", ""}),
		row("secret_list_deleted.json", "2024-04-04T06:44:25.3013619Z", "d5f5868e-5280-41ba-a2e8-17bb3740ec1e", "success", doe("XXXXXX", app, ip),
			kvWant{"SecretListDeleted", "testpermissionvault", "200", "OK", ""}),
		row("secret_purge.json", "2024-04-04T06:45:24.3756181Z", "524974e7-1a6f-4a01-aded-a0b846311986", "failure", doe("XXXXXX", app, ip),
			kvWant{"SecretPurge", "testpermissionvault", "403", "Forbidden", test + "deletedsecrets/mysecret"}),
		row("secret_purge_1.json", "2024-04-04T06:45:40.6759307Z", "ef7f13ed-3382-4838-990f-5947bd778835", "failure", doe("XXXXX", appX, ip),
			kvWant{"SecretPurge", "testpermissionvault", "403", "Forbidden", test + "deletedsecrets/mysecret"}),
		row("secret_restore.json", "2024-04-04T06:44:17.4857222Z", "00f4eafb-43a6-412f-a908-fd20d5aef64c", "failure", doe("XXXXXX", app, ip),
			kvWant{"SecretRestore", "testpermissionvault", "409", "Conflict", test + "secrets/keykey"}),
		row("secret_update.json", "2024-04-03T14:09:01.611691Z", "0394c72d-e46d-4888-980a-434efc5bca3e", "success", doe("XXXXXXXX", app, ip),
			kvWant{"SecretUpdate", "testpermissionvault", "200", "OK", test + "secrets/keykey/8fbb0accbfbe4ee4b025649ebabae465"}),
		// Management-plane records name the caller with claim URIs, and
		// carry the tenant in properties.properties.tenantId.
		{path: dir + "vault_get.json", records: 1, events: []want{keyVault("2024-04-02T08:20:41.7523185Z", "78d31457-b2b7-4da4-a76d-56bac62c1687",
			"d91d59da-80cd-4224-baef-XXXXXXXX", "success", doe("XXXXX", "c44b4083-3bb0-49c1-b47d-974e53cXXX", ip),
			kvWant{"VaultGet", "keytestint", "200", "OK", "https://keytestint.vault.azure.net/"})}},
		{path: dir + "vault_get_1.json", records: 1, events: []want{keyVault("2024-03-30T22:29:57.2784858Z", "xxxxxxxxxxxxx",
			"xxxxx-xxxx-xxxx-xxxx-xxxxxx", "success",
			event.Actor{Type: event.ActorApp, ID: "xxxxxxxxxxxxx", AppID: "app-id-xxxxxxxxxxxxx", ServicePrincipalID: "xxxxxxxxxxxxx", IP: "1.2.3.4"},
			kvWant{"VaultGet", "xxxxxxx", "200", "OK", "https://keytestint.vault.azure.net/"})}},
		{path: dir + "vault_get_4.json", records: 1, events: []want{keyVault("2024-04-17T13:34:17.9174081Z", "correlationIdValue",
			"tenantid-xxxxxxxxxxxxxxxxxxxxx", "success",
			event.Actor{Type: event.ActorUser, ID: "xxxxxxxxxxxxxxxxxxxxxxxxxxxx", AppID: "appid-xxxxxxxxxxxxxxxxx", UPN: "test@test.com", Name: "test@test.com", IP: "1.2.3.4"},
			kvWant{"VaultGet", "testkey", "200", "OK", "https://testkey.vault.azure.net/"})}},
		// The VaultPatch sample changes no access policy.
		{path: dir + "vault_patch.json", records: 1, events: []want{keyVault("2024-04-08T15:15:50.625767Z", "eb6f7f30-b6ae-4ba6-a6cf-fbe90d4d5121",
			"d91d59da-80cd-4224-baef-10f72c103fc1", "success", doe("XXXXXXXXXXXX", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", ip),
			kvWant{"VaultPatch", "myright3", "200", "OK", right3})}},
	}
}

func keyVaultSecurathesisRows() []realFile {
	attacker := event.Actor{Type: event.ActorUser, ID: "30a6c29d-de7c-4830-815f-9b3bb366e975", AppID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
		UPN: "attacker@securathesis.onmicrosoft.com", Name: "attacker@securathesis.onmicrosoft.com"}
	const vault = "https://securaallkeyvault.vault.azure.net/"
	one := func(file string, w want) realFile {
		return realFile{path: "keyvault/" + file, records: 1, events: []want{w}}
	}
	return []realFile{
		one("unknown-repo-securathesis__keyvault-KeyGet.json", keyVault("2022-06-30T11:57:06.6197919Z", "9f6ac6cb-695c-43da-a2ee-62040cfba289", "",
			"success", attacker, kvWant{"KeyGet", "securaallkeyvault", "200", "OK", vault + "keys/SecuraAllRSAKeys"})),
		one("unknown-repo-securathesis__keyvault-SecretGet.json", keyVault("2022-06-30T11:59:25.4111792Z", "1e00f8e4-d4c8-46fe-ba9b-3863dde1ff54", "",
			"success", attacker, kvWant{"SecretGet", "securaallkeyvault", "200", "OK", vault + "secrets/SecuraAllSecret/4c39bacace9a49b2bd542ce61bd6f312"})),
		one("unknown-repo-securathesis__keyvault-VaultPut.json", keyVault("2022-06-28T10:02:53.1689554Z", "9c4e803e-2ab4-47c4-8ef7-04414dd1a9ca",
			"d2af6ef7-a00c-438f-903b-65592cfddc48", "success", attacker, kvWant{"VaultPut", "securaallkeyvault", "200", "OK", vault})),
	}
}

func activityLogRows() []realFile {
	const xs = "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
	const vault = "/subscriptions/a921d5d4-bdb7-43c3-aa01-88c6ae24992f/resourceGroups/SecuraAllRG/providers/Microsoft.KeyVault/vaults/SecuraAllKeyVault"
	wazuh := user("", "wazuh.user@wazuh.com", "", "XX.XX.XXX.XXX")
	assignment := func(time, result, status string) want {
		// TenantId is the Log Analytics workspace and Claims is empty: the
		// directory tenant is unknown.
		return want{kind: event.KindActivity, time: time, id: xs, stream: "Administrative",
			activity: "Microsoft.Authorization/roleAssignments/write", key: "microsoft.authorization/roleassignments/write", result: result, actor: wazuh,
			// Only the Started event carries the request body; the Succeeded
			// event gets the principal from it through the correlation id.
			azure: &event.Azure{Operation: "Microsoft.Authorization/roleAssignments/write", OperationDisplay: "Create role assignment", Provider: "Microsoft.Authorization",
				ResourceID: "/subscriptions/" + xs + "/providers/microsoft.authorization/roleassignments/" + xs, Status: status,
				PrincipalID: xs, PrincipalType: "User", RoleDefinitionID: xs, Scope: "/subscriptions/" + xs}}
	}
	return []realFile{
		{path: "activitylog/unknown-repo-securathesis__activitylog-keyvault-vaults-write.json", records: 1, events: []want{{
			kind: event.KindActivity, time: "2022-06-28T10:02:53.1725139Z", id: "421ca860-8727-4566-b317-ec001f0f57ad",
			tenant: "d2af6ef7-a00c-438f-903b-65592cfddc48", stream: "Administrative",
			activity: "Microsoft.KeyVault/vaults/write", key: "microsoft.keyvault/vaults/write",
			result: "success",
			actor: event.Actor{Type: event.ActorUser, ID: "30a6c29d-de7c-4830-815f-9b3bb366e975", AppID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
				UPN: "attacker@securathesis.onmicrosoft.com", Name: "attacker@securathesis.onmicrosoft.com"},
			azure: &event.Azure{Operation: "Microsoft.KeyVault/vaults/write", OperationDisplay: "Update Key Vault", Provider: "Microsoft.KeyVault", ResourceID: vault,
				Status: "Succeeded", Scope: vault},
		}}},
		{path: "activitylog/wazuh__loganalytics-query-api-response-azureactivity.json", records: 2, events: []want{
			assignment("2022-06-03T14:05:09.955Z", "", "Started"),
			assignment("2022-06-03T14:05:13.004Z", "success", "Succeeded"),
		}},
	}
}

func skippedRows() []realFile {
	objects := []struct {
		file    string
		records int
	}{
		{"graph-docs__application-get-example1-response.json", 1},
		{"graph2otel__liveApplications.json", 3},
		{"graph2otel__liveApps.json", 4},
		{"graph2otel__liveFICsEmpty.json", 1},
		{"graph2otel__liveGrantsBody.json", 5},
		{"graph2otel__liveGraphAssignedToBody.json", 5},
		{"graph2otel__liveGraphSPBody.json", 1},
		{"graph2otel__liveSPs.json", 3},
		{"graph2otel__liveServicePrincipals.json", 2},
	}
	var rows []realFile
	for _, o := range objects {
		rows = append(rows, realFile{path: "graph-objects/" + o.file, records: o.records, skip: skipGraphObject})
	}
	const other = "other/sekoia-intake-formats__entra-eventhub__"
	for _, f := range []string{"graph_activity.json", "graph_activity_1.json", "graph_activity_2.json"} {
		rows = append(rows, realFile{path: other + f, records: 1, skip: "log category MicrosoftGraphActivityLogs is not analysed"})
	}
	return rows
}

// riskRows are the Event Hub risk detections SEKOIA published.
func riskRows() []realFile {
	const other = "other/sekoia-intake-formats__entra-eventhub__"
	detection := func(time, id, tenant, ip, state, detail string) want {
		return want{kind: event.KindRisk, time: time, id: id, tenant: tenant, stream: "UserRiskEvents",
			activity: "User Risk Detection", key: "user risk detection",
			actor: event.Actor{Type: event.ActorUser, ID: "user1", UPN: "ANONYMIZED", Name: "%s", IP: ip},
			risk: &event.Risk{EventType: "unfamiliarFeatures", State: state, Level: "low", Detail: detail,
				Source: "IdentityProtection", Timing: "realtime", Activity: "signin"}}
	}
	named := func(w want, name string) want {
		w.actor.Name = name
		return w
	}
	return []realFile{
		{path: other + "user_risk_detection.json", records: 1, events: []want{named(detection("2022-03-24T14:40:04.234Z",
			"7c7668bf6b9324b33680508b470da8193ff9bb551d9b420f64111b1e3b257b7f", "11111111-1111-1111-1111-111111111111",
			"1.2.3.4", "dismissed", "aiConfirmedSigninSafe"), "bar foo")}},
		{path: other + "user_risk_detection_2.json", records: 1, events: []want{named(detection("2023-10-26T05:32:08.107Z",
			"527e981ab0f7ca8b686173c77337138107d8854ce5f7307b06f1edb19398d18b", "11111111-1111-1111-1111-111111111111",
			"5.6.7.8", "atRisk", "none"), "bar foo")}},
		{path: other + "user_risk_detection_3.json", records: 1, events: []want{named(detection("2024-12-13T16:31:49.945Z",
			"111111111111111111111111111111111111", "22222222-2222-2222-2222-222222222222",
			"1.2.3.4", "dismissed", "aiConfirmedSigninSafe"), "DOE John")}},
	}
}
