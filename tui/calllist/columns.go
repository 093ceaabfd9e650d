package calllist

import (
	"fmt"
	"strings"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/session"
)

// Column is one column as a configuration names it: a built-in one (see
// Names) or the value of a SIP header. Make one with Builtin or Header.
type Column struct {
	name   string // built-in column; "" for a header column
	header string // SIP header shown
	title  string // "" for the default: the name or the header
	width  int    // fixed width in cells; 0 for the column's own
}

// Names lists the built-in columns, in their default order.
func Names() []string {
	out := make([]string, 0, len(builtins)+len(optional))
	for _, c := range allBuiltins() {
		out = append(out, c.title)
	}
	return out
}

// Builtin returns the built-in column name (see Names; any letter case).
func Builtin(name string) (Column, error) {
	if strings.EqualFold(name, "auth") {
		name = "Verdict" // its name when it graded authentication only: configurations keep working
	}
	for _, c := range allBuiltins() {
		if strings.EqualFold(c.title, name) {
			return Column{name: c.title}, nil
		}
	}
	return Column{}, fmt.Errorf("unknown column %q (known: %s, or hdr:NAME for a SIP header)", name, strings.Join(Names(), ", "))
}

// Header returns a column showing the SIP header name (compact forms
// such as "f" or "l" included): its first value in the first message of
// the call that has it, normally the call's first request.
func Header(name string) (Column, error) {
	if name == "" {
		return Column{}, fmt.Errorf("a header column needs a header name")
	}
	for _, r := range name {
		// RFC 3261 §25.1: a header name is a token.
		if r <= ' ' || r >= 0x7f || strings.ContainsRune("()<>@,;:\\\"/[]?={}", r) {
			return Column{}, fmt.Errorf("%q is not a SIP header name", name)
		}
	}
	return Column{header: name}, nil
}

// WithTitle returns the column headed title instead.
func (c Column) WithTitle(title string) Column { c.title = title; return c }

// WithWidth returns the column at a fixed width of w cells (0: its own).
func (c Column) WithWidth(w int) Column { c.width = w; return c }

// String is the column as the configuration writes it.
func (c Column) String() string {
	if c.header != "" {
		return "hdr:" + c.header
	}
	return c.name
}

// SetColumns shows cs, in that order; nil brings back the default set.
func (m *Model) SetColumns(cs []Column) {
	if cs == nil {
		m.cols = nil
		return
	}
	m.cols = make([]column, len(cs))
	for i, spec := range cs {
		m.cols[i] = resolve(spec)
	}
}

// Reset empties the list for a new store (a paste, a probe), keeping
// its columns; their header caches start afresh.
func (m *Model) Reset(opt analysis.Options) {
	var specs []Column
	for _, c := range m.cols {
		specs = append(specs, c.spec)
	}
	*m = Model{Opt: opt}
	m.SetColumns(specs)
}

func resolve(spec Column) column {
	var c column
	if spec.header != "" {
		h := &headerCache{name: spec.header}
		value := func(_ *Model, s *session.Store, call *session.Call) string { return h.get(s, call) }
		c = column{title: spec.header, flex: true, value: value, key: value, cache: h}
	} else {
		for _, b := range allBuiltins() {
			if b.title == spec.name {
				c = b
			}
		}
		switch spec.name { // read from the bodies and the streams: cached per call
		case "Codec":
			h := &headerCache{}
			value := func(_ *Model, s *session.Store, call *session.Call) string { return h.codec(s, call) }
			c.value, c.key, c.cache = value, value, h
		case "Media":
			h := &headerCache{}
			value := func(_ *Model, s *session.Store, call *session.Call) string { return h.media(s, call) }
			c.value, c.key, c.cache = value, value, h
		}
	}
	c.spec = spec
	if spec.title != "" {
		c.title = spec.title
	}
	if spec.width > 0 {
		c.width, c.flex = spec.width, false
	}
	return c
}

// allBuiltins is every built-in column: the default set, then the
// optional ones.
func allBuiltins() []column { return append(builtins[:len(builtins):len(builtins)], optional...) }

// headers returns the header columns' caches.
func (m *Model) headers() []*headerCache {
	var out []*headerCache
	for _, c := range m.cols {
		if c.cache != nil {
			out = append(out, c.cache)
		}
	}
	return out
}

func (m *Model) columns() []column {
	if m.cols == nil {
		return builtins
	}
	return m.cols
}

// sortCols maps the sort positions (SortCol) to columns: position 0 is
// the capture order, the # column's (-1 when # is not shown), so that
// "SortCol 0, not reversed" means unsorted whatever the columns; then
// every other column as shown.
func (m *Model) sortCols() []int {
	cols := m.columns()
	out := []int{-1}
	for i, c := range cols {
		if c.spec.name == "#" {
			out[0] = i
		} else {
			out = append(out, i)
		}
	}
	return out
}

// sortKey is the key of the sort column, nil for the capture order.
func (m *Model) sortKey() func(*Model, *session.Store, *session.Call) string {
	pos := m.sortCols()
	if m.SortCol <= 0 || m.SortCol >= len(pos) {
		return nil
	}
	return m.columns()[pos[m.SortCol]].key
}

// SortName is the title of the sort column.
func (m *Model) SortName() string {
	pos := m.sortCols()
	if m.SortCol <= 0 || m.SortCol >= len(pos) {
		return "#"
	}
	return m.columns()[pos[m.SortCol]].title
}

// Columns is the number of sort positions, for cycling the sort column:
// the capture order and every column but #.
func (m *Model) Columns() int { return len(m.sortCols()) }

// SetOptions changes the analysis options (the capture's survey, once
// it is loaded): every call is graded again.
func (m *Model) SetOptions(opt analysis.Options) {
	m.Opt, m.auth, m.graded = opt, nil, 0
}
