package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

const module = "github.com/sipdbg/sipdbg/"

// allowed says, for each part of the tree, which of the module's packages
// its production code may import (tests may import more). The graph is
// the README's: cmd → tui → {probe, report} → analysis → session ←
// pipeline → capture, with siplex (the SIP lexer) a leaf under session,
// capture and analysis, and media (RTP statistics) a leaf under session,
// pipeline, analysis and tui. A part's own subpackages are always allowed; the
// longest matching part decides.
var allowed = map[string][]string{
	"siplex":            {},
	"media":             {},
	"session":           {"siplex", "media"},
	"capture":           {"siplex"},
	"capture/source":    {"capture"},
	"capture/texttrace": {"capture", "siplex"},
	"capture/hep":       {"siplex"},
	"capture/ws":        {"siplex"},
	"pipeline":          {"capture", "session", "media"},
	"analysis":          {"session", "siplex", "media"},
	"report":            {"analysis", "session", "media"},
	"report/export":     {"session", "capture/synth"},
	"probe":             {"analysis", "session", "pipeline", "capture", "report/export", "siplex"},
	"tui":               {"probe", "report", "analysis", "session", "media", "pipeline", "capture/source", "internal/memstat"},
	"tui/config":        {"session", "tui/calllist", "tui/keys", "tui/styles"},
	"mcp":               {"analysis", "session", "report"},
	"internal/creds":    {"analysis"},
	"internal/demo":     {"capture", "pipeline", "session"},
	"internal/memstat":  {},
	"internal/lab":      {},
	"internal/testkit":  {"analysis", "session", "pipeline", "capture"},
	"cmd":               {"tui", "probe", "report", "mcp", "analysis", "session", "pipeline", "capture", "internal/creds", "internal/demo", "internal/memstat"},
}

// TestImportsPointOneWay fails when a package imports one the layout
// forbids: a model that reads files, an analysis that knows the
// interface, production code that leans on a test kit. It reads every
// .go file of every build tag, so a platform-only import is caught too.
func TestImportsPointOneWay(t *testing.T) {
	root := testenv.Root(t)
	fset := token.NewFileSet()
	seen := 0
	documented := map[string]bool{} // package: its doc comment says what it may import
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "tools") {
				return filepath.SkipDir // tools/ is a module of its own
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		pkg := filepath.ToSlash(filepath.Dir(rel))
		if pkg != "capture" && !strings.HasPrefix(pkg, "capture/") {
			// The mapping is capture's business: nobody else arms a fault
			// guard or hands pages back (they go through the store's
			// Backing, which the pipeline sets from capture.BackingOf).
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []string{"SetPanicOnFault", "ReleaseBehind", "capture.Release("} {
				if strings.Contains(string(src), w) && !(w == "capture.Release(" && pkg == "pipeline") {
					t.Errorf("%s uses %s: the mapped file's faults and pages are capture's (see capture.Backing)", rel, w)
				}
			}
		}
		if _, ok := documented[pkg]; !ok {
			documented[pkg] = false
		}
		if f.Doc != nil && strings.Contains(f.Doc.Text(), "import") {
			documented[pkg] = true
		}
		part := partOf(pkg)
		if part == "" {
			t.Errorf("%s: package %s is in no part of the layout: add it to allowed", rel, pkg)
			return nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == "github.com/emiago/sipgo" || strings.HasPrefix(p, "github.com/emiago/sipgo/") {
				if part != "probe" {
					t.Errorf("%s imports %s: only the probe speaks SIP through sipgo", rel, p)
				}
			}
			if !strings.HasPrefix(p, module) {
				continue
			}
			seen++
			dep := strings.TrimPrefix(p, module)
			if !may(part, pkg, dep) {
				t.Errorf("%s imports %s: %s may import only %v (and its own subpackages)", rel, dep, part, allowed[part])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pkg, ok := range documented {
		if !ok {
			t.Errorf("package %s: its doc comment does not say what it imports (or must not)", pkg)
		}
	}
	if seen < 50 {
		t.Fatalf("only %d imports of the module's packages read: is the walk finding the tree?", seen)
	}
}

// partOf is the longest key of allowed that pkg is or is under.
func partOf(pkg string) string {
	best := ""
	for k := range allowed {
		if (pkg == k || strings.HasPrefix(pkg, k+"/")) && len(k) > len(best) {
			best = k
		}
	}
	return best
}

func may(part, pkg, dep string) bool {
	if dep == pkg || strings.HasPrefix(dep, part+"/") || dep == part {
		return !strings.HasPrefix(dep, "internal/testkit") || strings.HasPrefix(part, "internal/testkit")
	}
	for _, a := range allowed[part] {
		if dep == a || strings.HasPrefix(dep, a+"/") {
			return true
		}
	}
	return false
}

// The rules themselves: a forbidden edge of each kind is refused, so a
// mistake in may cannot pass everything.
func TestLayoutRulesRefuse(t *testing.T) {
	for _, c := range []struct{ pkg, dep string }{
		{"session", "capture"},
		{"session", "pipeline"},
		{"capture", "session"},
		{"capture/texttrace", "session"},
		{"analysis", "tui"},
		{"analysis", "report"},
		{"report", "tui"},
		{"report", "capture"},
		{"probe", "tui"},
		{"tui", "cmd/sipdbg"},
		{"tui", "internal/testkit/pcaptest"},
		{"report/export", "internal/testkit/pcaptest"},
		{"capture/source", "internal/testkit/pcaptest"},
	} {
		if may(partOf(c.pkg), c.pkg, c.dep) {
			t.Errorf("%s may import %s: the layout forbids it", c.pkg, c.dep)
		}
	}
	for _, c := range []struct{ pkg, dep string }{
		{"pipeline", "session"},
		{"pipeline", "capture"},
		{"tui/flow", "tui/ladder"},
		{"capture/source", "capture/texttrace"},
		{"internal/testkit/authlab", "internal/testkit/testenv"},
	} {
		if !may(partOf(c.pkg), c.pkg, c.dep) {
			t.Errorf("%s may not import %s: the layout allows it", c.pkg, c.dep)
		}
	}
}

// Every directory with Go code is somewhere in the layout, and every part
// named in it exists.
func TestLayoutPartsExist(t *testing.T) {
	root := testenv.Root(t)
	keys := make([]string, 0, len(allowed))
	for k := range allowed {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if _, err := os.Stat(filepath.Join(root, k)); err != nil {
			t.Errorf("layout part %s: %v", k, err)
		}
	}
}
