package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// TestDocCommentsNameTheirImports: a package doc that says what the
// package imports "only" (or "nothing of sipdbg") must name every
// package of the module its production code imports, by its path
// ("tui/styles") or its last element. A doc that claims less than the
// code does misleads the reader the layout is written for.
func TestDocCommentsNameTheirImports(t *testing.T) {
	root := testenv.Root(t)
	fset := token.NewFileSet()
	docs := map[string]string{}             // package: its doc comments' text
	imports := map[string]map[string]bool{} // package: the module's packages it imports
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "tools") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(rel))
		if f.Doc != nil {
			docs[pkg] += f.Doc.Text()
		}
		if imports[pkg] == nil {
			imports[pkg] = map[string]bool{}
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasPrefix(p, module) {
				imports[pkg][strings.TrimPrefix(p, module)] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	claims := regexp.MustCompile(`(?s)\bimports\b[^.]*?\bonly\b[^.]*|imports nothing of sipdbg`)
	checked := 0
	for pkg, doc := range docs {
		claim := claims.FindString(doc)
		if claim == "" {
			continue
		}
		checked++
		for dep := range imports[pkg] {
			if strings.HasPrefix(dep, pkg+"/") {
				continue // its own subpackages
			}
			name := regexp.MustCompile(`\b` + regexp.QuoteMeta(dep) + `\b|\b` + regexp.QuoteMeta(filepath.Base(dep)) + `\b`)
			if !name.MatchString(claim) {
				t.Errorf("package %s imports %s, but its doc says %q", pkg, dep, strings.Join(strings.Fields(claim), " "))
			}
		}
	}
	if checked < 10 {
		t.Fatalf("only %d package docs say what they import only: is the walk finding the tree?", checked)
	}
}
