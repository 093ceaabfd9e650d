package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// Parse reads a configuration from data; file names it in errors and
// warnings, and relative credentials paths are taken from its directory.
//
// It reads twice: go-toml's decoder first, for the syntax and duplicate
// keys with their positions; then go-toml's parser, whose tree keeps the
// position of every key and value, so that a problem only this package
// knows of (an unknown column, a key two actions share) is reported at
// its line too. The decoder alone only knows positions of its own errors.
func Parse(file string, data []byte) (Config, []string, error) {
	var syntax map[string]any
	if err := toml.Unmarshal(data, &syntax); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, _ := de.Position()
			return Config{}, nil, &Error{File: file, Line: line, Msg: strings.TrimPrefix(de.Error(), "toml: ")}
		}
		return Config{}, nil, &Error{File: file, Msg: err.Error()}
	}
	p := &parser{file: file, cfg: Default()}
	p.cfg.File = file
	if err := p.run(data); err != nil {
		return Config{}, nil, err
	}
	if err := p.applyKeys(); err != nil {
		return Config{}, nil, err
	}
	if err := p.applyCommands(); err != nil {
		return Config{}, nil, err
	}
	p.applyColors()
	return p.cfg, p.warnings, nil
}

type parser struct {
	file     string
	tree     unstable.Parser
	cfg      Config
	rebinds  []rebind
	warnings []string

	colourSets []colourSet // [colors], applied after the theme (colors.go)
}

type rebind struct {
	action string
	keys   []string
	line   int
}

func (p *parser) errorf(line int, format string, args ...any) error {
	return &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) warnf(line int, format string, args ...any) {
	p.warnings = append(p.warnings, (&Error{File: p.file, Line: line, Msg: "warning: " + fmt.Sprintf(format, args...)}).Error())
}

// line is where n starts; nodes without bytes of their own (arrays,
// inline tables) start where their first part does.
func (p *parser) line(n *unstable.Node, fallback int) int {
	if n == nil || !n.Valid() {
		return fallback
	}
	if n.Raw.Length > 0 {
		return p.tree.Shape(n.Raw).Start.Line
	}
	if n.Kind == unstable.KeyValue {
		k := n.Key()
		if k.Next() {
			return p.line(k.Node(), fallback)
		}
	}
	if c := n.Children(); c.Next() {
		return p.line(c.Node(), fallback)
	}
	return fallback
}

func keyPath(n *unstable.Node) []string {
	var out []string
	for k := n.Key(); k.Next(); {
		out = append(out, string(k.Node().Data))
	}
	return out
}

// run walks the expressions: table headers set where the keys after
// them go; every key=value goes to set with its full path.
func (p *parser) run(data []byte) error {
	p.tree.Reset(data)
	var table []string
	for p.tree.NextExpression() {
		e := p.tree.Expression()
		line := p.line(e, 0)
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table = keyPath(e)
			name := strings.Join(table, ".")
			if e.Kind == unstable.ArrayTable && name == "commands" {
				p.cfg.Commands = append(p.cfg.Commands, Command{Line: line}) // its keys follow
			} else if e.Kind == unstable.Table && table[0] == "colors" {
				if err := p.colorsTable(table, line); err != nil {
					return err
				}
			} else if e.Kind == unstable.ArrayTable || name != "list" && name != "keys" && name != "aliases" {
				return p.errorf(line, "unknown table %q (known: [list], [keys], [aliases], [colors], [[commands]])", name)
			}
		case unstable.KeyValue:
			path := append(slices.Clone(table), keyPath(e)...)
			if err := p.set(path, e.Value(), line); err != nil {
				return err
			}
		}
	}
	return p.tree.Error() // the decoder saw the same text without error: nil
}

