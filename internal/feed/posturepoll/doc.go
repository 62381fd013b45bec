// Package posturepoll is the posture source of appwatch watch: every
// Options.Every (six hours by default) it takes a snapshot of the tenant
// from Microsoft Graph, runs the posture checks on it (package posture)
// and compares it with the snapshot before (package snapdiff).
//
// What it guarantees:
//
//   - A posture finding is stored once per check, object and credential
//     or URI: a finding that lists several credentials or URIs is stored
//     as one alert for each, keyed by the check, the object and the
//     credential's key id or the URI, so a credential or URI that comes
//     later raises an alert of its own.
//   - A finding that is gone from the next snapshot is marked resolved;
//     one that comes back is open again. A finding the next evaluation
//     could not judge (a host DNS gave no answer for, the tenant's
//     domains unknown) is left as it is.
//   - A change between two snapshots raises its alert once: its key names
//     the change and the earlier snapshot, whatever instance compares
//     them and however often.
//   - The alerts, the status changes, the snapshot (kept in the store for
//     the next comparison) and the time it was taken are stored in one
//     transaction, so a snapshot interrupted by a crash is taken again
//     at the next start and nothing of it is half stored.
//   - One instance takes snapshots at a time: the holder of the lease
//     named after the source. An instance that lost the lease while
//     taking one may still store its alerts, but the store keeps the
//     newer snapshot of its successor for the next comparison.
package posturepoll
