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
	"slices"
	"sort"
	"strings"
)

// Input is one file or stream to read.
type Input struct {
	// Name is the path as given, or "-" for standard input.
	Name string
	// Size is the file's size in bytes, or -1 when unknown.
	Size int64
	// Listed is true for a file found by listing a directory, false for
	// one named on the command line.
	Listed bool
	// Aliases are the other paths that name the same file (through a
	// symbolic or hard link, or given twice), left out so that it is
	// read once.
	Aliases []string
	open    func() (io.ReadCloser, error)
	info    fs.FileInfo // of a file, to recognise it under another name
}

// Open opens the input for reading.
func (in Input) Open() (io.ReadCloser, error) { return in.open() }

// Expand turns the paths of a command line into inputs: a file is one
// input, a directory every regular file below it (hidden files and
// directories skipped), and "-" standard input. stdin is what "-" reads.
// Symbolic links are followed, to files and directories alike; a link to
// a directory that contains it is not followed again. A path that does not
// exist is an error. Below a directory, what cannot be listed or followed
// (a directory without permission, a dangling link) becomes an input that
// fails to open with the reason, so that the run reports it, counts it and
// reads everything else. A file reached under several names (links to it,
// or a path given twice) is one input, under the name that comes first,
// with the other names as its Aliases.
func Expand(paths []string, stdin io.Reader) ([]Input, error) {
	ins, err := expand(paths, stdin, osFS{})
	if err != nil {
		return nil, err
	}
	return unique(ins), nil
}

// unique leaves out the inputs that name a file an earlier input names,
// comparing device and inode (os.SameFile) among files of the same size,
// and adds their names to the earlier input's aliases.
func unique(ins []Input) []Input {
	bySize := map[int64][]int{} // indexes in out
	var out []Input
	for _, in := range ins {
		if in.info != nil {
			same := bySize[in.Size]
			if i := slices.IndexFunc(same, func(j int) bool { return os.SameFile(out[j].info, in.info) }); i >= 0 {
				out[same[i]].Aliases = append(out[same[i]].Aliases, in.Name)
				continue
			}
			bySize[in.Size] = append(same, len(out))
		}
		out = append(out, in)
	}
	return out
}

// dirFS is what Expand needs of a file system; tests make parts of it fail.
type dirFS interface {
	Stat(name string) (fs.FileInfo, error)
	ReadDir(name string) ([]fs.DirEntry, error)
}

// osFS is the operating system's file system.
type osFS struct{}

func (osFS) Stat(name string) (fs.FileInfo, error)      { return os.Stat(name) }
func (osFS) ReadDir(name string) ([]fs.DirEntry, error) { return os.ReadDir(name) }

func expand(paths []string, stdin io.Reader, fsys dirFS) ([]Input, error) {
	var out []Input
	for _, p := range paths {
		if p == "-" {
			out = append(out, Input{Name: "-", Size: -1, open: func() (io.ReadCloser, error) { return io.NopCloser(stdin), nil }})
			continue
		}
		fi, err := fsys.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", p, err)
		}
		if !fi.IsDir() {
			out = append(out, fileInput(p, fi))
			continue
		}
		w := walker{fsys: fsys}
		w.dir(p, []fs.FileInfo{fi})
		sort.Slice(w.out, func(i, j int) bool { return w.out[i].Name < w.out[j].Name })
		out = append(out, w.out...)
	}
	return out, nil
}

// walker lists the regular files under a directory.
type walker struct {
	fsys dirFS
	out  []Input
}

// dir lists the directory at path; parents are the directories it is in,
// itself included, to recognise a link back to one of them.
func (w *walker) dir(path string, parents []fs.FileInfo) {
	entries, err := w.fsys.ReadDir(path)
	if err != nil {
		// ReadDir returns the entries it read before the error.
		w.out = append(w.out, failedInput(path, fmt.Errorf("cannot list the directory: %w", err)))
	}
	for _, d := range entries {
		if strings.HasPrefix(d.Name(), ".") {
			continue
		}
		w.entry(filepath.Join(path, d.Name()), d, parents)
	}
}

// entry adds what the directory entry d at path holds.
func (w *walker) entry(path string, d fs.DirEntry, parents []fs.FileInfo) {
	var fi fs.FileInfo
	var err error
	if d.Type()&fs.ModeSymlink != 0 {
		fi, err = w.fsys.Stat(path)
		if err != nil {
			w.out = append(w.out, failedInput(path, fmt.Errorf("cannot follow the symbolic link: %w", err)))
			return
		}
	} else if fi, err = d.Info(); err != nil {
		w.out = append(w.out, failedInput(path, err))
		return
	}
	switch {
	case fi.IsDir():
		for _, p := range parents {
			if os.SameFile(p, fi) {
				return // a link to a directory being listed
			}
		}
		w.dir(path, append(parents[:len(parents):len(parents)], fi))
	case fi.Mode().IsRegular():
		in := fileInput(path, fi)
		in.Listed = true
		w.out = append(w.out, in)
	}
}

// failedInput is an input that fails to open with err, so that it is
// reported and counted with the others.
func failedInput(path string, err error) Input {
	return Input{Name: path, Size: -1, open: func() (io.ReadCloser, error) { return nil, err }}
}

func fileInput(path string, fi fs.FileInfo) Input {
	return Input{Name: path, Size: fi.Size(), info: fi, open: func() (io.ReadCloser, error) { return os.Open(path) }}
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
