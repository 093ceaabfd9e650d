package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/sipdbg/sipdbg/report"
)

// The command table: every command's name, synopsis, description,
// arguments, flags and exit statuses. The dispatcher, --help, the usage,
// the completion scripts and the man page are all made from it, and each
// command's flags come from the very function its run function parses
// with, so that none of them can drift from the others.

// valueKind says what a flag's value or an argument is, for completion.
type valueKind int

const (
	valText    valueKind = iota // free text: nothing to offer
	valFile                     // a file; globs narrow the candidates (none: any file)
	valIface                    // a network interface (or "any")
	valEnum                     // one of values
	valEnv                      // the name of an environment variable
	valCommand                  // the name of a sipdbg command
)

type valueSpec struct {
	kind   valueKind
	globs  []string // valFile
	values []string // valEnum
}

// captureGlobs are the files offered where a capture or a text trace is
// read (.data: Kamailio's sipdump files).
var captureGlobs = []string{"*.pcap", "*.pcapng", "*.cap", "*.gz", "*.txt", "*.log", "*.data"}

var (
	captureFile = valueSpec{kind: valFile, globs: captureGlobs}
	anyFile     = valueSpec{kind: valFile}
	iface       = valueSpec{kind: valIface}
)

// probeMethods and probeTransports are the words probe accepts (checkProbe
// is the truth; a test holds them together).
var (
	probeMethods    = []string{"register", "invite", "options"}
	probeTransports = []string{"udp", "tcp", "tls", "ws", "wss"}
	shells          = []string{"bash", "zsh", "fish"}
)

// flagHint is what the flag package does not know about a flag: the name
// of its value in usages, how the value completes, and whether it is one
// of sngrep's options. Flags of the same name mean the same in every
// command. A flag without a hint still appears everywhere, with a value
// name guessed from its type and no value completion.
type flagHint struct {
	arg    string
	value  valueSpec
	sngrep bool
}

var flagHints = map[string]flagHint{
	"i":                {arg: "IFACE", value: iface},
	"d":                {arg: "IFACE", value: iface, sngrep: true},
	"I":                {arg: "FILE", value: captureFile, sngrep: true},
	"O":                {arg: "FILE", value: anyFile, sngrep: true},
	"N":                {sngrep: true},
	"hep":              {arg: "ADDR"},
	"hep-password-env": {arg: "VAR", value: valueSpec{kind: valEnv}},
	"write":            {arg: "FILE", value: anyFile},
	"write-limit":      {arg: "MB"},
	"memory":           {arg: "SIZE"},
	"duration":         {arg: "DURATION"},
	"user":             {arg: "USER"},
	"password-env":     {arg: "VAR", value: valueSpec{kind: valEnv}},
	"credentials":      {arg: "FILE", value: anyFile},
	"server":           {arg: "HOST[:PORT]"},
	"dns":              {arg: "HOST:PORT"},
	"transport":        {arg: "TRANSPORT", value: valueSpec{kind: valEnum, values: probeTransports}},
	"ca":               {arg: "FILE", value: valueSpec{kind: valFile, globs: []string{"*.pem", "*.crt", "*.cer"}}},
	"from":             {arg: "URI"},
	"to":               {arg: "TEXT"},
	"call-id":          {arg: "TEXT"},
	"filter":           {arg: "TEXT"},
	"keylog":           {arg: "FILE", value: anyFile},
	"method":           {arg: "METHODS"},
	"timeout":          {arg: "DURATION"},
	"expires":          {arg: "SECONDS"},
	"save":             {arg: "FILE", value: anyFile},
	"wav":              {arg: "DIR", value: anyFile},
}

// argSpec is a positional argument.
type argSpec struct {
	name   string // as the synopsis writes it
	value  valueSpec
	repeat bool // the last argument, any number of times
}

// form is one way to call a command: its synopsis (after "sipdbg ") and
// what it does, in a line.
type form struct{ synopsis, summary string }

type exitStatus struct {
	code    int
	meaning string
}

