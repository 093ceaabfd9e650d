package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// sharedState is the package-level state production code may change,
// and why it cannot belong to a value instead.
var sharedState = map[string]string{
	// A memory fault carries an address, not a reader: telling a fault in
	// a mapped capture from a bug needs the process's mapped ranges.
	"capture.mappings":   "the process's mapped address ranges",
	"capture.mappingsMu": "guards capture.mappings",
	// sipgo has one process-wide tracer and logger and no per-client
	// option; the probe installs its recorder once and runs one at a time.
	"probe.wire": "sipgo's process-wide tracer",
}

// mutators are the methods that change the value they are called on,
// among those production code calls on package-level variables.
var mutators = map[string]bool{"Lock": true, "Store": true, "Add": true, "Swap": true, "CompareAndSwap": true, "Do": true, "Reset": true, "Set": true, "Write": true}

// TestNoPackageLevelState fails when a function changes a package-level
// variable (assigns it or an element or field of it, takes its address,
// or calls a mutating method on it), unless sharedState names it: state
// belongs to a value its owner passes on (a store, a reader, a model),
// so that two of them never meet. Tables only read after their
// declaration, sync.Pools and error values are fine.
func TestNoPackageLevelState(t *testing.T) {
	root := testenv.Root(t)
	fset := token.NewFileSet()
	files := map[string][]*ast.File{} // by package directory
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "tools" || d.Name() == "testkit") {
				return filepath.SkipDir // tools/ is a module of its own; test kits are not production
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(rel))
		files[dir] = append(files[dir], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for dir, fs := range files {
		globals := map[string]bool{}
		for _, f := range fs {
			for _, decl := range f.Decls {
				if g, ok := decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
					for _, spec := range g.Specs {
						for _, n := range spec.(*ast.ValueSpec).Names {
							if n.Name != "_" {
								globals[n.Name] = true
							}
						}
					}
				}
			}
		}
		for _, f := range fs {
			for _, decl := range f.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || fn.Body == nil || fn.Name.Name == "init" && fn.Recv == nil {
					continue // init completes a declaration
				}
				for _, name := range changed(fn, globals) {
					key := dir + "." + name
					found[key] = true
					if _, ok := sharedState[key]; !ok {
						t.Errorf("%s: %s changes the package-level %s: make it a field of the value that owns it", dir, fn.Name.Name, name)
					}
				}
			}
		}
	}
	for key := range sharedState {
		if !found[key] {
			t.Errorf("sharedState lists %s, which no function changes any more: take it out", key)
		}
	}
}

// changed returns the package-level variables (globals) that fn changes.
// A name fn declares itself (a parameter, :=, var) hides the global.
func changed(fn *ast.FuncDecl, globals map[string]bool) []string {
	local := map[string]bool{}
	declare := func(fl *ast.FieldList) {
		if fl == nil {
			return
		}
		for _, f := range fl.List {
			for _, n := range f.Names {
				local[n.Name] = true
			}
		}
	}
	declare(fn.Recv)
	declare(fn.Type.Params)
	declare(fn.Type.Results)
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						local[id.Name] = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, id := range n.Names {
				local[id.Name] = true
			}
		case *ast.FuncLit:
			declare(n.Type.Params)
		case *ast.RangeStmt:
			if n.Tok == token.DEFINE {
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok {
						local[id.Name] = true
					}
				}
			}
		}
		return true
	})
	var out []string
	hit := func(e ast.Expr) {
		if name := rootName(e); globals[name] && !local[name] {
			out = append(out, name)
		}
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE {
				for _, l := range n.Lhs {
					hit(l)
				}
			}
		case *ast.IncDecStmt:
			hit(n.X)
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				hit(n.X)
			}
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && (id.Name == "delete" || id.Name == "clear") && len(n.Args) > 0 {
				hit(n.Args[0])
			}
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && mutators[sel.Sel.Name] {
				hit(sel.X)
			}
		}
		return true
	})
	return out
}

// rootName is the variable an expression like v, v.f, v[i] or *v starts
// from ("" when it starts from a call or a literal).
func rootName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.Ident:
			return x.Name
		case *ast.SelectorExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		default:
			return ""
		}
	}
}
