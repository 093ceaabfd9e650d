package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/session/capture"
)

func runReport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON document instead of text")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage
	}
	if len(pos) != 1 {
		return usageError(stderr, "report", "needs exactly one capture file (or - for standard input)")
	}
	store, warn, err := loadFile(pos[0], stdin)
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg:", err)
		return exitUsage
	}
	w := bufio.NewWriterSize(stdout, 64<<10)
	if *asJSON {
		err = writeJSON(w, []string{pos[0]}, store)
	} else {
		err = writeText(w, store)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg: writing the report:", err)
		return exitFail
	}
	if warn != nil {
		fmt.Fprintln(stderr, "sipdbg: warning:", warn, "(everything before it is reported)")
	}
	return exitOK
}

// loadFile reads a whole capture. A read error after the start (a
// truncated file) is returned as a warning with what was read.
func loadFile(path string, stdin io.Reader) (*session.Store, error, error) {
	var r *capture.Reader
	var err error
	if path == "-" {
		r, err = capture.NewReader(stdin, "stdin", -1)
	} else {
		r, err = capture.Open(path)
	}
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	store := session.NewStore()
	if err := session.Load(r, store); err != nil {
		if errors.Is(err, capture.ErrTruncated) {
			return store, err, nil
		}
		return nil, nil, err
	}
	return store, nil, nil
}

var _ = os.Stdin
