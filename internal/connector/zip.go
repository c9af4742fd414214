// Copyright (c) The terraform-provider-appmixer authors
// SPDX-License-Identifier: MPL-2.0

package connector

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"sort"
)

func readZipEntry(f *zip.File) ([]byte, error) {
	if f.UncompressedSize64 > 4*MaxPackageBytes {
		return nil, errors.New("entry is too large to be part of a connector")
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, 4*MaxPackageBytes+1))
}

// deterministicZip writes the selected files under prefix in byte order of their paths, with fixed
// times and modes, so identical content always yields identical bytes.
func deterministicZip(prefix string, files packageFiles, selected []string) ([]byte, error) {
	paths := append([]string(nil), selected...)
	sort.Strings(paths)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range paths {
		h := &zip.FileHeader{Name: prefix + p, Method: zip.Deflate, Modified: zipEpoch}
		h.SetMode(0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[p]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ZipTree zips all of files under prefix the way PackDir zips what it selects (sorted, fixed times and
// modes) but leaves nothing out, so tests and tools can build a package by hand, however careless.
func ZipTree(prefix string, files map[string][]byte) ([]byte, error) {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	return deterministicZip(prefix, files, paths)
}
