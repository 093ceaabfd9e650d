package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func manSource(t *testing.T) string {
	t.Helper()
	code, out, errs := sipdbg(t, nil, "man")
	if code != 0 || errs != "" {
		t.Fatalf("man: exit %d, %q", code, errs)
	}
	return out
}

// manSections splits the roff source at .SH and .SS, by heading.
func manSections(src string) map[string]string {
	out := map[string]string{}
	var heading string
	for _, l := range strings.Split(src, "\n") {
		if h, ok := strings.CutPrefix(l, ".SH "); ok {
			heading = strings.Trim(h, `"`)
			continue
		}
		if h, ok := strings.CutPrefix(l, ".SS "); ok {
			heading = strings.Split(heading, " / ")[0] + " / " + h
			continue
		}
		out[heading] += l + "\n"
	}
	return out
}

// TestManPageHasEveryFlag: each command has its entry in COMMANDS, and
// its every flag is in its OPTIONS (sngrep's in their own section).
func TestManPageHasEveryFlag(t *testing.T) {
	src := manSource(t)
	sections := manSections(src)
	for _, c := range commandTable() {
		if c.name != "" && !strings.Contains(sections["COMMANDS"], ".TP\n\\fBsipdbg "+roff(c.name)+"\\fR\n") {
			t.Errorf("COMMANDS lacks %s", c.title())
		}
		if !strings.Contains(sections["SYNOPSIS"], roffSynopsis(c.forms[0].synopsis)) {
			t.Errorf("SYNOPSIS lacks %s", c.title())
		}
		c.flags().VisitAll(func(f *flag.Flag) {
			section := "OPTIONS / " + roff(optionsHeading(c))
			if flagHints[f.Name].sngrep {
				section = "SNGREP-COMPATIBLE OPTIONS"
			}
			if !strings.Contains(sections[section], ".TP\n\\fB"+roff(flagName(f))+"\\fR") {
				t.Errorf("%s lacks %s", section, flagName(f))
			}
		})
	}
	for _, h := range []string{"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "SNGREP-COMPATIBLE OPTIONS",
		"ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"} {
		if !strings.Contains(src, ".SH "+h+"\n") {
			t.Errorf("no %s section", h)
		}
	}
	for _, want := range []string{"REALM USER PASSWORD", "chmod 600", ".B 64\n", "sngrep (8)", "tshark (1)", "tcpdump (8)"} {
		if !strings.Contains(src, want) {
			t.Errorf("the man page lacks %q", want)
		}
	}
}

// TestManPageRenders renders the page with groff's warnings on (all of
// them, as errors here) and reads it as man would show it.
func TestManPageRenders(t *testing.T) {
	src := manSource(t)
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff is not installed (Debian: apt-get install groff-base); the man page is not rendered")
	}
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-P-cbou")
	cmd.Stdin = strings.NewReader(src)
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil || errs.Len() > 0 {
		t.Fatalf("groff: %v\n%s", err, errs.String())
	}
	text := strings.Join(strings.Fields(out.String()), " ")
	for _, c := range commandTable() {
		if c.name != "" && !strings.Contains(text, "sipdbg "+c.name) {
			t.Errorf("the rendered page lacks %q", "sipdbg "+c.name)
		}
	}
	for _, want := range []string{"SIPDBG(1)", "--password-env VAR", "--transport TRANSPORT", "-N no interface"} {
		if !strings.Contains(text, want) {
			t.Errorf("the rendered page lacks %q", want)
		}
	}
	if _, err := exec.LookPath("man"); err == nil {
		path := filepath.Join(t.TempDir(), "sipdbg.1")
		os.WriteFile(path, []byte(src), 0o644)
		cmd := exec.Command("man", "--warnings", "-l", path)
		cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=80")
		var errs bytes.Buffer
		cmd.Stderr = &errs
		out, err := cmd.Output()
		if err != nil || errs.Len() > 0 || !bytes.Contains(out, []byte("SIPDBG(1)")) {
			t.Errorf("man --warnings -l: %v\n%s", err, errs.String())
		}
	}
}

