// Package source lists the inputs of a run: files, the files under
// directories (recursively, in name order) and standard input ("-").
// Decoding, including gzip, is left to package decode, which recognises
// content rather than names.
package source

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Input is one file or stream to read.
type Input struct {
	// Name is the path as given, or "-" for standard input.
	Name string
	// Size is the file's size in bytes, or -1 when unknown.
	Size int64
	open func() (io.ReadCloser, error)
}

// Open opens the input for reading.
func (in Input) Open() (io.ReadCloser, error) { return in.open() }

// Expand turns the paths of a command line into inputs: a file is one
// input, a directory every regular file below it (hidden files and
// directories skipped), and "-" standard input. stdin is what "-" reads.
func Expand(paths []string, stdin io.Reader) ([]Input, error) {
	var out []Input
	for _, p := range paths {
		if p == "-" {
			out = append(out, Input{Name: "-", Size: -1, open: func() (io.ReadCloser, error) { return io.NopCloser(stdin), nil }})
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", p, err)
		}
		if !fi.IsDir() {
			out = append(out, fileInput(p, fi.Size()))
			continue
		}
		files, err := walk(p)
		if err != nil {
			return nil, err
		}
		out = append(out, files...)
	}
	return out, nil
}

// walk lists the regular files under dir in name order.
func walk(dir string) ([]Input, error) {
	var out []Input
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("walk %s: %w", path, err)
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("walk %s: %w", path, err)
		}
		out = append(out, fileInput(path, info.Size()))
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

func fileInput(path string, size int64) Input {
	return Input{Name: path, Size: size, open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// FromFS lists the regular files of fsys under root, in name order, as
// inputs named by the prefix followed by their path in fsys, root included
// (used for the embedded demo logs).
func FromFS(fsys fs.FS, root, prefix string) ([]Input, error) {
	var out []Input
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("walk %s: %w", p, err)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("walk %s: %w", p, err)
		}
		out = append(out, Input{Name: prefix + p, Size: info.Size(), open: func() (io.ReadCloser, error) { return fsys.Open(p) }})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}
