package config

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/tui/keys"
)

func TestParseCommands(t *testing.T) {
	text := `theme = "mono"

[[commands]]
key = "w"
title = "Wireshark on the call"
run = "wireshark -r {pcap}"

[keys]
quit = "Q"

[[commands]]
key = "ctrl+y"
run = "printf %s {callid} | xclip -selection clipboard"

[[commands]]
key = "q"  # free: quit is on Q now
run = "less {pcap}"
interactive = true
`
	cfg, warnings, err := Parse("c.toml", []byte(text))
	if err != nil || len(warnings) != 0 {
		t.Fatalf("%v %v", err, warnings)
	}
	want := []Command{
		{Key: "w", Title: "Wireshark on the call", Run: "wireshark -r {pcap}", Line: 3},
		{Key: "ctrl+y", Title: "printf %s {callid} | xclip -selection clipboard", Run: "printf %s {callid} | xclip -selection clipboard", Line: 11},
		{Key: "q", Title: "less {pcap}", Run: "less {pcap}", Interactive: true, Line: 15},
	}
	if len(cfg.Commands) != len(want) {
		t.Fatalf("commands %+v", cfg.Commands)
	}
	for i, c := range cfg.Commands {
		c.keyLine, c.runLine = 0, 0
		if c != want[i] {
			t.Errorf("command %d: %+v, want %+v", i, c, want[i])
		}
	}
	// Their keys are in the map: the list's and the flow's help and
	// footer list them with the title; other screens do not.
	for _, s := range []keys.Screen{keys.List, keys.Flow} {
		var help, foot []string
		for _, b := range cfg.Keys.Keys(s) {
			help = append(help, b.Help().Key+" "+b.Help().Desc)
		}
		for _, b := range cfg.Keys.Short(s) {
			foot = append(foot, b.Help().Key+" "+b.Help().Desc)
		}
		if !slices.Contains(help, "w Wireshark on the call") || !slices.Contains(help, "q less {pcap}") || !slices.Contains(foot, "ctrl+y printf %s {callid} | xclip -selection clipboard") {
			t.Errorf("%v: help %q, footer %q", s, help, foot)
		}
		if foot[len(foot)-1] != "? help" {
			t.Errorf("%v: the footer does not end with the help key: %q", s, foot)
		}
	}
	for _, b := range cfg.Keys.Keys(keys.Save) {
		if b.Help().Desc == "Wireshark on the call" {
			t.Error("the save dialog lists a command key")
		}
	}
	// The same commands as an array of inline tables.
	cfg, _, err = Parse("c.toml", []byte("commands = [\n  { key = \"w\", run = \"echo {file}\" },\n  { key = \"y\", run = \"echo {callid}\" },\n]\n"))
	if err != nil || len(cfg.Commands) != 2 || cfg.Commands[1].Key != "y" || cfg.Commands[1].Line != 3 {
		t.Errorf("inline: %v %+v", err, cfg.Commands)
	}
}

func TestParseCommandErrors(t *testing.T) {
	cases := []parseError{
		{"[[commands]]\nkey = \"w\"\n", `c.toml:1: commands: the command on "w" has nothing to run (run = "…")`},
		{"\n[[commands]]\nrun = \"echo\"\n", `c.toml:2: commands: this command has no key`},
		{"[[commands]]\nkey = \"w\"\nrun = \"echo {callid} {foo}\"\n", `c.toml:3: commands: unknown placeholder {foo} in "echo {callid} {foo}" (known: {callid}, {file}, {pcap}`},
		{"[[commands]]\nkey = \"w\"\nrun = \"echo\"\nshell = \"bash\"\n", `c.toml:4: commands: unknown key "shell" (known: key, run, title, interactive)`},
		{"[[commands]]\n\nkey = \"s\"\nrun = \"echo\"\n", `c.toml:3: commands: "s" is already the key of by_host on the call flow (rebind it in [keys], or choose another key)`},
		{"[[commands]]\nkey = \"S\"\nrun = \"echo\"\n", `c.toml:2: commands: "S" is already the key of save on the call list`},
		{"[keys]\nfilter = \"w\"\n[[commands]]\nkey = \"w\"\nrun = \"echo\"\n", `c.toml:4: commands: "w" is already the key of filter on the call list`},
		{"[[commands]]\nkey = \"w\"\nrun = \"a\"\n[[commands]]\nkey = \"y\"\nrun = \"b\"\n[[commands]]\nkey = \"w\"\nrun = \"c\"\n", `c.toml:8: commands: "w" is already the key of the command on line 1`},
		{"[[commands]]\nkey = \"ctrl+c\"\nrun = \"echo\"\n", `c.toml:2: commands: ctrl+c always quits`},
		{"[[commands]]\nkey = \"ctlr+y\"\nrun = \"echo\"\n", `c.toml:2: commands: key "ctlr+y": unknown modifier "ctlr"`},
		{"[[commands]]\nkey = \"w\"\nrun = 1\n", `c.toml:3: commands: run must be a string`},
		{"[[commands]]\nkey = \"w\"\nrun = \"x\"\ninteractive = \"yes\"\n", `c.toml:4: commands: interactive must be true or false`},
		{"[commands]\nkey = \"w\"\n", `c.toml:1: unknown table "commands"`},
		{"commands = \"w\"\n", `c.toml:1: commands must be a list of tables ([[commands]])`},
		{"[[commands.x]]\n", `c.toml:1: unknown table "commands.x"`},
	}
	checkParseErrors(t, cases)
}

