// Package golden compares rendered views with files under testdata/,
// after downsampling them to the ASCII colour profile (no colours, text
// attributes kept), so that goldens hold no colour escapes. Run the tests
// with -update to rewrite the files.
//
// A test kit: only tests import it.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/charmbracelet/colorprofile"
	_ "github.com/charmbracelet/x/exp/golden" // defines -update
)

// updating reports whether -update was given. The flag is the one
// charmbracelet/x/exp/golden defines (teatest imports it), shared so
// that one -update rewrites every golden file.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// ASCII downsamples s to the ASCII profile.
func ASCII(s string) string {
	var b bytes.Buffer
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ASCII}
	w.WriteString(s)
	return b.String()
}

// Check compares got (downsampled) with testdata/name.golden.
func Check(t *testing.T, name, got string) {
	t.Helper()
	got = ASCII(got)
	path := filepath.Join("testdata", name+".golden")
	if updating() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; run with -update after checking.\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}
