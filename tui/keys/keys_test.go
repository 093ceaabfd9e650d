package keys

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

var update = flag.Bool("update", false, "rewrite README.md's key tables from the key map")

// TestREADMEKeyTable keeps the README's key tables equal to the bindings
// the app uses (and the help shows); -update rewrites them.
func TestREADMEKeyTable(t *testing.T) {
	path := filepath.Join(testenv.Root(t), "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const start, end = "<!-- keys:start -->\n", "<!-- keys:end -->"
	s := string(b)
	i, j := strings.Index(s, start), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q … %q section", start, end)
	}
	if got, want := s[i+len(start):j], Default().Markdown(); got != want {
		if *update {
			if err := os.WriteFile(path, []byte(s[:i+len(start)]+want+s[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README key table differs from the bindings (go test ./tui/keys -run TestREADMEKeyTable -update); it should read:\n%s", want)
	}
}

// On each screen a key means one thing.
func TestNoKeyBoundTwice(t *testing.T) {
	for s := range nScreens {
		seen := map[string]string{}
		for _, b := range Default().Keys(s) {
			for _, k := range b.Keys() {
				if other, ok := seen[k]; ok {
					t.Errorf("%v: %q is bound to %q and %q", s, k, other, b.Help().Desc)
				}
				seen[k] = b.Help().Desc
			}
		}
	}
}

// Every action is on some screen (else its key would do nothing and no
// help would list it), and every screen has its help key or a way back.
func TestEveryActionOnAScreen(t *testing.T) {
	m := Default()
	for _, a := range m.actions() {
		if len(m.screensOf(a.b)) == 0 {
			t.Errorf("action %s is on no screen", a.name)
		}
	}
	for s := range nScreens {
		short := m.Short(s)
		if len(short) == 0 {
			t.Errorf("%v has no footer keys", s)
			continue
		}
		if s == List || s == Flow {
			if last := short[len(short)-1]; last.Help().Key != "?" {
				t.Errorf("%v: the footer ends with %q, want the help key", s, last.Help().Key)
			}
		}
	}
}
