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

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		writeUsage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "--version", "-v":
		args = append([]string{"version"}, args[1:]...)
	case "-h", "-help", "--help":
		args = append([]string{"help"}, args[1:]...)
	}
	if c := lookupCommand(args[0]); c != nil && c.name != "" {
		return c.run(args[1:], stdin, stdout, stderr)
	}
	if !isTerminal(stdout) && !headless(args) && !asksHelp(args) {
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

// asksHelp reports -h or --help among the flags, which needs no terminal.
func asksHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}
