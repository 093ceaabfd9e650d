package main

import (
	"bytes"
	"io"

	"github.com/sipdbg/sipdbg/internal/demo"
	"github.com/sipdbg/sipdbg/session/capture"
)

// runDemo shows the built-in capture, so that a first run needs no file.
// Until the interactive view exists it prints the report.
func runDemo(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		return usageError(stderr, "demo", "takes no arguments")
	}
	open := func() (*capture.Reader, error) {
		return capture.NewReader(bytes.NewReader(demo.Capture), demo.Name, int64(len(demo.Capture)))
	}
	return report(demo.Name, open, reportOptions{}, stdout, stderr)
}
