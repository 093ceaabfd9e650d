package styles

import (
	"fmt"
	"image/color"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
)

// TestFieldNames: every style of Styles has one name, so that a style
// added without one cannot be left out of [colors]; and Field gives the
// field itself, not a copy.
func TestFieldNames(t *testing.T) {
	var s Styles
	v := reflect.ValueOf(&s).Elem()
	names := FieldNames()
	if v.NumField() != len(names) {
		t.Fatalf("Styles has %d fields, FieldNames %d names", v.NumField(), len(names))
	}
	for i, name := range names {
		if slices.Index(names, name) != i {
			t.Errorf("%q is named twice", name)
		}
		// Names in Styles' order, each the field's name in snake_case.
		if want := snake(v.Type().Field(i).Name); name != want {
			t.Errorf("field %d is %s, named %q, want %q", i, v.Type().Field(i).Name, name, want)
		}
		if got := s.Field(name); got != v.Field(i).Addr().Interface().(*lipgloss.Style) {
			t.Errorf("Field(%q) is not &Styles.%s", name, v.Type().Field(i).Name)
		}
	}
	if s.Field("eror") != nil || s.Field("Error") != nil || s.Field("") != nil {
		t.Error("Field knows a name FieldNames does not list")
	}
	*s.Field("error") = plain().Bold(true)
	if !s.Error.GetBold() {
		t.Error("a change through Field does not reach the field")
	}
}

func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestParseColour(t *testing.T) {
	good := []struct {
		in   string
		want color.Color
	}{
		{"#ff5f5f", color.RGBA{R: 0xff, G: 0x5f, B: 0x5f, A: 0xff}},
		{"#FF5F5F", color.RGBA{R: 0xff, G: 0x5f, B: 0x5f, A: 0xff}},
		{"#f55", color.RGBA{R: 0xff, G: 0x55, B: 0x55, A: 0xff}},
		{"#000000", color.RGBA{A: 0xff}},
		{"0", lipgloss.ANSIColor(0)},
		{"9", lipgloss.ANSIColor(9)},
		{"214", lipgloss.ANSIColor(214)},
		{"255", lipgloss.ANSIColor(255)},
		{"black", lipgloss.ANSIColor(0)},
		{"red", lipgloss.ANSIColor(1)},
		{"white", lipgloss.ANSIColor(7)},
		{"bright-black", lipgloss.ANSIColor(8)},
		{"bright-red", lipgloss.ANSIColor(9)},
		{"bright-white", lipgloss.ANSIColor(15)},
		{"default", lipgloss.NoColor{}},
	}
	for _, c := range good {
		got, err := ParseColour(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseColour(%q) = %#v, %v; want %#v", c.in, got, err, c.want)
		}
	}
	// Every name is the theme's colour of its index: "red" is fg(1).
	for i, name := range ColourNames() {
		if got, _ := ParseColour(name); got != fg(i).GetForeground() {
			t.Errorf("%s is %#v, the themes' colour %d is %#v", name, got, i, fg(i).GetForeground())
		}
	}
	bad := []string{"", "#", "#ff5f5", "#ff5f5f5", "#ggg", "#12345g", "ff5f5f", "256", "-1", "+5", "007", "1.5", " 1", "1 ",
		"Red", "RED", "bright red", "bright_red", "brightred", "bright-", "grey", "none", "Default", "0x10", "red\n"}
	for _, in := range bad {
		c, err := ParseColour(in)
		if err == nil {
			t.Errorf("ParseColour(%q) = %#v, want an error", in, c)
			continue
		}
		if !strings.HasPrefix(err.Error(), fmt.Sprintf("bad colour %q (", in)) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseColour(%q): %q", in, err)
		}
	}
}

// TestSetKeepsTheRest: a change changes what it names only; the theme's
// other attributes and colours stay (the default theme's error is red
// and bold: a new foreground leaves it bold).
func TestSetKeepsTheRest(t *testing.T) {
	base := Default().Error.Background(lipgloss.ANSIColor(4)).Italic(true)
	c, _ := ParseColour("#ff0000")
	st, ok := SetColour(base, "fg", c)
	if !ok || st.GetForeground() != c || !st.GetBold() || !st.GetItalic() || st.GetBackground() != lipgloss.ANSIColor(4) {
		t.Errorf("fg: %v bold %v italic %v bg %v", st.GetForeground(), st.GetBold(), st.GetItalic(), st.GetBackground())
	}
	st, ok = SetColour(base, "bg", c)
	if !ok || st.GetBackground() != c || st.GetForeground() != lipgloss.ANSIColor(1) || !st.GetBold() {
		t.Errorf("bg: fg %v bg %v bold %v", st.GetForeground(), st.GetBackground(), st.GetBold())
	}
	if _, ok := SetColour(base, "bold", c); ok {
		t.Error("SetColour takes bold")
	}
	flags := map[string]func(lipgloss.Style) bool{"bold": lipgloss.Style.GetBold, "faint": lipgloss.Style.GetFaint,
		"italic": lipgloss.Style.GetItalic, "underline": lipgloss.Style.GetUnderline, "reverse": lipgloss.Style.GetReverse}
	if got := slices.Sorted(maps.Keys(flags)); !slices.Equal(got, slices.Sorted(slices.Values(FlagAttrs()))) {
		t.Fatalf("the test knows %q, FlagAttrs is %q", got, FlagAttrs())
	}
	for _, attr := range FlagAttrs() {
		for _, on := range []bool{true, false} {
			st, ok := SetFlag(base, attr, on)
			if !ok || flags[attr](st) != on || st.GetForeground() != lipgloss.ANSIColor(1) || st.GetBackground() != lipgloss.ANSIColor(4) {
				t.Errorf("%s=%v: ok %v, got %v, fg %v bg %v", attr, on, ok, flags[attr](st), st.GetForeground(), st.GetBackground())
			}
			for other, get := range flags {
				if other != attr && get(st) != get(base) {
					t.Errorf("%s=%v changed %s", attr, on, other)
				}
			}
		}
	}
	if _, ok := SetFlag(base, "fg", true); ok {
		t.Error("SetFlag takes fg")
	}
	// default takes the theme's colour away: the terminal's own.
	none, _ := ParseColour("default")
	st, _ = SetColour(Default().Error, "fg", none)
	if out := st.Render("x"); out != lipgloss.NewStyle().Bold(true).Render("x") {
		t.Errorf("fg = default renders %q", out)
	}
}
