package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/report"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/session/capture"
)

// runCapture captures headless, for scripts: the live sources of the
// interface (-i, --hep), for --duration or until interrupted, kept with
// --write, then the totals (or --report prints the whole report).
// captureFlags are capture's flags.
type captureFlags struct {
	live     liveFlags
	duration *time.Duration
	report   *bool
}

func captureFlagSet() (*flag.FlagSet, *captureFlags) {
	fs := flag.NewFlagSet("capture", flag.ContinueOnError)
	f := &captureFlags{}
	lf := &f.live
	fs.Var(&lf.ifaces, "i", "interface to capture on (\"any\" for all; repeatable)")
	fs.StringVar(&lf.hep, "hep", "", "receive HEP v2/v3 on this address (UDP and TCP)")
	fs.StringVar(&lf.write, "write", "", "keep everything captured in this pcapng file")
	fs.Int64Var(&lf.writeLimit, "write-limit", 0, "rotate the --write file at this many MB (0: never)")
	f.duration = fs.Duration("duration", 0, "stop after this long (default: until interrupted)")
	f.report = fs.Bool("report", false, "print the report of what was captured, not only the totals")
	return fs, f
}

func runCapture(args []string, stdout, stderr io.Writer) int {
	fs, f := captureFlagSet()
	pos, err := parseArgs(fs, args, stdout, stderr)
	if err != nil {
		return flagExit(err, exitUsage)
	}
	lf, duration, full := f.live, f.duration, f.report
	if !lf.any() {
		return usageError(stderr, "capture", "needs -i IFACE and/or --hep ADDR")
	}
	src, err := lf.open(strings.Join(pos, " "))
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg capture:", err)
		return exitUsage
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(stop)
	go func() {
		var timeout <-chan time.Time
		if *duration > 0 {
			timeout = time.After(*duration)
		}
		select {
		case <-stop:
		case <-timeout:
		}
		src.Close()
	}()
	s := session.NewStore()
	if err := session.Load(src, s); err != nil {
		fmt.Fprintln(stderr, "sipdbg capture:", err)
	}
	src.Close()
	if *full {
		report.Text(stdout, s, analysis.Options{}, false)
		return exitOK
	}
	fmt.Fprintln(stdout, report.Totals(s))
	if n, ok := capture.Drops(src); ok {
		fmt.Fprintf(stdout, "Kernel drops: %d\n", n)
	}
	return exitOK
}