type runFunc func(args []string, stdin io.Reader, stdout, stderr io.Writer) int

type command struct {
	name        string // "" for sipdbg FILE / sipdbg -i IFACE
	forms       []form
	description string // paragraphs separated by blank lines
	args        []argSpec
	flags       func() *flag.FlagSet
	run         runFunc
	exits       []exitStatus
	shell       bool // shell integration, listed apart in the usage
	hidden      bool // not listed in the usage
}

// title is the command as typed: "sipdbg report".
func (c *command) title() string {
	if c.name == "" {
		return "sipdbg"
	}
	return "sipdbg " + c.name
}

func (c *command) summary() string { return c.forms[0].summary }

// flagList is the command's flags in the flag package's order (by name).
func (c *command) flagList() []*flag.Flag {
	var out []*flag.Flag
	c.flags().VisitAll(func(f *flag.Flag) { out = append(out, f) })
	return out
}

// noFlags is the flag set of a command without options: it still knows
// -h and --help.
func noFlags(name string) func() *flag.FlagSet {
	return func() *flag.FlagSet { return flag.NewFlagSet(name, flag.ContinueOnError) }
}

const fileText = `FILE is a pcap, pcapng or NetMon capture, optionally gzip-compressed, or a
text SIP trace (Asterisk pjsip/chan_sip logger, FreeSWITCH siptrace,
Kamailio sipdump, baresip, sngrep's text export, pasted messages); -
reads standard input (tcpdump -w - | sipdbg report -).`

const filterText = `The start-up filters leave calls out while loading: what does not pass is
never stored. --no-options drops OPTIONS requests and their responses;
--method INVITE,REGISTER keeps the calls whose first method is listed;
--from, --to and --call-id keep the calls whose From URI, To URI or
Call-ID contains the text, in any case. A call's first message decides
for all of its messages; the filters combine. The totals and the status
line say how many messages they left out.

--problems and --filter TEXT judge whole calls, once loaded: --problems
shows only the calls whose verdict is an error, the calls that failed;
--filter the calls that mention the text in any case, as / in the call
list matches (any message's text, the state, an alias, a verdict code
such as ack-missing or media-jitter). In the interface they start the
call list filtered; Esc shows every call.`

const credentialsText = `The --user, --password-env and --credentials options give candidate
passwords to check the captured digests with: the findings then say
whether each captured response was computed with one. There is no password
option: the command line is visible to every user of the machine.`

// interfaceExits are the exit statuses of the commands that open the
// interface or print a report.
var interfaceExits = []exitStatus{
	{exitOK, "the interface was quit, or the report printed"},
	{exitFail, "the interface failed"},
	{exitUsage, "a usage error, or a trace that cannot be read"},
}

