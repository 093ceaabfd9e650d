package config

import (
	"errors"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/sipdbg/sipdbg/tui/calllist"
)

// columns reads list.columns: names, "hdr:NAME", or tables
// {column=NAME} / {header=NAME} with title and width.
func (p *parser) columns(v *unstable.Node, line int) error {
	if v.Kind != unstable.Array {
		return p.errorf(line, "list.columns must be a list of columns")
	}
	var cols []calllist.Column
	seen := map[string]bool{}
	for c := v.Children(); c.Next(); {
		n := c.Node()
		at := p.line(n, line)
		var col calllist.Column
		var err error
		switch n.Kind {
		case unstable.String:
			col, err = column(string(n.Data))
		case unstable.InlineTable:
			col, err = p.columnTable(n, at)
		default:
			err = errors.New(`a column is a name, "hdr:NAME", or a table {column=NAME} or {header=NAME}`)
		}
		if err != nil {
			var ce *Error
			if errors.As(err, &ce) {
				return err
			}
			return p.errorf(at, "%v", err)
		}
		if key := strings.ToLower(col.String()); seen[key] {
			return p.errorf(at, "column %q is listed twice", col.String())
		}
		seen[strings.ToLower(col.String())] = true
		cols = append(cols, col)
	}
	if len(cols) == 0 {
		return p.errorf(line, "list.columns is empty (leave it out for the default columns)")
	}
	p.cfg.Columns = cols
	return nil
}

func column(s string) (calllist.Column, error) {
	if len(s) >= 4 && strings.EqualFold(s[:4], "hdr:") {
		return calllist.Header(strings.TrimSpace(s[4:]))
	}
	return calllist.Builtin(s)
}

// maxWidth bounds a column's width to something a screen can show.
const maxWidth = 200

func (p *parser) columnTable(n *unstable.Node, line int) (calllist.Column, error) {
	var name, header, title string
	var hasName, hasHeader bool
	width := 0
	for c := n.Children(); c.Next(); {
		kv := c.Node()
		at, key, v := p.line(kv, line), strings.Join(keyPath(kv), "."), kv.Value()
		var err error
		switch key {
		case "column":
			name, err = p.str("column", v, at)
			hasName = true
		case "header":
			header, err = p.str("header", v, at)
			hasHeader = true
		case "title":
			title, err = p.str("title", v, at)
		case "width":
			if v.Kind != unstable.Integer {
				return calllist.Column{}, p.errorf(at, "width must be a number of cells")
			}
			w, perr := strconv.ParseInt(strings.ReplaceAll(string(v.Data), "_", ""), 0, 64)
			if perr != nil || w < 1 || w > maxWidth {
				return calllist.Column{}, p.errorf(at, "width must be 1 to %d cells", maxWidth)
			}
			width = int(w)
		default:
			return calllist.Column{}, p.errorf(at, "unknown key %q in a column (known: column, header, title, width)", key)
		}
		if err != nil {
			return calllist.Column{}, err
		}
	}
	var col calllist.Column
	var err error
	switch {
	case hasName == hasHeader:
		return col, p.errorf(line, "a column table takes one of column=NAME or header=NAME")
	case hasName:
		col, err = calllist.Builtin(name)
	default:
		col, err = calllist.Header(header)
	}
	if err != nil {
		return col, p.errorf(line, "%v", err)
	}
	return col.WithTitle(title).WithWidth(width), nil
}
