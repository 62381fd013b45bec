// Package snapshot is the tenant state that appwatch's posture checks
// evaluate: app registrations with their credentials, redirect URIs,
// owners and federated credentials; service principals; delegated and
// application permission grants; directory roles held by service
// principals; and the tenant's domains. Beyond these six core
// collections it holds, when the app that reads them may, the tenant's
// consent, app management and Conditional Access policies, the sign-in
// activity of apps and credentials, Microsoft Entra recommendations,
// workload identity risk, eligible roles, owners' authentication
// methods, Agent ID objects and Azure role assignments.
//
// Collect reads a snapshot from Microsoft Graph (v1.0, and beta for what
// only beta has) and Azure Resource Manager through graph.Clients. A
// collection that cannot be read is a Gap that names the permission or
// licence missing, so that the checks which need it can say so.
// Write saves a snapshot as Graph list responses, one file per
// collection, and Read loads it back, or loads what other tools exported
// from Graph, recognising each file by its content.
package snapshot
