// Package demo holds the sample tenant "appwatch demo" scans: one week of
// made-up logs of Fabrikam, a fictional Italian company, in every layout
// appwatch reads, with Fabrikam's tenant policy and a README that tells
// the week's story. The week is ordinary work and one Saturday-night
// attack in which every guide row that logs can show raises an alert.
//
// The logs are written by tools/gendemo (go generate); nothing in them
// comes from a real tenant.
package demo

//go:generate go run ../../tools/gendemo -out data/logs

import (
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/appwatch/appwatch/internal/policy"
	"github.com/appwatch/appwatch/internal/source"
)

//go:embed data
var data embed.FS

// Paths in FS.
const (
	LogDir     = "logs"        // the logs, in subdirectories by service
	PolicyFile = "policy.yaml" // Fabrikam's tenant policy
	ReadmeFile = "README.md"   // the story of the week
)

// InputPrefix starts the names of the embedded inputs, so that alerts show
// their evidence came from the demo ("demo:logs/entra/...").
const InputPrefix = "demo:"

// about describes each embedded file for Files.
var about = map[string]string{
	ReadmeFile:                                           "the story of the week, and the alerts it should raise",
	PolicyFile:                                           "Fabrikam's policy: hours in Rome, holidays, change windows, approvals, owned domains",
	"logs/entra/directoryAudits-page1.json":              "audit log, Microsoft Graph list response, first page (with @odata.nextLink)",
	"logs/entra/directoryAudits-page2.json":              "audit log, Microsoft Graph list response, last page",
	"logs/entra/AuditLogs-eventhub.json":                 "audit log, Event Hub messages: a records array per line",
	"logs/entra/AuditLogs-sentinel.csv":                  "audit log, Log Analytics (Sentinel) export to CSV",
	"logs/entra/SigninLogs-sentinel.json":                "interactive sign-ins, Log Analytics JSON export",
	"logs/entra/NonInteractiveUserSignInLogs.json.gz":    "non-interactive sign-ins, diagnostic records per line, gzip",
	"logs/entra/ServicePrincipalSignInLogs.json":         "service principal sign-ins, diagnostic records per line",
	"logs/keyvault/AuditEvent-eventhub.json":             "Key Vault AuditEvent records of the week, one per line",
	"logs/keyvault/y=2026/m=06/d=06/h=21/m=00/PT1H.json": "Key Vault storage blob of Saturday 23:00 to 24:00 in Rome",
	"logs/azure/ActivityLog-export.json":                 "Azure Activity Log events, a JSON array",
}

// FS returns the embedded files: the logs under LogDir, PolicyFile and
// ReadmeFile.
func FS() fs.FS {
	sub, err := fs.Sub(data, "data")
	if err != nil { // cannot happen: "data" is a valid path
		return data
	}
	return sub
}

// Inputs returns the embedded logs as scan inputs, in name order.
func Inputs() ([]source.Input, error) {
	return source.FromFS(FS(), LogDir, InputPrefix)
}

// Policy parses Fabrikam's policy file.
func Policy() (*policy.Policy, error) {
	src, err := fs.ReadFile(FS(), PolicyFile)
	if err != nil {
		return nil, fmt.Errorf("demo policy: %w", err)
	}
	p, _, err := policy.Parse(InputPrefix+PolicyFile, src)
	if err != nil {
		return nil, fmt.Errorf("demo policy: %w", err)
	}
	return p, nil
}

// ReviewTime is when the demo's alerts are read: Monday 8 June 2026 at
// 09:00 in Rome, the morning after the week. Suppressions are judged at
// that time, so the demo raises the same alerts whenever it runs.
func ReviewTime() time.Time {
	return time.Date(2026, time.June, 8, 7, 0, 0, 0, time.UTC)
}

// File describes one embedded file.
type File struct {
	Path  string // slash-separated, relative to FS
	Size  int64
	About string
}

// Files lists the embedded files in path order.
func Files() ([]File, error) {
	var out []File
	err := fs.WalkDir(FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, File{Path: p, Size: info.Size(), About: about[p]})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list demo files: %w", err)
	}
	return out, nil
}

// Extract writes every embedded file under dir, keeping the layout of FS,
// and returns the files written. It creates directories as needed and
// never overwrites a file: it stops at the first one that exists.
func Extract(dir string) ([]string, error) {
	files, err := Files()
	if err != nil {
		return nil, err
	}
	var written []string
	for _, f := range files {
		dst := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := copyFile(dst, f.Path); err != nil {
			return written, err
		}
		written = append(written, dst)
	}
	return written, nil
}

// copyFile writes the embedded file name to dst, which must not exist.
func copyFile(dst, name string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("extract %s: %w", name, err)
	}
	src, err := FS().Open(name)
	if err != nil {
		return fmt.Errorf("extract %s: %w", name, err)
	}
	defer src.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("extract %s: %w", name, err)
	}
	if _, err := io.Copy(out, src); err != nil {
		out.Close()
		return fmt.Errorf("extract %s: %w", name, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("extract %s: %w", name, err)
	}
	return nil
}
