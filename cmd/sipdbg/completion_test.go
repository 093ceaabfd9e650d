package main

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/probe"
)

// completionLine is the command line that lists a command's options.
func completionLine(c *command) string {
	if c.name == "" {
		return "sipdbg -"
	}
	return "sipdbg " + c.name + " -"
}

// writeScript writes a shell's completion script to a temporary file.
func writeScript(t *testing.T, shell string) string {
	t.Helper()
	code, out, errs := sipdbg(t, nil, "completion", shell)
	if code != 0 || errs != "" || out == "" {
		t.Fatalf("completion %s: exit %d, %q", shell, code, errs)
	}
	path := filepath.Join(t.TempDir(), "sipdbg."+shell)
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// captureDir is a directory with captures, other files and a
// subdirectory, for file completion.
func captureDir(t *testing.T) string {
	dir := t.TempDir()
	for _, name := range []string{"a.pcap", "b.pcapng", "c.log.gz", "notes.md", "ca.pem"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o644)
	}
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	return dir
}

func needShell(t *testing.T, shell string) {
	t.Helper()
	if _, err := exec.LookPath(shell); err != nil {
		t.Skipf("%s is not installed (Debian: apt-get install %s); its completion script is not checked", shell, shell)
	}
}

// bashComplete runs the bash script's completion function on line (the
// cursor at its end) in dir, as bash would on Tab, and returns the
// candidates.
func bashComplete(t *testing.T, script, dir, line string) []string {
	t.Helper()
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", `source "$1" || exit 9
COMP_LINE=$2
COMP_POINT=${#COMP_LINE}
read -ra COMP_WORDS <<<"$COMP_LINE"
[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_sipdbg sipdbg "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"`, "bash", script, line)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash completion of %q: %v\n%s", line, err, out)
	}
	return strings.Fields(string(out))
}

// fishComplete asks fish for the completions of line.
func fishComplete(t *testing.T, script, dir, line string) []string {
	t.Helper()
	home := t.TempDir()
	cmd := exec.Command("fish", "--no-config", "-c", `source $argv[1]; or exit 9; complete -C $argv[2]`, script, line)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home, "XDG_CACHE_HOME="+home)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fish completion of %q: %v\n%s", line, err, out)
	}
	var cands []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if c, _, _ := strings.Cut(l, "\t"); c != "" {
			cands = append(cands, c)
		}
	}
	return cands
}

type completer func(t *testing.T, script, dir, line string) []string

// checkCompletion runs the behaviour every shell's script must have:
// each command's every flag, subcommands, enumerated values, capture
// files, interfaces.
func checkCompletion(t *testing.T, complete completer, script string) {
	dir := captureDir(t)
	has := func(line string, want ...string) []string {
		t.Helper()
		got := complete(t, script, dir, line)
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("%q completes to %q, without %q", line, got, w)
			}
		}
		return got
	}
	exactly := func(line string, want ...string) {
		t.Helper()
		got := complete(t, script, dir, line)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%q completes to %q, want %q", line, got, want)
		}
	}
	for _, c := range commandTable() {
		var names []string
		c.flags().VisitAll(func(f *flag.Flag) { names = append(names, flagName(f)) })
		has(completionLine(c), names...)
	}
	exactly("sipdbg pro", "probe")
	exactly("sipdbg probe --trans", "--transport")
	exactly("sipdbg probe --transport ", probeTransports...)
	exactly("sipdbg probe ", probeMethods...)
	exactly("sipdbg probe --json --server 10.0.0.1 ", probeMethods...)
	exactly("sipdbg completion ", shells...)
	has("sipdbg ", commandNames()...)
	has("sipdbg ", "a.pcap")
	for _, line := range []string{"sipdbg report ", "sipdbg report --json ", "sipdbg -I ", "sipdbg report --credentials creds "} {
		got := has(line, "a.pcap", "b.pcapng", "c.log.gz")
		if !slices.Contains(got, "sub") && !slices.Contains(got, "sub/") {
			t.Errorf("%q completes to %q, without the directory", line, got)
		}
		if slices.Contains(got, "notes.md") {
			t.Errorf("%q offers notes.md: %q", line, got)
		}
	}
	has("sipdbg report --credentials ", "notes.md")
	has("sipdbg probe --ca ", "ca.pem")
	ifaces := []string{"any"}
	if _, err := os.Stat("/sys/class/net/lo"); err == nil {
		ifaces = append(ifaces, "lo")
	}
	has("sipdbg -i ", ifaces...)
	has("sipdbg capture -i ", ifaces...)
	has("sipdbg -d ", ifaces...)
	exactly("sipdbg report --user ")
}

func TestBashCompletion(t *testing.T) {
	needShell(t, "bash")
	script := writeScript(t, "bash")
	if out, err := exec.Command("bash", "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v\n%s", err, out)
	}
	checkCompletion(t, bashComplete, script)
}

func TestFishCompletion(t *testing.T) {
	needShell(t, "fish")
	script := writeScript(t, "fish")
	if out, err := exec.Command("fish", "--no-execute", script).CombinedOutput(); err != nil {
		t.Fatalf("fish -n: %v\n%s", err, out)
	}
	checkCompletion(t, fishComplete, script)
}

// TestZshCompletion checks the syntax, that the script registers itself
// when sourced, and that each command's _arguments names its every flag.
func TestZshCompletion(t *testing.T) {
	needShell(t, "zsh")
	script := writeScript(t, "zsh")
	if out, err := exec.Command("zsh", "-n", script).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	dump := filepath.Join(t.TempDir(), "zcompdump")
	out, err := exec.Command("zsh", "-f", "-c", `autoload -U compinit && compinit -u -d "$2" && source "$1" && print -r -- "$_comps[sipdbg]"`,
		"zsh", script, dump).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "_sipdbg" {
		t.Errorf("sourcing the zsh script: %v %q", err, out)
	}
	b, _ := os.ReadFile(script)
	for _, c := range commandTable() {
		m := regexp.MustCompile(`(?s)\n_sipdbg_` + regexp.QuoteMeta(scriptName(c)) + `\(\) \{\n(.*?)\n\}\n`).FindStringSubmatch(string(b))
		if m == nil {
			t.Errorf("no _sipdbg_%s function", scriptName(c))
			continue
		}
		c.flags().VisitAll(func(f *flag.Flag) {
			if !regexp.MustCompile(`'\*?` + regexp.QuoteMeta(flagName(f)) + `\[`).MatchString(m[1]) {
				t.Errorf("zsh: %s does not complete %s", c.title(), flagName(f))
			}
		})
	}
}

