package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// TestExample parses the example the repository ships, and checks that
// its comment names every action.
func TestExample(t *testing.T) {
	path := filepath.Join(testenv.Root(t), "docs", "config.example.toml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg, warnings, err := Parse(path, data)
	if err != nil || len(warnings) > 0 {
		t.Fatalf("%v %v", err, warnings)
	}
	var cols []string
	for _, c := range cfg.Columns {
		cols = append(cols, c.String())
	}
	if got := strings.Join(cols, ","); got != "#,Time,Method,From,To,Msgs,Source,Destination,Tr,State,Verdict,hdr:User-Agent" {
		t.Errorf("columns %s", got)
	}
	home, _ := os.UserHomeDir()
	if cfg.Theme != "default" || cfg.Credentials != filepath.Join(home, ".config/sipdbg/credentials") {
		t.Errorf("theme %q, credentials %q", cfg.Theme, cfg.Credentials)
	}
	if !reflect.DeepEqual(cfg.Keys.Quit.Keys(), []string{"q", "ctrl+c"}) {
		t.Errorf("quit %v", cfg.Keys.Quit.Keys())
	}
	for _, a := range keys.Actions() {
		if !strings.Contains(string(data), "#   "+a+" ") && !strings.Contains(string(data), "· "+a+" ") {
			t.Errorf("the example does not list the action %s", a)
		}
	}
}

func TestParse(t *testing.T) {
	const file = `
theme = "mono"
credentials = "creds"

[list]
columns = ["from", "hdr:User-Agent", {header = "l", title = "Len", width = 6}, {column = "Auth", title = "A"}]

[keys]
filter = "F"
quit = ["x"]
extended = ["q"]   # trades with quit: the order of the lines does not matter
follow = []
`
	cfg, warnings, err := Parse("/etc/sipdbg/config.toml", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Theme != "mono" || cfg.Credentials != "/etc/sipdbg/creds" || cfg.File != "/etc/sipdbg/config.toml" {
		t.Errorf("%+v", cfg)
	}
	var cols []string
	for _, c := range cfg.Columns {
		cols = append(cols, c.String())
	}
	if strings.Join(cols, ",") != "From,hdr:User-Agent,hdr:l,Verdict" {
		t.Errorf("columns %v", cols)
	}
	if !reflect.DeepEqual(cfg.Keys.Quit.Keys(), []string{"x"}) || !reflect.DeepEqual(cfg.Keys.Extended.Keys(), []string{"q"}) ||
		cfg.Keys.Filter.Help().Key != "F" || cfg.Keys.Follow.Enabled() {
		t.Errorf("keys: quit %v extended %v filter %q follow %v", cfg.Keys.Quit.Keys(), cfg.Keys.Extended.Keys(), cfg.Keys.Filter.Help().Key, cfg.Keys.Follow.Enabled())
	}
	if len(warnings) != 1 || warnings[0] != "/etc/sipdbg/config.toml:12: warning: keys.follow has no key: the action is off" {
		t.Errorf("warnings %q", warnings)
	}
	// Inline tables and dotted keys are the same settings.
	cfg, _, err = Parse("c.toml", []byte("list = {columns = [\"#\"]}\nkeys.help = [\"h\"]\n"))
	if err != nil || len(cfg.Columns) != 1 || cfg.Keys.Help.Keys()[0] != "h" {
		t.Errorf("%v %+v", err, cfg)
	}
	// An empty file is the defaults.
	cfg, warnings, err = Parse("c.toml", nil)
	if err != nil || len(warnings) != 0 || cfg.Columns != nil || cfg.Theme != "default" || cfg.Credentials != "" {
		t.Errorf("empty file: %v %v %+v", err, warnings, cfg)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []parseError{
		{"theme = \"solarized\"\n", `c.toml:1: unknown theme "solarized" (known: default, light, mono, high-contrast)`},
		{"theme = 3\n", "c.toml:1: theme must be a string"},
		{"\n\ntheme = \n", "c.toml:3: unexpected character"},
		{"theme = 'a'\ntheme = 'b'\n", "c.toml:2: key theme is already defined"},
		{"\nthemes = 'x'\n", `c.toml:2: unknown key "themes" (known: theme, credentials, keylog, [list], [keys], [aliases], [colors], [[commands]])`},
		{"[colours]\nx = 1\n", `c.toml:1: unknown table "colours" (known: [list], [keys], [aliases], [colors], [[commands]])`},
		{"[[list]]\n", `c.toml:1: unknown table "list"`},
		{"[list]\ncolums = []\n", `c.toml:2: unknown key "list.colums" (known: list.columns)`},
		{"[list]\ncolumns = [\n  \"#\",\n  \"Fromm\",\n]\n", `c.toml:4: unknown column "Fromm" (known: #, Time, Method, From, To, Msgs, Source, Destination, Tr, State, Verdict, Codec, Media, Status, or hdr:NAME for a SIP header)`},
		{"[list]\ncolumns = \"From\"\n", "c.toml:2: list.columns must be a list of columns"},
		{"[list]\ncolumns = []\n", "c.toml:2: list.columns is empty"},
		{"[list]\ncolumns = [\"From\", \"from\"]\n", `c.toml:2: column "From" is listed twice`},
		{"[list]\ncolumns = [\"hdr:\"]\n", "c.toml:2: a header column needs a header name"},
		{"[list]\ncolumns = [\"hdr:User Agent\"]\n", `c.toml:2: "User Agent" is not a SIP header name`},
		{"[list]\ncolumns = [3]\n", `c.toml:2: a column is a name, "hdr:NAME", or a table`},
		{"[list]\ncolumns = [\n{header = \"X\", width = 0}]\n", "c.toml:3: width must be 1 to 200 cells"},
		{"[list]\ncolumns = [{header = \"X\", width = \"wide\"}]\n", "c.toml:2: width must be a number of cells"},
		{"[list]\ncolumns = [{header = \"X\", column = \"From\"}]\n", "c.toml:2: a column table takes one of column=NAME or header=NAME"},
		{"[list]\ncolumns = [{title = \"X\"}]\n", "c.toml:2: a column table takes one of column=NAME or header=NAME"},
		{"[list]\ncolumns = [{column = \"Fromm\"}]\n", `c.toml:2: unknown column "Fromm"`},
		{"[list]\ncolumns = [{header = \"X\", colour = 1}]\n", `c.toml:2: unknown key "colour" in a column (known: column, header, title, width)`},
		{"[keys]\nquitt = [\"x\"]\n", `c.toml:2: keys: unknown action "quitt" (known: up, down,`},
		{"[keys]\nfilter = [\"n\"]\n", `c.toml:2: keys.filter: "n" is already the key of next_auth_error on the call list (rebind that one too)`},
		{"[keys]\nquit = [\"x\"]\n\nextended = [\"x\"]\n", `c.toml:4: keys.extended: "x" is already the key of quit on the call list`},
		{"[keys]\nfilter = [\"ctlr+f\"]\n", `c.toml:2: keys.filter: key "ctlr+f": unknown modifier "ctlr"`},
		{"[keys]\nfilter = 1\n", "c.toml:2: keys.filter must be a key or a list of keys"},
		{"[keys]\nfilter = [\"a\",\n 1]\n", "c.toml:3: keys.filter must be a list of strings"},
		{"[keys]\nquit.x = \"a\"\n", `c.toml:2: unknown key "keys.quit.x" (an action takes a key or a list of keys: keys.ACTION = [KEYS])`},
		{"keys = \"q\"\n", "c.toml:1: keys must be a table ([keys])"},
		{"[list]\ncolumns = [\"#\"]\n[list]\n", "c.toml:3: table list already exists"},
		{"credentials = false\n", "c.toml:1: credentials must be a string"},
	}
	checkParseErrors(t, cases)
}

func TestPath(t *testing.T) {
	home, xdg := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	t.Setenv("SIPDBG_CONFIG", "")
	check := func(want string, explicit bool) {
		t.Helper()
		if got, ex := Path(); got != want || ex != explicit {
			t.Errorf("Path() = %q, %v; want %q, %v", got, ex, want, explicit)
		}
	}
	check(filepath.Join(home, ".config", "sipdbg", "config.toml"), false)
	t.Setenv("XDG_CONFIG_HOME", "relative/dir") // ignored, as XDG says
	check(filepath.Join(home, ".config", "sipdbg", "config.toml"), false)
	t.Setenv("XDG_CONFIG_HOME", xdg)
	check(filepath.Join(xdg, "sipdbg", "config.toml"), false)
	t.Setenv("SIPDBG_CONFIG", "/some/where.toml")
	check("/some/where.toml", true)
}

func TestLoad(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	t.Setenv("SIPDBG_CONFIG", "")
	// No file: the defaults, no error.
	cfg, warnings, err := Load()
	if err != nil || warnings != nil || cfg.File != "" || cfg.Theme != "default" {
		t.Fatalf("no file: %v %v %+v", err, warnings, cfg)
	}
	path := filepath.Join(xdg, "sipdbg", "config.toml")
	os.MkdirAll(filepath.Dir(path), 0o755)
	os.WriteFile(path, []byte("theme = \"light\"\n"), 0o644)
	if cfg, _, err = Load(); err != nil || cfg.Theme != "light" || cfg.File != path {
		t.Errorf("XDG file: %v %+v", err, cfg)
	}
	os.WriteFile(path, []byte("\ntheme = \"lite\"\n"), 0o644)
	if _, _, err = Load(); err == nil || !strings.HasPrefix(err.Error(), path+":2: unknown theme \"lite\"") {
		t.Errorf("bad file: %v", err)
	}
	// SIPDBG_CONFIG wins, and must exist.
	other := filepath.Join(t.TempDir(), "other.toml")
	os.WriteFile(other, []byte("theme = \"mono\"\n"), 0o644)
	t.Setenv("SIPDBG_CONFIG", other)
	if cfg, _, err = Load(); err != nil || cfg.Theme != "mono" {
		t.Errorf("SIPDBG_CONFIG: %v %+v", err, cfg)
	}
	t.Setenv("SIPDBG_CONFIG", other+".missing")
	if _, _, err = Load(); err == nil || err.Error() != other+".missing: no such file (SIPDBG_CONFIG names it)" {
		t.Errorf("missing SIPDBG_CONFIG file: %v", err)
	}
	t.Setenv("SIPDBG_CONFIG", os.DevNull)
	if cfg, _, err = Load(); err != nil || cfg.Theme != "default" {
		t.Errorf("SIPDBG_CONFIG=%s: %v", os.DevNull, err)
	}
}

// TestREADMEActions keeps the README's list of rebindable actions whole.
func TestREADMEActions(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testenv.Root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(b), "## Configuration")
	for _, a := range keys.Actions() {
		if !strings.Contains(section, "`"+a+"`") {
			t.Errorf("README's Configuration section does not name the action %s", a)
		}
	}
}

// parseError is a file and the start of the one-line error Parse gives.
type parseError struct{ file, want string }

// checkParseErrors parses each file: each must fail with an error that
// begins with want (the file, the line, the problem) on one line.
func checkParseErrors(t *testing.T, cases []parseError) {
	t.Helper()
	for _, c := range cases {
		_, _, err := Parse("c.toml", []byte(c.file))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s", c.file, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: the error is more than one line: %q", c.file, err)
		}
	}
}