func (p *parser) set(path []string, v *unstable.Node, line int) error {
	name := strings.Join(path, ".")
	switch {
	case name == "theme":
		s, err := p.str(name, v, line)
		if err != nil {
			return err
		}
		st, err := styles.ByName(s)
		if err != nil {
			return p.errorf(line, "%v", err)
		}
		p.cfg.Theme, p.cfg.Styles = s, st
	case name == "credentials":
		s, err := p.str(name, v, line)
		if err != nil {
			return err
		}
		p.cfg.Credentials = p.expand(s)
	case name == "keylog":
		ks, err := p.strs(name, v, line)
		if err != nil {
			return err
		}
		for _, k := range ks {
			p.cfg.Keylog = append(p.cfg.Keylog, p.expand(k))
		}
	case path[0] == "aliases":
		return p.aliases(path, v, line)
	case path[0] == "colors":
		return p.colors(path, v, line)
	case name == "list.columns":
		return p.columns(v, line)
	case (name == "list" || name == "keys") && v.Kind == unstable.InlineTable:
		for c := v.Children(); c.Next(); {
			kv := c.Node()
			if err := p.set(append(slices.Clone(path), keyPath(kv)...), kv.Value(), p.line(kv, line)); err != nil {
				return err
			}
		}
	case name == "list" || name == "keys":
		return p.errorf(line, "%s must be a table ([%s])", name, name)
	case len(path) == 2 && path[0] == "keys":
		ks, err := p.strs(name, v, line)
		if err != nil {
			return err
		}
		p.rebinds = append(p.rebinds, rebind{path[1], ks, line})
	case path[0] == "keys":
		return p.errorf(line, "unknown key %q (an action takes a key or a list of keys: keys.ACTION = [KEYS])", name)
	case path[0] == "list":
		return p.errorf(line, "unknown key %q (known: list.columns)", name)
	case path[0] == "commands":
		return p.command(path, v, line)
	default:
		return p.errorf(line, "unknown key %q (known: theme, credentials, keylog, [list], [keys], [aliases], [colors], [[commands]])", name)
	}
	return nil
}

func (p *parser) str(name string, v *unstable.Node, line int) (string, error) {
	if v.Kind != unstable.String {
		return "", p.errorf(line, "%s must be a string", name)
	}
	return string(v.Data), nil
}

// strs takes a string or an array of strings.
func (p *parser) strs(name string, v *unstable.Node, line int) ([]string, error) {
	if v.Kind == unstable.String {
		return []string{string(v.Data)}, nil
	}
	if v.Kind != unstable.Array {
		return nil, p.errorf(line, "%s must be a key or a list of keys", name)
	}
	out := []string{}
	for c := v.Children(); c.Next(); {
		if c.Node().Kind != unstable.String {
			return nil, p.errorf(p.line(c.Node(), line), "%s must be a list of strings", name)
		}
		out = append(out, string(c.Node().Data))
	}
	return out, nil
}

// expand resolves ~ to the home directory, and a relative path from the
// configuration file's directory, where the user who wrote it looked.
func (p *parser) expand(path string) string {
	if path == "" {
		return ""
	}
	if rest, ok := strings.CutPrefix(path, "~"); ok && (rest == "" || rest[0] == '/') {
		if h, err := os.UserHomeDir(); err == nil {
			return filepath.Join(h, rest)
		}
	}
	if !filepath.IsAbs(path) {
		return filepath.Join(filepath.Dir(p.file), path)
	}
	return path
}

// applyKeys rebinds in two passes: every rebound action loses its keys
// first, so that actions may trade keys whatever the order of the lines.
func (p *parser) applyKeys() error {
	m := keys.Default()
	for _, r := range p.rebinds {
		if err := m.Rebind(r.action, nil); err != nil {
			return p.errorf(r.line, "keys: %v", err)
		}
	}
	for _, r := range p.rebinds {
		if err := m.Rebind(r.action, r.keys); err != nil {
			return p.errorf(r.line, "keys.%s: %v", r.action, err)
		}
		if len(r.keys) == 0 && r.action == "quit" {
			p.warnf(r.line, "keys.quit has no key: only ctrl+c quits")
		} else if len(r.keys) == 0 {
			p.warnf(r.line, "keys.%s has no key: the action is off", r.action)
		}
	}
	p.cfg.Keys = m
	return nil
}
