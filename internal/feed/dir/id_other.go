//go:build !unix

package dir

import "io/fs"

// fileID names a file by its path: without inodes, a renamed file is a
// new one.
func fileID(path string, _ fs.FileInfo) string { return "path:" + path }