// commandTable is the table, in the usage's order. It is a function, not
// a variable, because help and completion read the table.
func commandTable() []*command {
	return []*command{
		{
			name: "",
			forms: []form{
				{"[--user USER] [--password-env VAR] [--credentials FILE] FILE|-", "open a capture in the interactive view"},
				{"-i IFACE [-i IFACE2] [--hep ADDR] [--write FILE.pcapng [--write-limit MB]] [--memory SIZE] [FILTER…]",
					"capture live (Linux, root or CAP_NET_RAW) and/or receive HEP, in the interactive view"},
			},
			description: `sipdbg FILE opens a capture full-screen: the call list with sngrep's columns and the
worst authentication finding of each call, the call flow as a ladder, the
selected message with its auth headers decoded, and the findings. Calls
appear while the file is still loading. With - the capture comes on
standard input and the keys from the terminal. ? in the interface lists
its keys.

` + fileText + `

With -i or --hep it captures live instead. -i captures on a Linux
interface ("any" for all) with AF_PACKET, which needs root or
CAP_NET_RAW; --hep receives HEP v2/v3 over UDP and TCP from Kamailio,
OpenSIPS, heplify or FreeSWITCH; sources can be combined. The words after
the options are a tcpdump-style filter for the interfaces (host, net,
port, portrange, udp, tcp, sctp, ip, ip6, icmp, vlan, and, or, not,
parentheses). --write keeps everything captured in a pcapng file.
A live session stays within --memory (default 512MiB): past half of it
the oldest completed calls are dropped from memory (never the ones on
screen), and the status line says how many; --write files keep them.

` + filterText + `

` + credentialsText,
			args:  []argSpec{{name: "FILE|-", value: captureFile}},
			flags: func() *flag.FlagSet { fs, _ := interactiveFlagSet(); return fs },
			run:   runInteractive,
			exits: []exitStatus{
				{exitOK, "the interface was quit, or -N printed the count"},
				{exitFail, "the interface failed"},
				{exitUsage, "a usage error, a capture that cannot be read or a live source that cannot be opened"},
			},
		},
		{
			name: "report",
			forms: []form{{"report [--json] [--explain] [--user USER] [--password-env VAR] [--credentials FILE] FILE|-",
				"print every call of a capture with its authentication findings; with credentials, check the captured digests"},
				{"report --summary [--json] [--timings] [credentials] FILE|-",
					"how many calls have each finding (and the first of them), and the calls per state"},
				{"report --wav DIR FILE", "write each G.711 stream's audio as a WAV file in DIR"},
				{"report [--no-options] [--method METHODS] [--from URI] [--to TEXT] [--call-id TEXT] FILE|-",
					"the same, for only the calls that pass the start-up filters (applied while loading)"},
				{"report [--problems] [--filter TEXT] FILE|-",
					"the same, for only the calls with an error verdict, or that mention TEXT"}},
			description: `Prints every call (every Call-ID) with its messages in capture order and
its authentication findings, then what could not be decoded, then totals.
--json prints one JSON document instead; --explain adds each finding's
explanation, its RFC reference and, for password checks, the digest
computation with the password masked. --summary analyses every call but
prints only, per finding, how many calls have it and the first of them,
then the calls per state and the totals: the first look at a large
capture. --timings prints on standard error how long the load and the
report took. A truncated capture is reported up to where it stops, with
a warning naming the frame. --wav DIR writes each G.711 stream's audio
(PCMU, PCMA) as a WAV file in DIR instead, named by call, direction and
SSRC, with a line for each file written and each stream skipped.

` + filterText + `

` + credentialsText,
			args:  []argSpec{{name: "FILE|-", value: captureFile}},
			flags: func() *flag.FlagSet { fs, _ := reportFlagSet(); return fs },
			run:   runReport,
			exits: []exitStatus{
				{exitOK, "the report was printed (also for a truncated capture)"},
				{exitFail, "the report could not be written"},
				{exitUsage, "a usage error or a file that cannot be read, with one line on standard error naming it"},
			},
		},
		{
			name: "capture",
			forms: []form{{"capture -i IFACE [--hep ADDR] [--duration 30s] [--write FILE.pcapng [--write-limit MB]] [--memory SIZE] [--report] [FILTER…]",
				"capture without the interface, for scripts"}},
			description: `Captures like sipdbg -i, without the interface: on the interfaces and the
HEP listener given, for --duration or until interrupted (SIGINT,
SIGTERM), keeping everything in the --write file, then prints the totals
and the kernel's drops, or with --report the whole report, and the peak
memory. It stays within --memory as the interface does: the totals count
the calls dropped from memory, the report shows only those kept. The
words after the options are a tcpdump-style filter for the interfaces.
The start-up filters apply to what is kept in memory and reported,
never to the --write file, which keeps every packet.

` + filterText,
			args:  []argSpec{{name: "FILTER…", repeat: true}},
			flags: func() *flag.FlagSet { fs, _ := captureFlagSet(); return fs },
			run: func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
				return runCapture(args, stdout, stderr)
			},
			exits: []exitStatus{
				{exitOK, "the capture ran and its totals were printed"},
				{exitUsage, "a usage error or a source that cannot be opened"},
			},
		},
		{
			name: "probe",
			forms: []form{{probeSynopsis(), "send one test request with these credentials and explain the answer"},
				{"probe [--server HOST[:PORT]] [--transport T] [--from URI] [--user USER]", "on a terminal, without a method: the same test as a form in the interface"}},
			description: `Sends one REGISTER, INVITE or OPTIONS to TARGET (a SIP URI) with the
credentials given and answers the 401/407 challenges it draws: several
realms at once, MD5, SHA-256 and SHA-512-256 and their -sess forms, qop
auth and auth-int, one silent retry on stale=true. It is a diagnostic,
not a password guesser: each realm is answered once. An INVITE is ended
cleanly (CANCEL when it rings, ACK and BYE when answered); --unregister
removes the binding a REGISTER made. The exchange goes through the same
analysis as a capture, so the output is the flow and findings that
sipdbg report prints; --save keeps it as a pcap. TLS verifies the
server's certificate for the target's domain (--ca adds a CA, --insecure
skips the check). Without a method and TARGET, on a terminal, it opens
the interface's live test form (T in the interface) filled from the
flags: the password is typed there, masked, and the exchange is drawn
as it happens.`,
			args: []argSpec{
				{name: "register|invite|options", value: valueSpec{kind: valEnum, values: probeMethods}},
				{name: "TARGET"},
			},
			flags: func() *flag.FlagSet { fs, _ := probeFlagSet(); return fs },
			run: func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
				return runProbe(args, stdout, stderr)
			},
			exits: []exitStatus{
				{probeOK, "accepted (2xx, or 18x for an INVITE after authentication)"},
				{probeRejected, "rejected: the final status and the top finding on standard error"},
				{probeNoAnswer, "no answer, or a network failure said in words (DNS, connection refused, timeout, TLS certificate)"},
				{probeUsage, "a usage error"},
			},
		},
		{
			name:  "mcp",
			forms: []form{{"mcp FILE…", "serve captures to an AI assistant over MCP (Model Context Protocol) on standard input and output"}},
			description: `Loads the capture files, each on its own, then serves them over the Model
Context Protocol on standard input and output, for an assistant (Claude,
an IDE agent) that starts sipdbg as a tool server: its configuration names
the command sipdbg with the arguments mcp and the files. The tools are
read-only: list_calls (the calls with their verdicts, filtered by method,
From, To, Call-ID or problems only), call (one call's ladder, verdict and
findings with their explanations), summary (calls per verdict, finding
and state, and the totals) and message (one message's text). A message's
credentials are masked: a digest's response and cnonce, other schemes'
credentials, passwords in URIs and parameters. The probe is not offered
and no password is taken. A line per capture on standard error says what
was loaded.

Each FILE is a capture or a text trace, as for sipdbg report, but not -:
standard input carries the protocol.`,
			args:  []argSpec{{name: "FILE…", value: captureFile, repeat: true}},
			flags: noFlags("mcp"),
			run:   runMCP,
			exits: []exitStatus{
				{exitOK, "the client disconnected"},
				{exitFail, "the connection failed"},
				{exitUsage, "a usage error or a file that cannot be read, with one line on standard error naming it"},
			},
		},
		{
			name:  "paste",
			forms: []form{{"paste", "read a pasted SIP trace (PBX/proxy log) until end of input, then open it"}},
			description: `Reads a text SIP trace pasted into the terminal, or piped, until end of
input (Ctrl-D on an empty line), then opens it in the interactive view,
or prints its report when standard output is not a terminal.`,
			flags: noFlags("paste"),
			run:   runPaste,
			exits: interfaceExits,
		},
		{
			name:  "demo",
			forms: []form{{"demo", "open the built-in demo capture (a report when not on a terminal)"}},
			description: `Opens a built-in capture (a 401, a wrong password, an unACKed 407, two
realms) in the interactive view, or prints its report when standard
output is not a terminal.`,
			flags: noFlags("demo"),
			exits: interfaceExits,
			run: func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
				return runDemo(args, stdout, stderr)
			},
		},
		{
			name:  "version",
			forms: []form{{"version", "print the version"}},
			description: `Prints the module version, the commit of a build from a clone, and the
Go version. sipdbg --version and sipdbg -v do the same.`,
			flags: noFlags("version"),
			run:   runVersion,
		},
		{
			name:  "completion",
			forms: []form{{"completion bash|zsh|fish", "print the shell completion script"}},
			description: `Prints a completion script for the shell: the commands, their options,
the values of the options that take a word from a set, the network
interfaces for -i and -d, and where a capture is read, the files named
` + strings.Join(captureGlobs, " ") + `.

  bash:  source <(sipdbg completion bash), or
         sipdbg completion bash > /etc/bash_completion.d/sipdbg
  zsh:   sipdbg completion zsh > "${fpath[1]}/_sipdbg" (a directory in $fpath)
  fish:  sipdbg completion fish > ~/.config/fish/completions/sipdbg.fish`,
			args:  []argSpec{{name: "bash|zsh|fish", value: valueSpec{kind: valEnum, values: shells}}},
			flags: noFlags("completion"),
			run:   runCompletion,
			shell: true,
		},
		{
			name:  "man",
			forms: []form{{"man", "print the manual page"}},
			description: `Prints the manual page in roff, made from the same command definitions
as --help and the completion scripts: sipdbg man | man -l -`,
			flags: noFlags("man"),
			run:   runMan,
			shell: true,
		},
		{
			name:        "help",
			forms:       []form{{"help [COMMAND]", "print the usage, or the options of a command"}},
			description: `Prints the usage, or with a command its options (as COMMAND --help does).`,
			args:        []argSpec{{name: "COMMAND", value: valueSpec{kind: valCommand}}},
			flags:       noFlags("help"),
			run:         runHelp,
			hidden:      true,
		},
	}
}

