package config

import (
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/tui/styles"
)

func parseColours(t *testing.T, text string) styles.Styles {
	t.Helper()
	cfg, warnings, err := Parse("c.toml", []byte(text))
	if err != nil || len(warnings) != 0 {
		t.Fatalf("%v %v\n%s", err, warnings, text)
	}
	return cfg.Styles
}

func TestColors(t *testing.T) {
	st := parseColours(t, `theme = "light"
[colors]
error = "#ff5f5f"
warning = "214"
success = "green"
client_error = "bright-red"
selected = { fg = "black", bg = "11", bold = true }
dim = { faint = true }
media = { fg = "default", italic = true, underline = true }
status = { reverse = false }
`)
	light := styles.Light()
	rgb := color.RGBA{R: 0xff, G: 0x5f, B: 0x5f, A: 0xff}
	checks := []struct {
		name string
		ok   bool
	}{
		// A string sets the foreground only: light's error stays bold.
		{"error fg", st.Error.GetForeground() == rgb && st.Error.GetBold()},
		{"warning 256", st.Warning.GetForeground() == lipgloss.ANSIColor(214) && !st.Warning.GetBold()},
		{"success name", st.Success.GetForeground() == lipgloss.ANSIColor(2)},
		{"client_error bright", st.ClientError.GetForeground() == lipgloss.ANSIColor(9)},
		// A table changes what it names; light's selection stays reverse.
		{"selected", st.Selected.GetForeground() == lipgloss.ANSIColor(0) && st.Selected.GetBackground() == lipgloss.ANSIColor(11) &&
			st.Selected.GetBold() && st.Selected.GetReverse()},
		{"dim", st.Dim.GetFaint() && st.Dim.GetForeground() == light.Dim.GetForeground()},
		{"media", st.Media.GetForeground() == lipgloss.NoColor{} && st.Media.GetItalic() && st.Media.GetUnderline()},
		{"status", !st.Status.GetReverse()},
		// What [colors] does not name is the theme's.
		{"info untouched", st.Info.GetForeground() == light.Info.GetForeground()},
		{"server_error untouched", st.ServerError.Render("x") == light.ServerError.Render("x")},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: not as configured", c.name)
		}
	}
}

// TestColorsForms: the TOML forms of one setting give the same styles,
// and the theme may come after the colours (a top-level dotted key or
// inline table may precede theme in the file): they apply on top of the
// theme whatever the order.
func TestColorsForms(t *testing.T) {
	render := func(s styles.Styles) string {
		var out []string
		for _, name := range styles.FieldNames() {
			out = append(out, name+"="+s.Field(name).Render("x"))
		}
		return strings.Join(out, " ")
	}
	want := render(parseColours(t, "theme = \"mono\"\n[colors]\nerror = \"#ff0000\"\nselected = { bg = \"blue\", underline = true }\n"))
	for _, text := range []string{
		"colors.error = \"#ff0000\"\ncolors.selected.bg = \"blue\"\ncolors.selected.underline = true\ntheme = \"mono\"\n",
		"colors = { error = \"#ff0000\", selected = { bg = \"blue\", underline = true } }\ntheme = \"mono\"\n",
		"theme = \"mono\"\n[colors]\nerror.fg = \"#f00\"\nselected.bg = \"4\"\nselected.underline = true\n",
		"theme = \"mono\"\n[colors.error]\nfg = \"#FF0000\"\n[colors.selected]\nbg = \"blue\"\nunderline = true\n",
	} {
		if got := render(parseColours(t, text)); got != want {
			t.Errorf("%s\n got %s\nwant %s", text, got, want)
		}
	}
	// mono's error is bold without colour: the colour is added, bold kept.
	st := parseColours(t, "colors.error = \"#ff0000\"\ntheme = \"mono\"\n")
	if st.Error.GetForeground() != (color.RGBA{R: 0xff, A: 0xff}) || !st.Error.GetBold() {
		t.Errorf("colours before the theme: fg %v bold %v", st.Error.GetForeground(), st.Error.GetBold())
	}
	// An empty [colors] is the theme.
	if got, want := render(parseColours(t, "[colors]\n")), render(styles.Default()); got != want {
		t.Errorf("empty [colors]:\n got %s\nwant %s", got, want)
	}
}