func TestRunPlaceholders(t *testing.T) {
	for _, c := range []struct {
		run, want string
	}{
		{"echo {callid}", "echo 'a' 'b c'"},
		{"cp {pcap} /tmp/", "cp '/t/x.pcap' /tmp/"},
		{"awk '{print $1}' {file}", "awk '{print $1}' '/f'"},
		{"echo ${HOME} {{callid}", "echo ${HOME} {callid}"},
		{"echo '{callid}'", "echo ''a' 'b c''"}, // a user's own quotes: documented as needless
		{"echo {file}{file}", "echo '/f''/f'"},
		{"echo {", "echo {"},
		{"{callid}", "'a' 'b c'"},
	} {
		got := Command{Run: c.run}.Expand(map[string][]string{"callid": {"a", "b c"}, "pcap": {"/t/x.pcap"}, "file": {"/f"}})
		if got != c.want {
			t.Errorf("%q: %q, want %q", c.run, got, c.want)
		}
	}
	if !(Command{Run: "x {pcap}"}).Uses("pcap") || (Command{Run: "x {{pcap}"}).Uses("pcap") || (Command{Run: "x ${pcap}"}).Uses("pcap") {
		t.Error("Uses")
	}
}

// A hostile Call-ID (quotes, $(), backticks, ;, a newline) reaches the
// command as one argument, byte for byte, through a real /bin/sh: no
// part of it runs.
func TestQuoteHostileCallID(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	dir := t.TempDir()
	canary := filepath.Join(dir, "pwned")
	hostile := []string{
		"x';touch " + canary + ";'",
		"$(touch " + canary + ")",
		"`touch " + canary + "`",
		"a\"b; touch " + canary + " #",
		"line1\ntouch " + canary + "\n",
		"'\\''; touch " + canary + "; echo '",
		"${IFS}*?[a] ~ & | > < !",
		"",
	}
	for i, id := range hostile {
		out := filepath.Join(dir, "out")
		cmd := Command{Run: "printf %s {callid} > " + Quote(out)}
		line := cmd.Expand(map[string][]string{"callid": {id}})
		if b, err := exec.Command("/bin/sh", "-c", line).CombinedOutput(); err != nil {
			t.Fatalf("%d: %q: %v %s", i, line, err, b)
		}
		got, err := os.ReadFile(out)
		if err != nil || string(got) != id {
			t.Errorf("%d: the command got %q (%v), want %q; it ran %q", i, got, err, id, line)
		}
		if _, err := os.Stat(canary); err == nil {
			t.Fatalf("%d: the Call-ID ran a command: %q", i, line)
		}
	}
	// Several Call-IDs: one argument each.
	cmd := Command{Run: "for a in {callid}; do printf '<%s>' \"$a\"; done"}
	line := cmd.Expand(map[string][]string{"callid": hostile[:3]})
	b, err := exec.Command("/bin/sh", "-c", line).Output()
	if want := "<" + strings.Join(hostile[:3], "><") + ">"; err != nil || string(b) != want {
		t.Errorf("%q: %q %v, want %q", line, b, err, want)
	}
}

// The example's [[commands]], commented out there, parse and agree with
// the schema once uncommented; so does the README's example.
func TestCommandExamples(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(testenv.Root(t), "docs", "config.example.toml"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n# [[commands]]\n")
	if !ok {
		t.Fatal("the example has no commented [[commands]]")
	}
	text := "[[commands]]\n"
	for _, l := range strings.Split(rest, "\n") {
		if !strings.HasPrefix(l, "#") {
			break
		}
		text += strings.TrimPrefix(strings.TrimPrefix(l, "#"), " ") + "\n"
	}
	cfg, _, err := Parse("example", []byte(text))
	if err != nil || len(cfg.Commands) != 3 {
		t.Fatalf("%v %+v\n%s", err, cfg.Commands, text)
	}
	s := loadSchema(t)
	if err := validate(s, s, decodeTOML(t, text), "config"); err != nil {
		t.Errorf("the schema refuses the example's commands: %v", err)
	}
	readme, err := os.ReadFile(filepath.Join(testenv.Root(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "## Configuration")
	_, block, _ := strings.Cut(section, "```toml\n")
	block, _, _ = strings.Cut(block, "```")
	if cfg, _, err := Parse("README", []byte(block)); err != nil || len(cfg.Commands) != 1 {
		t.Errorf("README's example: %v %+v", err, cfg.Commands)
	}
}