// lookupCommand finds a command by name ("sipdbg" is the bare form).
func lookupCommand(name string) *command {
	if name == "sipdbg" {
		name = ""
	}
	for _, c := range commandTable() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// commandNames are the subcommands (not the bare form).
func commandNames() []string {
	var out []string
	for _, c := range commandTable() {
		if c.name != "" {
			out = append(out, c.name)
		}
	}
	return out
}

// probeSynopsis is probe's usage line without "usage: sipdbg ", on one line.
func probeSynopsis() string {
	return strings.Join(strings.Fields(strings.TrimPrefix(probeUsageText, "usage: sipdbg ")), " ")
}

// parseArgs parses a command's arguments with its flag set. -h/--help
// prints the command's help on standard output (the error is then
// flag.ErrHelp); a bad flag gets the flag package's message and the
// synopsis on standard error.
func parseArgs(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) ([]string, error) {
	fs.SetOutput(stderr)
	fs.Usage = func() {}
	pos, err := parseInterspersed(fs, args)
	if err == nil {
		return pos, nil
	}
	c := lookupCommand(fs.Name())
	if c == nil {
		return nil, err
	}
	if errors.Is(err, flag.ErrHelp) {
		writeHelp(stdout, c)
	} else {
		fmt.Fprintf(stderr, "%s\n%s --help lists the options.\n", usageLine("usage: ", c.forms[0]), c.title())
	}
	return nil, err
}

// noArgs refuses positional arguments for a command that takes none.
func noArgs(cmd string, pos []string, stderr io.Writer) (int, bool) {
	if len(pos) > 0 {
		return usageError(stderr, cmd, "takes no arguments"), false
	}
	return 0, true
}

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	pos, err := parseArgs(noFlags("version")(), args, stdout, stderr)
	if err != nil {
		return flagExit(err, exitUsage)
	}
	if code, ok := noArgs("version", pos, stderr); !ok {
		return code
	}
	fmt.Fprintln(stdout, "sipdbg", version())
	return exitOK
}