// TestCompletionNeedsAShell: the usage errors.
func TestCompletionNeedsAShell(t *testing.T) {
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		if code, out, errs := sipdbg(t, nil, args...); code != exitUsage || out != "" || !strings.Contains(errs, "bash") {
			t.Errorf("%v: exit %d %q %q", args, code, out, errs)
		}
	}
}

// TestTableWordsAreProbes: the words completion offers for probe are the
// ones probe accepts.
func TestTableWordsAreProbes(t *testing.T) {
	for _, m := range probeMethods {
		for _, tr := range probeTransports {
			cfg := probe.Config{Method: strings.ToUpper(m), Transport: tr, From: "sip:a@example.com", Timeout: time.Second}
			if msg := checkProbe(cfg); msg != "" {
				t.Errorf("%s over %s: %s", m, tr, msg)
			}
		}
	}
	if checkProbe(probe.Config{Method: "REGISTER", Transport: "sctp", Timeout: time.Second}) == "" {
		t.Error("probe accepts a transport that completion does not offer")
	}
}

// TestFlagHintsNameFlags: every hint is about a flag that exists, so that
// a renamed flag does not leave its hint behind.
func TestFlagHintsNameFlags(t *testing.T) {
	used := map[string]bool{}
	for _, c := range commandTable() {
		c.flags().VisitAll(func(f *flag.Flag) { used[f.Name] = true })
	}
	for name := range flagHints {
		if !used[name] {
			t.Errorf("flagHints has %q, which no command defines", name)
		}
	}
}

// TestSynopsesNameFlags: every option a synopsis shows is a flag of its
// command.
func TestSynopsesNameFlags(t *testing.T) {
	opt := regexp.MustCompile(`(?:^|[\s\[|])(--?[A-Za-z][-A-Za-z]*)`)
	for _, c := range commandTable() {
		fs := c.flags()
		for _, f := range c.forms {
			for _, m := range opt.FindAllStringSubmatch(f.synopsis, -1) {
				if fs.Lookup(strings.TrimLeft(m[1], "-")) == nil {
					t.Errorf("%s: the synopsis %q shows %s, which is not a flag", c.title(), f.synopsis, m[1])
				}
			}
		}
	}
}

// TestNoPasswordFlagAnywhere: no command takes a password on the command
// line.
func TestNoPasswordFlagAnywhere(t *testing.T) {
	for _, c := range commandTable() {
		c.flags().VisitAll(func(f *flag.Flag) {
			if n := strings.ToLower(f.Name); (strings.Contains(n, "pass") || strings.Contains(n, "secret") || n == "ha1") && n != "password-env" && n != "hep-password-env" {
				t.Errorf("%s has a flag %s", c.title(), flagName(f))
			}
		})
	}
}
