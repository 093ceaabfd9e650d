package keys

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// TestREADMEKeyTable keeps the README's key table equal to the bindings
// the app uses (and the help overlay shows).
func TestREADMEKeyTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testenv.Root(t), "README.md"))
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
		t.Errorf("README key table differs from the bindings; it should read:\n%s", want)
	}
}

func TestNoKeyBoundTwice(t *testing.T) {
	seen := map[string]string{}
	for _, g := range Default().FullHelp() {
		for _, b := range g {
			for _, k := range b.Keys() {
				if other, ok := seen[k]; ok {
					t.Errorf("%q is bound to %q and %q", k, other, b.Help().Desc)
				}
				seen[k] = b.Help().Desc
			}
		}
	}
}
