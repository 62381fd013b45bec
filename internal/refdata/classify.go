package refdata

import "strings"

// The name patterns below classify permissions that are not in
// permissions.csv. They are the generic part of the criteria written in
// that file's header; the file itself only ever raises a permission above
// what these patterns give (a test checks this).
var (
	// criticalNames are full permission names that give control of every
	// mailbox or site.
	criticalNames = map[string]bool{
		"full_access_as_app":    true,
		"sites.fullcontrol.all": true,
		"allsites.fullcontrol":  true,
	}
	// criticalPrefixes start the names of permissions that can grant
	// roles or permissions, take over applications, or rewrite policy.
	criticalPrefixes = []string{
		"rolemanagement.readwrite.directory",
		"approleassignment.readwrite.",
		"application.readwrite.all",
		"directory.readwrite.",
		"delegatedpermissiongrant.readwrite.",
		"serviceprincipalendpoint.readwrite.",
		"policy.readwrite.",
		"privilegedaccess.readwrite.",
		"roleassignmentschedule.readwrite.",
		"roleeligibilityschedule.readwrite.",
		"rolemanagementpolicy.readwrite.",
		"privilegedassignmentschedule.readwrite.",
		"privilegedeligibilityschedule.readwrite.",
		"userauthenticationmethod.readwrite.all",
	}
	// highPrefixes start the names of mail and protocol permissions and of
	// writes to other role systems.
	highPrefixes = []string{
		"rolemanagement.readwrite.",
		"mail.", "mail-", "mailboxitem.",
		"ews.", "eas.", "imap.", "pop.", "smtp.",
	}
	// highSuffixes end the names of broad permissions.
	highSuffixes = []string{".readwrite.all", ".manage.all", ".accessasuser.all"}
	// userDataWorkloads are the first name segments of permissions on the
	// content of users' mail, files, chats and meetings. As app roles they
	// reach every user in the tenant.
	userDataWorkloads = map[string]bool{
		"mail": true, "mail-advanced": true, "calendars": true, "contacts": true,
		"mailboxsettings": true, "mailboxfolder": true, "mailboxitem": true,
		"notes": true, "files": true, "sites": true, "chat": true,
		"chatmessage": true, "channelmessage": true, "onlinemeetingtranscript": true,
		"onlinemeetingrecording": true, "onlinemeetingartifact": true,
		"callrecords": true, "tasks": true,
	}
)

// patternLevel classifies a permission by its name alone.
func patternLevel(value string, typ PermissionType) Level {
	v := strings.ToLower(strings.TrimSpace(value))
	switch {
	case criticalNames[v], hasAnyPrefix(v, criticalPrefixes), isAuthMethodWrite(v):
		return LevelCritical
	case v == "user_impersonation", hasAnySuffix(v, highSuffixes), hasAnyPrefix(v, highPrefixes):
		return LevelHigh
	case isFilesOrSitesAll(v):
		return LevelHigh
	case typ == Application && readsUserData(v):
		return LevelHigh
	}
	return LevelLow
}

// isAuthMethodWrite matches UserAuthMethod-<method>.ReadWrite.All: the
// right to set an authentication method, such as a Temporary Access Pass,
// on any user.
func isAuthMethodWrite(v string) bool {
	return strings.HasPrefix(v, "userauthmethod-") && strings.HasSuffix(v, ".readwrite.all")
}

// isFilesOrSitesAll matches Files.*.All, Sites.*.All and AllSites.*.
func isFilesOrSitesAll(v string) bool {
	if strings.HasPrefix(v, "allsites.") {
		return true
	}
	return (strings.HasPrefix(v, "files.") || strings.HasPrefix(v, "sites.")) && strings.HasSuffix(v, ".all")
}

// readsUserData matches read or write access to a user-content workload,
// except an app's own folder.
func readsUserData(v string) bool {
	workload, _, _ := strings.Cut(v, ".")
	return userDataWorkloads[workload] && strings.Contains(v, ".read") && !strings.HasSuffix(v, ".appfolder")
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func hasAnySuffix(s string, suffixes []string) bool {
	for _, p := range suffixes {
		if strings.HasSuffix(s, p) {
			return true
		}
	}
	return false
}
