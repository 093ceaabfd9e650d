package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/memstat"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
)

// runCapture captures headless, for scripts: the live sources of the
// interface (-i, --hep), for --duration or until interrupted, kept with
// --write, then the totals (or --report prints the whole report).
// captureFlags are capture's flags.
type captureFlags struct {
	live     liveFlags
	duration *time.Duration
	report   *bool
	keylog   *keylogFlag
	filter   filterFlags
}

func captureFlagSet() (*flag.FlagSet, *captureFlags) {
	fs := flag.NewFlagSet("capture", flag.ContinueOnError)
	f := &captureFlags{}
	lf := &f.live
	fs.Var(&lf.ifaces, "i", "interface to capture on (\"any\" for all; repeatable)")
	fs.StringVar(&lf.hep, "hep", "", "receive HEP v2/v3 on this address (UDP and TCP)")
	fs.StringVar(&lf.hepPWEnv, "hep-password-env", "", hepPWUsage)
	fs.StringVar(&lf.write, "write", "", "keep everything captured in this pcapng file")
	fs.Int64Var(&lf.writeLimit, "write-limit", 0, "rotate the --write file at this many MB (0: never)")
	lf.memory = defaultBudget
	fs.Var(&lf.memory, "memory", memoryUsage)
	f.duration = fs.Duration("duration", 0, "stop after this long (default: until interrupted)")
	f.report = fs.Bool("report", false, "print the report of what was captured, not only the totals")
	f.keylog = addKeylogFlag(fs)
	f.filter = addFilterFlags(fs)
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
	cfg, ok := loadConfig(stderr, false)
	if !ok {
		return exitUsage
	}
	keys, err := loadKeylog(*f.keylog, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg capture:", err)
		return exitUsage
	}
	filter, err := f.filter.filter()
	if err != nil {
		return usageError(stderr, "capture", err.Error())
	}
	sel := f.filter.selection()
	src, err := lf.open(strings.Join(pos, " "))
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg capture:", err)
		return exitUsage
	}
	// Scripts wait for this line before sending what they want caught.
	fmt.Fprintf(stderr, "sipdbg capture: capturing on %s; interrupt (ctrl+c) to stop\n", src.Name())
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
	budget, err := sessionBudget(lf.memory, src)
	if err != nil {
		src.Close()
		fmt.Fprintln(stderr, "sipdbg capture:", err)
		return exitUsage
	}
	applyBudget(budget)
	s, peak := session.NewStore(), uint64(0)
	s.SetAliases(cfg.Aliases) // --report's text names endpoints as sipdbg report does
	for b := range pipeline.StreamWith(context.Background(), src, 1, pipeline.Options{Keylog: keys, Filter: filter}) {
		b.Apply(s)
		s.Trim(int64(budget), nil)
		peak = max(peak, memstat.InUse())
		if b.Err != nil {
			fmt.Fprintln(stderr, "sipdbg capture:", b.Err)
		}
	}
	src.Close()
	switch {
	case *full && !sel.IsZero():
		report.TextSelected(stdout, s, analysis.Options{}, false, sel)
	case *full:
		report.Text(stdout, s, analysis.Options{}, false)
	default:
		fmt.Fprintln(stdout, report.Totals(s))
	}
	if n, ok := capture.Drops(src); ok {
		fmt.Fprintf(stdout, "Kernel drops: %d\n", n)
	}
	if n := capture.Refused(src); n > 0 {
		fmt.Fprintf(stdout, "HEP packets refused (wrong or no password): %d\n", n)
	}
	fmt.Fprint(stdout, "Memory: peak "+memstat.MiB(peak))
	if lf.memory > 0 {
		fmt.Fprintf(stdout, " (budget %v)", &lf.memory)
	}
	if ev := s.Stats().Evicted; ev.Calls > 0 {
		fmt.Fprintf(stdout, "; %d old calls (%d messages) dropped from memory", ev.Calls, ev.Messages)
		if lf.write != "" {
			fmt.Fprint(stdout, ", all kept in "+lf.write)
		}
	}
	fmt.Fprintln(stdout)
	return exitOK
}
