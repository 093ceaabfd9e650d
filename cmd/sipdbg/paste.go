package main

import (
	"bytes"
	"fmt"
	"io"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/source"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/report"
)

// runPaste reads a trace pasted into the terminal (or piped) until end of
// input (Ctrl-D), then opens it: the interface on a terminal, else the
// report.
// maxPasteInput bounds what paste reads: a trace pasted into a terminal
// is kilobytes, and it is held whole in memory (sipdbg paste < /dev/zero
// must not run the machine out of it).
const maxPasteInput = 64 << 20

func runPaste(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	pos, err := parseArgs(noFlags("paste")(), args, stdout, stderr)
	if err != nil {
		return flagExit(err, exitUsage)
	}
	if code, ok := noArgs("paste", pos, stderr); !ok {
		return code
	}
	// Before the paste: a bad configuration must not cost the user it.
	cfg, ok := loadConfig(stderr, isTerminal(stdout))
	if !ok {
		return exitUsage
	}
	candidates, err := defaultCreds(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg paste:", err)
		return exitUsage
	}
	opt := analysis.Options{Credentials: candidates}
	if isTerminal(stdout) {
		fmt.Fprintln(stderr, "Paste the SIP trace, then press Ctrl-D on an empty line:")
	}
	b, err := io.ReadAll(io.LimitReader(stdin, maxPasteInput+1))
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg paste:", err)
		return exitUsage
	}
	if len(b) > maxPasteInput {
		fmt.Fprintf(stderr, "sipdbg paste: more than %d MiB on standard input: save it to a file and open that (sipdbg FILE, or sipdbg report FILE), which has no such bound\n", maxPasteInput>>20)
		return exitUsage
	}
	open := func() (capture.Source, error) {
		return source.FromReader(bytes.NewReader(b), "pasted trace", int64(len(b)))
	}
	if isTerminal(stdout) {
		r, err := open()
		if err != nil {
			fmt.Fprintln(stderr, "sipdbg paste:", err)
			return exitUsage
		}
		return interactive("pasted trace", "", r, opt, pipeline.Options{}, report.Selection{}, cfg, true, -1, stderr)
	}
	return runReportOn("pasted trace", open, reportOptions{analysis: opt, aliases: cfg.Aliases}, stdout, stderr)
}