// TestManEnvironmentNamesEveryVariable: every SIPDBG_* variable that the
// program's packages read is in ENVIRONMENT.
func TestManEnvironmentNamesEveryVariable(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}} {{.Dir}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	documented := map[string]bool{}
	for _, e := range manEnvironment {
		for _, n := range strings.Split(e.name, ", ") {
			documented[n] = true
		}
	}
	getenv := regexp.MustCompile(`(?:Getenv|LookupEnv)\("(SIPDBG_[A-Z0-9_]+)"\)`)
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, dir, _ := strings.Cut(l, " ")
		if !strings.HasPrefix(path, "github.com/sipdbg/sipdbg/") && path != "github.com/sipdbg/sipdbg" {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, _ := os.ReadFile(f)
			for _, m := range getenv.FindAllSubmatch(b, -1) {
				if !documented[string(m[1])] {
					t.Errorf("%s reads %s, which the man page's ENVIRONMENT (manEnvironment in man.go) does not describe", f, m[1])
				}
			}
		}
	}
}

// TestHelpOnEveryCommand: -h and --help print the command's synopsis on
// standard output and exit 0, wherever they come.
func TestHelpOnEveryCommand(t *testing.T) {
	words := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, c := range commandTable() {
		for _, help := range []string{"--help", "-h", "-help"} {
			args := []string{help}
			if c.name != "" {
				args = []string{c.name, help}
			}
			code, out, errs := sipdbg(t, nil, args...)
			if code != exitOK || errs != "" {
				t.Errorf("%v: exit %d, stderr %q", args, code, errs)
			}
			for _, f := range c.forms {
				if !strings.Contains(words(out), words("sipdbg "+f.synopsis)) {
					t.Errorf("%v does not print the synopsis %q:\n%s", args, f.synopsis, out)
				}
			}
			c.flags().VisitAll(func(f *flag.Flag) {
				if !strings.Contains(out, flagSynopsis(f)) {
					t.Errorf("%v does not list %s", args, flagSynopsis(f))
				}
			})
		}
	}
	// After an argument, and with help COMMAND.
	_, want, _ := sipdbg(t, nil, "report", "--help")
	for _, args := range [][]string{{"report", "x.pcap", "-h"}, {"help", "report"}, {"--help", "report"}} {
		if code, out, _ := sipdbg(t, nil, args...); code != exitOK || out != want {
			t.Errorf("%v: exit %d\n%s", args, code, out)
		}
	}
	if code, out, _ := sipdbg(t, nil, "x.pcap", "--help"); code != exitOK || !strings.Contains(out, "Options of the interactive view") {
		t.Errorf("sipdbg x.pcap --help: exit %d\n%s", code, out)
	}
	// A bad flag: its error and the synopsis on standard error.
	code, out, errs := sipdbg(t, nil, "capture", "--bogus")
	if code != exitUsage || out != "" || !strings.Contains(errs, "flag provided but not defined: -bogus") || !strings.Contains(errs, "usage: sipdbg capture") {
		t.Errorf("capture --bogus: exit %d %q %q", code, out, errs)
	}
	if code, _, _ := sipdbg(t, nil, "probe", "--bogus"); code != probeUsage {
		t.Errorf("probe --bogus: exit %d", code)
	}
}

// TestUsageIsTheTable: the short usage lists every command but help, and
// the shell integration apart.
func TestUsageIsTheTable(t *testing.T) {
	code, _, errs := sipdbg(t, nil)
	if code != exitUsage {
		t.Fatalf("exit %d", code)
	}
	for _, c := range commandTable() {
		if !c.hidden && !strings.Contains(errs, "sipdbg "+c.name) {
			t.Errorf("the usage lacks %s", c.title())
		}
	}
	if !strings.Contains(errs, "\nShell integration: sipdbg completion bash|zsh|fish, sipdbg man\n") {
		t.Errorf("no shell integration line:\n%s", errs)
	}
	if flat := strings.Join(strings.Fields(errs), " "); !strings.Contains(flat, "-I FILE (read this capture file)") || !strings.Contains(flat, "-N (no interface") {
		t.Errorf("the usage lacks sngrep's options:\n%s", errs)
	}
	for _, args := range [][]string{{"man", "x"}, {"version", "x"}, {"demo", "x"}, {"help", "nonsense"}} {
		if code, _, _ := sipdbg(t, nil, args...); code != exitUsage {
			t.Errorf("%v: exit %d", args, code)
		}
	}
}
