package config

import (
	"image/color"
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/sipdbg/sipdbg/tui/styles"
)

// colourSet is one change [colors] makes to one style: a colour (fg,
// bg) or a text attribute (bold …). They are kept, checked, until the
// whole file is read, and applied then on top of the theme, so that
// theme may come after [colors] in the file.
type colourSet struct {
	style, attr string
	colour      color.Color // fg, bg
	on          bool        // the text attributes
}

// colors reads [colors] (or colors = {...}, colors.NAME = ..., or
// [colors.NAME]): a style's name with a colour, its foreground, or a
// table of fg, bg and text attributes, each changing only what it
// names. path is the key's full path, "colors" first.
func (p *parser) colors(path []string, v *unstable.Node, line int) error {
	name := strings.Join(path, ".")
	switch {
	case len(path) == 1 && v.Kind == unstable.InlineTable:
		return p.colorsInline(path, v, line)
	case len(path) == 1:
		return p.errorf(line, "colors must be a table ([colors])")
	}
	if err := p.colorStyle(path[1], line); err != nil {
		return err
	}
	switch {
	case len(path) == 2 && v.Kind == unstable.String:
		return p.colour(path[1], "fg", name, v, line)
	case len(path) == 2 && v.Kind == unstable.InlineTable:
		return p.colorsInline(path, v, line)
	case len(path) == 2:
		return p.errorf(line, "%s must be a colour (\"#ff5f5f\", \"214\", \"red\") or a table ({ fg = \"red\", bold = true })", name)
	case len(path) > 3:
		return p.errorf(line, "unknown key %q (a style takes %s)", name, strings.Join(attrs(), ", "))
	case slices.Contains(styles.ColourAttrs(), path[2]):
		if v.Kind != unstable.String {
			return p.errorf(line, "%s must be a colour, a string (\"#ff5f5f\", \"214\", \"red\")", name)
		}
		return p.colour(path[1], path[2], name, v, line)
	case slices.Contains(styles.FlagAttrs(), path[2]):
		if v.Kind != unstable.Bool {
			return p.errorf(line, "%s must be true or false", name)
		}
		p.colourSets = append(p.colourSets, colourSet{style: path[1], attr: path[2], on: string(v.Data) == "true"})
		return nil
	}
	return p.errorf(line, "%s: unknown attribute %q (known: %s)", strings.Join(path[:2], "."), path[2], strings.Join(attrs(), ", "))
}

// colorsInline reads an inline table's keys as if each were written
// path.KEY = VALUE on its own line.
func (p *parser) colorsInline(path []string, v *unstable.Node, line int) error {
	for c := v.Children(); c.Next(); {
		kv := c.Node()
		if err := p.colors(append(slices.Clone(path), keyPath(kv)...), kv.Value(), p.line(kv, line)); err != nil {
			return err
		}
	}
	return nil
}

// colorsTable checks a [colors.NAME] header, whose keys colors then reads.
func (p *parser) colorsTable(table []string, line int) error {
	if len(table) > 2 {
		return p.errorf(line, "unknown table %q (a style's table is [colors.NAME])", strings.Join(table, "."))
	}
	if len(table) == 2 {
		return p.colorStyle(table[1], line)
	}
	return nil
}

func (p *parser) colorStyle(name string, line int) error {
	if !slices.Contains(styles.FieldNames(), name) {
		return p.errorf(line, "colors: unknown style %q (known: %s)", name, strings.Join(styles.FieldNames(), ", "))
	}
	return nil
}

func (p *parser) colour(style, attr, name string, v *unstable.Node, line int) error {
	c, err := styles.ParseColour(string(v.Data))
	if err != nil {
		return p.errorf(line, "%s: %v", name, err)
	}
	p.colourSets = append(p.colourSets, colourSet{style: style, attr: attr, colour: c})
	return nil
}

func attrs() []string { return append(styles.ColourAttrs(), styles.FlagAttrs()...) }

// applyColors makes the changes on the theme's styles, now that the
// theme is known. Everything was checked when read: nothing fails here.
func (p *parser) applyColors() {
	for _, s := range p.colourSets {
		st := p.cfg.Styles.Field(s.style)
		if s.colour != nil {
			*st, _ = styles.SetColour(*st, s.attr, s.colour)
		} else {
			*st, _ = styles.SetFlag(*st, s.attr, s.on)
		}
	}
}