// TestColorsErrors: each mistake is one line naming the file, the line
// and the bad name or value; none panics.
func TestColorsErrors(t *testing.T) {
	cases := []parseError{
		{"[colors]\neror = \"red\"\n", `c.toml:2: colors: unknown style "eror" (known: title, header, dim, selected, bold, request, provisional, success, redirect, client_error, server_error, info, warning, error, header_name, auth_param, status, media)`},
		{"[colors]\nError = \"red\"\n", `c.toml:2: colors: unknown style "Error"`},
		{"[colors]\nclient-error = \"red\"\n", `c.toml:2: colors: unknown style "client-error"`},
		{"\n[colors]\n\nerror = \"#ff5f5\"\n", `c.toml:4: colors.error: bad colour "#ff5f5" (a colour is "#rrggbb", "#rgb", "0" to "255", "default" or one of black, red,`},
		{"[colors]\nerror = \"256\"\n", `c.toml:2: colors.error: bad colour "256"`},
		{"[colors]\nerror = \"-1\"\n", `c.toml:2: colors.error: bad colour "-1"`},
		{"[colors]\nerror = \"\"\n", `c.toml:2: colors.error: bad colour ""`},
		{"[colors]\nerror = \"Red\"\n", `c.toml:2: colors.error: bad colour "Red"`},
		{"[colors]\nerror = \"ff0000\"\n", `c.toml:2: colors.error: bad colour "ff0000"`},
		{"[colors]\nerror = 214\n", `c.toml:2: colors.error must be a colour ("#ff5f5f", "214", "red") or a table`},
		{"[colors]\nerror = true\n", `c.toml:2: colors.error must be a colour`},
		{"[colors]\nerror = [\"red\"]\n", `c.toml:2: colors.error must be a colour`},
		{"[colors]\nselected = { fg = \"black\",\n  bg = \"nope\" }\n", `c.toml:3: colors.selected.bg: bad colour "nope"`},
		{"[colors]\nselected = { blod = true }\n", `c.toml:2: colors.selected: unknown attribute "blod" (known: fg, bg, bold, faint, italic, underline, reverse)`},
		{"[colors]\nselected = { color = \"red\" }\n", `c.toml:2: colors.selected: unknown attribute "color"`},
		{"[colors]\nselected = { bold = \"yes\" }\n", "c.toml:2: colors.selected.bold must be true or false"},
		{"[colors]\nselected = { bold = 1 }\n", "c.toml:2: colors.selected.bold must be true or false"},
		{"[colors]\nselected = { fg = 1 }\n", "c.toml:2: colors.selected.fg must be a colour, a string"},
		{"[colors]\nselected = { fg = { r = 1 } }\n", "c.toml:2: colors.selected.fg must be a colour, a string"},
		{"[colors]\nselected.fg.x = \"red\"\n", `c.toml:2: unknown key "colors.selected.fg.x" (a style takes fg, bg, bold, faint, italic, underline, reverse)`},
		{"[colors]\neror = { fg = \"red\" }\n", `c.toml:2: colors: unknown style "eror"`},
		{"colors = \"red\"\n", "c.toml:1: colors must be a table ([colors])"},
		{"colors = [\"red\"]\n", "c.toml:1: colors must be a table ([colors])"},
		{"colors = { eror = \"red\" }\n", `c.toml:1: colors: unknown style "eror"`},
		{"theme = \"mono\"\n\n[colors.eror]\n", `c.toml:3: colors: unknown style "eror"`},
		{"[colors.error]\nfg = \"red\"\n[colors.error.x]\n", `c.toml:3: unknown table "colors.error.x" (a style's table is [colors.NAME])`},
		{"[colors.error]\nblod = true\n", `c.toml:2: colors.error: unknown attribute "blod"`},
		{"[[colors]]\nerror = \"red\"\n", `c.toml:1: unknown table "colors"`},
		{"[colors]\nerror = \"red\"\nerror = \"blue\"\n", "c.toml:3: key error is already defined"},
		{"[colors]\nerror = \"red\"\nerror.bold = true\n", "c.toml:3:"},
		{"[colors]\nerror = \"red\"\n[colors]\n", "c.toml:3: table colors already exists"},
		{"[colours]\nerror = \"red\"\n", `c.toml:1: unknown table "colours" (known: [list], [keys], [aliases], [colors], [[commands]])`},
	}
	checkParseErrors(t, cases)
}

// TestColorExamples: the example's [colors], commented out there,
// parses and agrees with the schema once uncommented; the example's
// comment and the README name every style, so that a new style is
// documented where the names are listed.
func TestColorExamples(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testenv.Root(t), "docs", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	head, rest, ok := strings.Cut(string(b), "\n# [colors]\n")
	if !ok {
		t.Fatal("the example has no commented [colors]")
	}
	text := "[colors]\n"
	for _, l := range strings.Split(rest, "\n") {
		if !strings.HasPrefix(l, "# ") {
			break
		}
		text += strings.TrimPrefix(l, "# ") + "\n"
	}
	st := parseColours(t, text)
	if st.Error.GetForeground() != (color.RGBA{R: 0xff, G: 0x5f, B: 0x5f, A: 0xff}) {
		t.Errorf("the example's error colour is %v\n%s", st.Error.GetForeground(), text)
	}
	s := loadSchema(t)
	if err := validate(s, s, decodeTOML(t, text), "config"); err != nil {
		t.Errorf("the schema refuses the example's colours: %v", err)
	}
	_, comment, _ := strings.Cut(head, "\n# Colours of the theme's styles")
	readme, err := os.ReadFile(filepath.Join(testenv.Root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "## Configuration")
	words := regexp.MustCompile(`[a-z_]+`)
	for _, name := range styles.FieldNames() {
		if !slices.Contains(words.FindAllString(comment, -1), name) {
			t.Errorf("the example's [colors] comment does not name the style %s", name)
		}
		if !strings.Contains(section, "`"+name+"`") {
			t.Errorf("README's Configuration section does not name the style %s", name)
		}
	}
}
