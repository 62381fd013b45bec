//go:build unix

package dir

import (
	"io/fs"
	"strconv"
	"syscall"
)

// fileID names a file by its device and inode, which stay when it is
// renamed.
func fileID(path string, info fs.FileInfo) string {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return strconv.FormatUint(uint64(st.Dev), 10) + ":" + strconv.FormatUint(st.Ino, 10)
	}
	return "path:" + path
}