func runHelp(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	pos, err := parseArgs(noFlags("help")(), args, stdout, stderr)
	if err != nil {
		return flagExit(err, exitUsage)
	}
	switch {
	case len(pos) == 0:
		writeHelp(stdout, lookupCommand(""))
	case len(pos) == 1 && lookupCommand(pos[0]) != nil:
		writeHelp(stdout, lookupCommand(pos[0]))
	default:
		return usageError(stderr, "help", "the commands are "+strings.Join(commandNames(), ", "))
	}
	return exitOK
}

// writeUsage prints the short usage: every form of every command.
func writeUsage(w io.Writer) {
	fmt.Fprint(w, "sipdbg — a SIP debugger that explains 401/407 authentication failures\n\nUsage:\n")
	var shell []string
	for _, c := range commandTable() {
		switch {
		case c.shell:
			for _, f := range c.forms {
				shell = append(shell, "sipdbg "+f.synopsis)
			}
		case !c.hidden:
			for _, f := range c.forms {
				writeForm(w, f)
			}
		}
	}
	fmt.Fprintf(w, "\n%s\n\n%s\n\nShell integration: %s\n'sipdbg COMMAND --help' prints the options of a command.\n",
		wrap(sngrepSentence(), 76, ""), fileText, strings.Join(shell, ", "))
}

