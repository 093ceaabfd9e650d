package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/source"
	"github.com/sipdbg/sipdbg/mcp"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// runMCP loads the captures, one store each, and serves them over MCP on
// standard input and output until the client disconnects. It takes no
// credentials: the tools analyse what the captures hold, and never check
// or print a password.
func runMCP(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	pos, err := parseArgs(noFlags("mcp")(), args, stdout, stderr)
	if err != nil {
		return flagExit(err, exitUsage)
	}
	if len(pos) == 0 {
		return usageError(stderr, "mcp", "needs at least one capture file")
	}
	var captures []mcp.Capture
	for _, name := range pos {
		if name == "-" {
			return usageError(stderr, "mcp", "standard input carries the protocol: give capture files, not -")
		}
		r, st, code := loadCapture(name, stderr)
		if code != exitOK {
			return code
		}
		defer r.Close() // a mapped capture's bytes stay readable while the server runs
		captures = append(captures, mcp.Capture{Name: name, Store: st})
		fmt.Fprintf(stderr, "sipdbg mcp: %s: %d calls, %d SIP messages\n", name, len(st.Calls()), st.Stats().Messages)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv := mcp.New(captures, version())
	err = srv.Run(ctx, &sdk.IOTransport{Reader: io.NopCloser(stdin), Writer: nopWriteCloser{stdout}})
	if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, io.EOF) {
		fmt.Fprintln(stderr, "sipdbg mcp:", err)
		return exitFail
	}
	return exitOK
}

// loadCapture opens and loads one capture as sipdbg report does; a
// truncated file is a warning. The source is returned open: the store
// may read its bytes.
func loadCapture(name string, stderr io.Writer) (capture.Source, *session.Store, int) {
	r, err := source.Open(name, nil)
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg mcp:", err)
		return nil, nil, exitUsage
	}
	for _, p := range source.Problems(r) {
		fmt.Fprintln(stderr, "sipdbg mcp: "+name+": "+p.String())
	}
	st := session.NewStore()
	if warn := pipeline.LoadConcurrent(r, st); warn != nil {
		if !errors.Is(warn, capture.ErrTruncated) {
			r.Close()
			fmt.Fprintln(stderr, "sipdbg mcp:", warn)
			return nil, nil, exitUsage
		}
		fmt.Fprintln(stderr, "sipdbg mcp: warning:", warn, "(everything before it is served)")
	}
	return r, st, exitOK
}

// nopWriteCloser is standard output for the transport, which closes its
// writer when the session ends: the process's own stays open.
type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
