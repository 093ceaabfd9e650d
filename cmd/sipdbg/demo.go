package main

import (
	"fmt"
	"io"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/report"
)

// runDemo shows the built-in capture, so that a first run needs no file.
// Until the interactive view exists it prints the report.
func runDemo(args []string, stdout, stderr io.Writer) int {
	pos, err := parseArgs(noFlags("demo")(), args, stdout, stderr)
	if err != nil {
		return flagExit(err, exitUsage)
	}
	if code, ok := noArgs("demo", pos, stderr); !ok {
		return code
	}
	open := func() (capture.Source, error) {
		return demo.Open()
	}
	if isTerminal(stdout) {
		// The demo takes the look and keys of the configuration, not its
		// credentials: the built-in capture's findings are the same for all.
		cfg, ok := loadConfig(stderr, true)
		if !ok {
			return exitUsage
		}
		r, err := open()
		if err != nil {
			fmt.Fprintln(stderr, "sipdbg:", err)
			return exitFail
		}
		return interactive(demo.Name, "", r, analysis.Options{}, pipeline.Options{}, report.Selection{}, cfg, false, -1, stderr)
	}
	return runReportOn(demo.Name, open, reportOptions{}, stdout, stderr)
}