const (
	usageIndent = 34 // column of a form's summary
	usageWidth  = 100
)

func writeForm(w io.Writer, f form) {
	lines := wrapSynopsis("sipdbg "+f.synopsis, usageWidth-2, strings.Repeat(" ", len("sipdbg ")))
	for i, l := range lines {
		if i < len(lines)-1 {
			fmt.Fprintf(w, "  %s\n", l)
		}
	}
	last := lines[len(lines)-1]
	pad := strings.Repeat(" ", usageIndent)
	summary := wrap(f.summary, usageWidth-usageIndent, pad)
	if n := len([]rune(last)); n+2 < usageIndent-1 {
		fmt.Fprintf(w, "  %s%s%s\n", last, strings.Repeat(" ", usageIndent-2-n), strings.TrimPrefix(summary, pad))
	} else {
		fmt.Fprintf(w, "  %s\n%s%s\n", last, pad, summary)
	}
}

// sngrepSentence names sngrep's options, from their flags.
func sngrepSentence() string {
	var parts []string
	for _, f := range lookupCommand("").flagList() {
		if !flagHints[f.Name].sngrep {
			continue
		}
		_, u := flag.UnquoteUsage(f)
		parts = append(parts, strings.TrimSpace(flagSynopsis(f)+" ("+strings.TrimSuffix(u, " (sngrep)")+")"))
	}
	return "sngrep's options work too: " + strings.Join(parts, ", ") + "."
}

// writeHelp prints a command's help: synopsis, description, options,
// exit statuses. The bare form's help is the usage with its options.
func writeHelp(w io.Writer, c *command) {
	if c.name == "" {
		writeUsage(w)
		fmt.Fprintf(w, "\n%s\n\nOptions of the interactive view:\n", wrapText(credentialsText, 76))
		writeFlags(w, c, false)
		fmt.Fprintln(w, "\nsngrep's options:")
		writeFlags(w, c, true)
		return
	}
	for i, f := range c.forms {
		lead := "usage: "
		if i > 0 {
			lead = "   or: "
		}
		fmt.Fprintln(w, usageLine(lead, f))
	}
	fmt.Fprintf(w, "\n%s\n", c.description)
	if len(c.flagList()) > 0 {
		fmt.Fprintln(w, "\nOptions:")
		writeFlags(w, c, false)
	}
	fmt.Fprintln(w, "\nExit status:")
	for _, e := range c.exitList() {
		fmt.Fprintf(w, "  %-3d %s\n", e.code, wrap(e.meaning, 72, "      "))
	}
}

// usageLine is a form's synopsis after lead ("usage: "), wrapped.
func usageLine(lead string, f form) string {
	lines := wrapSynopsis("sipdbg "+f.synopsis, usageWidth-len(lead), strings.Repeat(" ", len(lead+"sipdbg ")))
	return lead + strings.Join(lines, "\n")
}

// exitList is the command's exit statuses; the default is success or a
// usage error.
func (c *command) exitList() []exitStatus {
	if len(c.exits) > 0 {
		return c.exits
	}
	return []exitStatus{{exitOK, "success"}, {exitUsage, "a usage error"}}
}

