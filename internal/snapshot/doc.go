// Package snapshot is the tenant state that appwatch's posture checks
// evaluate: app registrations with their credentials, redirect URIs,
// owners and federated credentials; service principals; delegated and
// application permission grants; directory roles held by service
// principals; and the tenant's domains.
//
// Collect reads a snapshot from Microsoft Graph through a graph.Client.
// Write saves it as Graph list responses, one file per collection, and
// Read loads it back, or loads what other tools exported from Graph,
// recognising each file by its content.
package snapshot
