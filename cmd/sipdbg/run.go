package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1 // the thing examined failed (probe rejected, …)
	exitUsage = 2 // bad arguments, or an input that cannot be read
)

const usage = `sipdbg — a SIP debugger that explains 401/407 authentication failures

Usage:
  sipdbg -i IFACE [-i IFACE2] [--hep ADDR] [--write FILE.pcapng] [FILTER…]
                                  capture live (Linux, root or CAP_NET_RAW) and/or receive HEP
  sipdbg [--user U] [--password-env VAR] [--credentials FILE] FILE|-
                                  open a capture in the interactive view
  sipdbg report [--json] [--explain] [--user U] [--password-env VAR] [--credentials FILE] FILE|-
                                  print every call of a capture with its authentication
                                  findings; with credentials, check the captured digests
  sipdbg capture -i IFACE [--hep ADDR] [--duration 30s] [--write FILE.pcapng] [--report] [FILTER…]
                                  capture without the interface, for scripts
  sipdbg probe register|invite|options TARGET [--server ADDR] [--transport udp|tcp] [--from URI]
              [--user U] [--password-env VAR | --credentials FILE] [--json] [--save FILE.pcap]
                                  send one test request with these credentials and explain the answer
  sipdbg paste                    read a pasted SIP trace (PBX/proxy log) until end of input, then open it
  sipdbg demo                     open the built-in demo capture (a report when not on a terminal)
  sipdbg version                  print the version

sngrep's options work too: -I FILE, -d IFACE (= -i), -O FILE (= --write),
-N (no interface: print the dialog count).

FILE is a pcap, pcapng or NetMon capture, optionally gzip-compressed, or a
text SIP trace (Asterisk pjsip/chan_sip logger, FreeSWITCH siptrace,
Kamailio sipdump, baresip, sngrep's text export, pasted messages); -
reads standard input (tcpdump -w - | sipdbg report -).
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "report":
		return runReport(args[1:], stdin, stdout, stderr)
	case "paste":
		return runPaste(stdin, stdout, stderr)
	case "capture":
		return runCapture(args[1:], stdout, stderr)
	case "probe":
		return runProbe(args[1:], stdout, stderr)
	case "demo":
		return runDemo(args[1:], stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "sipdbg", version())
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	if !isTerminal(stdout) && !headless(args) {
		fmt.Fprintln(stderr, "sipdbg: the interactive view needs a terminal; for a report use: sipdbg report", args[len(args)-1])
		return exitUsage
	}
	return runInteractive(args, stdin, stdout, stderr)
}

// parseInterspersed parses flags that may come before or after the
// positional arguments ("report x.pcap --json" as well as "report --json
// x.pcap"), which the flag package alone does not allow.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if rest[0] == "--" {
			return append(pos, rest[1:]...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagExit is the exit status for a flag parsing error: 0 for -h/--help,
// which printed the usage as asked.
func flagExit(err error, usage int) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	return usage
}

func usageError(stderr io.Writer, cmd, msg string) int {
	fmt.Fprintf(stderr, "sipdbg %s: %s\n", cmd, strings.TrimSpace(msg))
	return exitUsage
}

// headless reports sngrep's -N (no interface), which needs no terminal.
func headless(args []string) bool {
	for _, a := range args {
		if a == "-N" || a == "--N" {
			return true
		}
	}
	return false
}