// writeFlags lists the command's flags (sngrep's, or the others).
func writeFlags(w io.Writer, c *command, sngrep bool) {
	const col = 26
	for _, f := range c.flagList() {
		if flagHints[f.Name].sngrep != sngrep {
			continue
		}
		left := "  " + flagSynopsis(f)
		text := wrap(flagText(f), usageWidth-col, strings.Repeat(" ", col))
		if len(left) < col-1 {
			fmt.Fprintf(w, "%-*s%s\n", col, left, strings.TrimLeft(text, " "))
		} else {
			fmt.Fprintf(w, "%s\n%s\n", left, text)
		}
	}
}

// flagName is the flag as written in this project's usages: -i, --json.
func flagName(f *flag.Flag) string {
	if len(f.Name) == 1 {
		return "-" + f.Name
	}
	return "--" + f.Name
}

// flagSynopsis is the flag with its value's name: --server HOST[:PORT].
func flagSynopsis(f *flag.Flag) string {
	if a := flagArg(f); a != "" {
		return flagName(f) + " " + a
	}
	return flagName(f)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// flagArg names the flag's value ("" for a boolean flag).
func flagArg(f *flag.Flag) string {
	if isBool(f) {
		return ""
	}
	if h := flagHints[f.Name]; h.arg != "" {
		return h.arg
	}
	name, _ := flag.UnquoteUsage(f)
	switch name {
	case "", "value", "string":
		return "VALUE"
	case "duration":
		return "DURATION"
	case "int", "uint", "int64", "uint64":
		return "N"
	case "float":
		return "NUMBER"
	}
	return strings.ToUpper(name)
}

// flagValue is how the flag's value completes.
func flagValue(f *flag.Flag) valueSpec {
	return flagHints[f.Name].value
}

// flagText is the flag's usage with its default.
func flagText(f *flag.Flag) string {
	_, u := flag.UnquoteUsage(f)
	switch f.DefValue {
	case "", "0", "false", "0s", "[]":
	default:
		u += " (default " + f.DefValue + ")"
	}
	return u
}

// flagShort is the flag's usage up to its first aside, for completion
// menus.
func flagShort(f *flag.Flag) string {
	_, u := flag.UnquoteUsage(f)
	for _, sep := range []string{" (", "; "} {
		if i := strings.Index(u, sep); i > 0 {
			u = u[:i]
		}
	}
	return u
}

// valueWords are the words a value can be (enumerations only).
func valueWords(v valueSpec) []string {
	switch v.kind {
	case valEnum:
		return v.values
	case valCommand:
		names := commandNames()
		sort.Strings(names)
		return names
	}
	return nil
}

// wrap fills text to width; lines after the first start with indent,
// which is not counted in width.
func wrap(text string, width int, indent string) string {
	return strings.Join(report.Wrap(text, width), "\n"+indent)
}

// wrapText fills each paragraph of text to width.
func wrapText(text string, width int) string {
	paras := strings.Split(text, "\n\n")
	for i, p := range paras {
		paras[i] = wrap(p, width, "")
	}
	return strings.Join(paras, "\n\n")
}

// synopsisWords splits a synopsis at its spaces outside brackets, so that
// "[--user USER]" stays one piece.
func synopsisWords(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case ' ':
			if depth == 0 {
				if i > start {
					out = append(out, s[start:i])
				}
				start = i + 1
			}
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// wrapSynopsis breaks a synopsis into lines of at most width, the later
// ones indented.
func wrapSynopsis(s string, width int, indent string) []string {
	var lines []string
	cur := ""
	for _, w := range synopsisWords(s) {
		switch {
		case cur == "":
			cur = w
		case len([]rune(cur))+1+len([]rune(w)) > width && strings.TrimSpace(cur) != "":
			lines = append(lines, cur)
			cur = indent + w
		default:
			cur += " " + w
		}
	}
	return append(lines, cur)
}
