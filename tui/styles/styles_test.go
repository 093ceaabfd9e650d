package styles

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// render renders "x" in every style of s through a TrueColor writer, as
// a terminal that shows every colour would receive it.
func render(t *testing.T, s Styles) []string {
	t.Helper()
	var out []string
	v := reflect.ValueOf(s)
	for i := range v.NumField() {
		st, ok := v.Field(i).Interface().(lipgloss.Style)
		if !ok {
			t.Fatalf("field %s is not a style", v.Type().Field(i).Name)
		}
		var b bytes.Buffer
		w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.TrueColor}
		w.WriteString(st.Render("x"))
		out = append(out, v.Type().Field(i).Name+"\t"+b.String())
	}
	return out
}

// colours returns the colour parameters of the SGR sequences in s:
// 30–49 (foreground, background, 38;5/38;2 included) and 90–107.
func colours(s string) []string {
	var found []string
	for _, seq := range strings.Split(s, "\x1b[")[1:] {
		end := strings.IndexByte(seq, 'm')
		if end < 0 {
			continue
		}
		for _, p := range strings.FieldsFunc(seq[:end], func(r rune) bool { return r == ';' || r == ':' }) {
			n, err := strconv.Atoi(p)
			if err == nil && (n >= 30 && n <= 49 || n >= 90 && n <= 107) {
				found = append(found, seq[:end])
				break
			}
		}
	}
	return found
}

func TestMonoHasNoColour(t *testing.T) {
	mono, err := ByName("mono")
	if err != nil {
		t.Fatal(err)
	}
	attrs := 0
	for _, line := range render(t, mono) {
		if c := colours(line); len(c) > 0 {
			t.Errorf("mono %q has colour sequences %q", line, c)
		}
		if strings.Contains(line, "\x1b[") {
			attrs++
		}
	}
	if attrs < 5 {
		t.Errorf("only %d mono styles have any attribute: the theme would show nothing", attrs)
	}
	// The check itself finds colours where there are some.
	if got := colours(strings.Join(render(t, Default()), "\n")); len(got) == 0 {
		t.Error("no colour found in the default theme: the check is blind")
	}
}

func TestByName(t *testing.T) {
	for _, name := range Names() {
		s, err := ByName(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if s.Selected.Render("x") == "x" {
			t.Errorf("%s: the selection is not marked", name)
		}
	}
	if _, err := ByName("solarized"); err == nil || !strings.Contains(err.Error(), `unknown theme "solarized" (known: default, light, mono, high-contrast)`) {
		t.Errorf("unknown theme: %v", err)
	}
	if !reflect.DeepEqual(render(t, Default()), render(t, func() Styles { s, _ := ByName(""); return s }())) {
		t.Error("an empty name is not the default theme")
	}
}
