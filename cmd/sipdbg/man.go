package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// runMan prints the manual page, made from the command table.
func runMan(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	pos, err := parseArgs(noFlags("man")(), args, stdout, stderr)
	if err != nil {
		return flagExit(err, exitUsage)
	}
	if code, ok := noArgs("man", pos, stderr); !ok {
		return code
	}
	if _, err := io.WriteString(stdout, manPage()); err != nil {
		fmt.Fprintln(stderr, "sipdbg man:", err)
		return exitFail
	}
	return exitOK
}

// roff escapes text for a roff text line: backslashes, minus signs (so
// that options copy as ASCII hyphen-minus), and non-ASCII characters as
// groff's \[uXXXX].
func roff(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\e`)
		case r == '-':
			b.WriteString(`\-`)
		case r > unicode.MaxASCII:
			fmt.Fprintf(&b, `\[u%04X]`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// roffLine makes s safe at the start of a line, where . and ' begin a
// request.
func roffLine(s string) string {
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		return `\&` + s
	}
	return s
}

// roffSynopsis sets a synopsis: options and literal words bold, value
// names (upper case) italic, brackets and bars roman; no line break
// inside brackets.
func roffSynopsis(s string) string {
	var out []string
	for _, w := range synopsisWords(s) {
		var b strings.Builder
		depth := 0
		for _, tok := range splitKeep(w, "[]| ") {
			switch tok {
			case "[":
				depth++
				b.WriteString("[")
			case "]":
				depth--
				b.WriteString("]")
			case "|":
				b.WriteString("|")
			case " ":
				b.WriteString(`\ `)
			default:
				font := `\fB`
				if r := []rune(tok)[0]; unicode.IsUpper(r) {
					font = `\fI`
				}
				b.WriteString(font + roff(tok) + `\fR`)
			}
		}
		out = append(out, b.String())
	}
	return strings.Join(out, " ")
}

// splitKeep splits s at any of the characters in seps, keeping them as
// pieces of their own.
func splitKeep(s, seps string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if strings.ContainsRune(seps, r) {
			if i > start {
				out = append(out, s[start:i])
			}
			out = append(out, string(r))
			start = i + len(string(r))
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// roffText sets paragraphs: a blank line starts a new paragraph, and a
// paragraph whose lines are indented is kept as it is (an example).
func roffText(text string) string { return roffParas(text, ".PP") }

// roffParas is roffText with the given paragraph macro between
// paragraphs (.IP within a tagged paragraph).
func roffParas(text, macro string) string {
	var b strings.Builder
	for i, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		if i > 0 {
			b.WriteString(macro + "\n")
		}
		lines := strings.Split(para, "\n")
		if strings.HasPrefix(lines[0], " ") && macro == ".IP" {
			// Within a tagged paragraph .RS would indent from the
			// section's margin: keep the lines' own indent instead.
			b.WriteString(".nf\n")
			for _, l := range lines {
				b.WriteString(roff(l) + "\n")
			}
			b.WriteString(".fi\n")
			continue
		}
		if strings.HasPrefix(lines[0], " ") {
			b.WriteString(".RS 2\n.nf\n")
			for _, l := range lines {
				b.WriteString(roffLine(roff(strings.TrimPrefix(l, "  "))) + "\n")
			}
			b.WriteString(".fi\n.RE\n")
			continue
		}
		for _, l := range lines {
			b.WriteString(roffLine(roff(strings.TrimSpace(l))) + "\n")
		}
	}
	return b.String()
}

// roffFlag is a tagged paragraph for a flag.
func roffFlag(f *flag.Flag) string {
	tag := `\fB` + roff(flagName(f)) + `\fR`
	if a := flagArg(f); a != "" {
		tag += ` \fI` + roff(a) + `\fR`
	}
	return ".TP\n" + tag + "\n" + roffLine(roff(flagText(f))) + "\n"
}

const (
	manDescription = `sipdbg shows the SIP calls of a capture, a text trace or a live capture
the way sngrep does, and explains their authentication: which element
challenged with 401 or 407, whether the user agent answered, with which
realm, nonce and username, whether the 407 was ACKed, and whether a
candidate password computes the digest that was captured. sipdbg probe
sends a test request with given credentials and explains the answer the
same way.`

	manFiles = `The file given to --credentials holds one credential a line:

  REALM USER PASSWORD

REALM is the challenge's realm, or * for any realm; the password is the
rest of the line (it may hold spaces), or HA1:<hex>. Blank lines and
lines starting with # are ignored. Like ssh with its keys, sipdbg refuses
the file unless only its owner can read it (chmod 600).

$XDG_CONFIG_HOME/sipdbg/config.toml, or ~/.config/sipdbg/config.toml,
is the optional configuration: the theme, the call list's columns, a
default credentials file and the keys (docs/config.example.toml in the
source is a commented example). A mistake in it stops the command with
exit status 2 and one line naming the file and the line.

/dev/tty gives the keys when the capture comes on standard input, and
the no-echo password prompt.`

	manExamples = `Open a capture; step to a call with Enter, ? lists the keys:

  sipdbg trace.pcap

Check the captured digests against a password, in a report:

  SIP_PW=alicepw sipdbg report --user alice --password-env SIP_PW --explain trace.pcap

Read a capture as it is made:

  tcpdump -i any -w - port 5060 | sipdbg report -

Capture live on every interface, SIP ports only, keeping a copy:

  sipdbg -i any --write keep.pcapng udp port 5060 or tcp port 5060

Count the dialogs as sngrep -N does:

  sipdbg -N -I trace.pcap

Test a registration live:

  SIP_PW=alicepw sipdbg probe register sip:alice@example.com --server 192.0.2.10 --password-env SIP_PW

Install the completion for bash:

  sipdbg completion bash > /etc/bash_completion.d/sipdbg`
)

// manEnvironment is every variable sipdbg reads. A test holds it to the
// SIPDBG_* variables that the program's packages read.
var manEnvironment = []struct{ name, text string }{
	{"VAR", `The variable named by --password-env holds a candidate password, or
HA1:<hex> (32 hex digits for MD5, 64 for SHA-256) for the HA1 that a
server stores. With --user alone sipdbg asks for the password on the
terminal, without echo. There is no password option: the command line is
visible to every user of the machine. Passwords never appear in any
output.`},
	{"SIPDBG_CONFIG", `the configuration file to read instead of the one in FILES; it must
exist (SIPDBG_CONFIG=/dev/null runs with the defaults).`},
	{"SIPDBG_DEBUG", `a file the interface appends a debug log to, for bug reports: start,
source, load counts, screens, live tests and their outcome; never a
password, a digest or a SIP message. Created readable by its owner only.`},
	{"XDG_CONFIG_HOME", "where the configuration file is looked for when it is an absolute path (default ~/.config)."},
	{"TERM, COLORTERM", "tell the terminal library what the terminal can show."},
	{"NO_COLOR", "set to 1 (or true) turns colours off."},
}

// manPage is the man page (section 1) in roff.
func manPage() string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	table := commandTable()
	bare := lookupCommand("")
	p(".\\\" sipdbg(1), made by `sipdbg man` from the command table: do not edit.\n")
	p(".TH SIPDBG 1 \"\" \"sipdbg %s\" \"User Commands\"\n", roff(version()))
	p(".SH NAME\nsipdbg \\- a SIP debugger that explains 401/407 authentication failures\n")

	// One form a line, continued with an indent; no hyphenation, no
	// stretched spaces.
	p(".SH SYNOPSIS\n.nh\n.ad l\n.in +7n\n")
	for _, c := range table {
		for _, f := range c.forms {
			p(".ti -7n\n\\fBsipdbg\\fR %s\n", roffSynopsis(f.synopsis))
		}
	}
	p(".in\n.ad\n.hy\n")

	p(".SH DESCRIPTION\n%s", roffText(manDescription))
	p(".PP\n%s", roffText(bare.description))

	p(".SH COMMANDS\n")
	for _, c := range table {
		if c.name == "" {
			continue
		}
		p(".TP\n\\fBsipdbg %s\\fR\n%s", roff(c.name), roffParas(c.description, ".IP"))
	}

	p(".SH OPTIONS\n%s", roffText(`Options may come before or after the arguments; -- ends them. A long
option takes one dash or two (-json is --json), and its value is the next
word or follows = (--transport=tcp). -h or --help prints a command's
usage and options.`))
	for _, c := range table {
		var flags []*flag.Flag
		for _, f := range c.flagList() {
			if !flagHints[f.Name].sngrep {
				flags = append(flags, f)
			}
		}
		if len(flags) == 0 {
			continue
		}
		p(".SS %s\n", roff(optionsHeading(c)))
		for _, f := range flags {
			p("%s", roffFlag(f))
		}
	}

	p(".SH SNGREP-COMPATIBLE OPTIONS\n%s", roffText(`sngrep's options for the bare sipdbg command work too, for the fingers
that know them:`))
	for _, f := range bare.flagList() {
		if flagHints[f.Name].sngrep {
			p("%s", roffFlag(f))
		}
	}

	p(".SH ENVIRONMENT\n")
	for _, e := range manEnvironment {
		font := ".B"
		if e.name == "VAR" { // a name the user chooses
			font = ".I"
		}
		p(".TP\n%s %s\n%s", font, roff(e.name), roffParas(e.text, ".IP"))
	}
	p(".SH FILES\n%s", roffText(manFiles))

	p(".SH EXIT STATUS\n")
	for _, c := range table {
		if len(c.exits) == 0 {
			continue
		}
		p(".SS %s\n", roff(optionsHeading(c)))
		for _, e := range c.exits {
			p(".TP\n.B %d\n%s\n", e.code, roffLine(roff(e.meaning)))
		}
	}
	p(".PP\n%s", roffText("The other commands exit with 0 on success and 2 on a usage error."))

	p(".SH EXAMPLES\n%s", roffText(manExamples))
	p(".SH SEE ALSO\n.BR sngrep (8),\n.BR tshark (1),\n.BR tcpdump (8)\n")
	return b.String()
}

// optionsHeading names whose options follow.
func optionsHeading(c *command) string {
	if c.name == "" {
		return "sipdbg FILE, sipdbg -i IFACE"
	}
	return c.title()
}
