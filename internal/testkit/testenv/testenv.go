// Package testenv finds what tests need outside the repository.
//
// A test kit: only tests import it.
package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Root returns the repository root (the directory holding go.mod).
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// SharedPcaps returns the public capture corpus, ../shared/pcaps beside
// the repository (or $SIPDBG_SHARED_PCAPS). When it is absent the test is
// skipped with a message, unless $SIPDBG_REQUIRE_SHARED is set (CI sets
// it), in which case it fails.
func SharedPcaps(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("SIPDBG_SHARED_PCAPS")
	if dir == "" {
		dir = filepath.Join(Root(t), "..", "shared", "pcaps")
	}
	if _, err := os.Stat(filepath.Join(dir, "tshark-counts.json")); err != nil {
		if os.Getenv("SIPDBG_REQUIRE_SHARED") != "" {
			t.Fatalf("the shared capture corpus is required but absent: %v", err)
		}
		t.Skipf("the shared capture corpus is absent (%v): skipping", err)
	}
	return dir
}

// SharedCaptures returns the names of the capture files of SharedPcaps
// (its notes, *.md, and counts, *.json, left out), in directory order.
func SharedCaptures(t testing.TB) (dir string, names []string) {
	t.Helper()
	dir = SharedPcaps(t)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && !strings.HasSuffix(n, ".md") && !strings.HasSuffix(n, ".json") {
			names = append(names, n)
		}
	}
	return dir, names
}
