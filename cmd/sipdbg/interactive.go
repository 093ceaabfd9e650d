package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/term"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/source"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/probe"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui"
	"github.com/sipdbg/sipdbg/tui/config"
)

// interactiveFlags are the flags of sipdbg FILE and sipdbg -i IFACE.
type interactiveFlags struct {
	creds  credFlags
	live   liveFlags
	input  *string
	noUI   *bool
	keylog *keylogFlag
	filter filterFlags
}

func interactiveFlagSet() (*flag.FlagSet, *interactiveFlags) {
	fs := flag.NewFlagSet("sipdbg", flag.ContinueOnError)
	f := &interactiveFlags{creds: addCredFlags(fs)}
	lf := &f.live
	fs.Var(&lf.ifaces, "i", "capture live on this interface (\"any\" for all; repeatable); the words after the flags are a tcpdump-style filter")
	fs.StringVar(&lf.hep, "hep", "", "receive HEP v2/v3 on this address (UDP and TCP), e.g. :9060")
	fs.StringVar(&lf.hepPWEnv, "hep-password-env", "", hepPWUsage)
	fs.StringVar(&lf.write, "write", "", "keep everything captured live in this pcapng file")
	fs.Int64Var(&lf.writeLimit, "write-limit", 0, "rotate the --write file at this many MB (0: never)")
	lf.memory = defaultBudget
	fs.Var(&lf.memory, "memory", memoryUsage)
	// sngrep's options, for the fingers that know them.
	fs.Var(&lf.ifaces, "d", "same as -i (sngrep)")
	fs.StringVar(&lf.write, "O", "", "same as --write (sngrep)")
	f.input = fs.String("I", "", "read this capture file (sngrep)")
	f.noUI = fs.Bool("N", false, "no interface: read the capture and print the dialog count (sngrep)")
	f.keylog = addKeylogFlag(fs)
	f.filter = addFilterFlags(fs)
	return fs, f
}

// runInteractive opens a capture in the full-screen interface. With "-"
// the capture comes on standard input and the keys from /dev/tty.
func runInteractive(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, f := interactiveFlagSet()
	pos, err := parseArgs(fs, args, stdout, stderr)
	if err != nil {
		return flagExit(err, exitUsage)
	}
	cf, lf, input, noUI := f.creds, f.live, f.input, f.noUI
	cfg, ok := loadConfig(stderr, true)
	if !ok {
		return exitUsage
	}
	candidates, err := loadCreds(cf, cfg)
	if err != nil {
		return usageError(stderr, "", err.Error())
	}
	opt := analysis.Options{Credentials: candidates}
	keys, err := loadKeylog(*f.keylog, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg:", err)
		return exitUsage
	}
	filter, err := f.filter.filter()
	if err != nil {
		return usageError(stderr, "", err.Error())
	}
	load := pipeline.Options{Keylog: keys, Filter: filter}
	sel := f.filter.selection()
	if *input != "" {
		pos = append([]string{*input}, pos...)
	}
	if *noUI {
		return dialogCount(pos, load, sel, opt, stdin, stdout, stderr)
	}
	if lf.any() {
		src, err := lf.open(strings.Join(pos, " "))
		if err != nil {
			fmt.Fprintln(stderr, "sipdbg:", err)
			return exitUsage
		}
		defer src.Close()
		budget, err := sessionBudget(lf.memory, src)
		if err != nil {
			fmt.Fprintln(stderr, "sipdbg:", err)
			return exitUsage
		}
		applyBudget(budget)
		return interactive(src.Name(), "", src, opt, load, sel, cfg, false, int64(budget), stderr, *cf.passwordEnv, lf.hepPWEnv)
	}
	if len(pos) != 1 {
		return usageError(stderr, "", "needs exactly one capture file (or - for standard input), or a live source (-i IFACE, --hep ADDR)")
	}
	r, err := source.Open(pos[0], stdin)
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg:", err)
		return exitUsage
	}
	defer r.Close()
	file := pos[0] // the RTP of a save is read back from it
	if file == "-" {
		file = ""
	}
	return interactive(pos[0], file, r, opt, load, sel, cfg, pos[0] == "-", -1, stderr, *cf.passwordEnv)
}

// dialogCount is sngrep -N: load, print how many dialogs (calls) there
// are. Unlike sngrep there is no 20,000 limit.
func dialogCount(pos []string, load pipeline.Options, sel report.Selection, opt analysis.Options, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(pos) != 1 {
		return usageError(stderr, "", "-N needs one capture file (-I FILE)")
	}
	r, err := source.Open(pos[0], stdin)
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg:", err)
		return exitUsage
	}
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.LoadConcurrentWith(r, s, load); err != nil {
		fmt.Fprintln(stderr, "sipdbg: warning:", err)
	}
	n := len(s.Calls())
	if !sel.IsZero() {
		n = len(report.Select(s, opt, sel))
	}
	fmt.Fprintln(stdout, "Dialog count:", n)
	return exitOK
}

// interactive runs the interface on r, configured by cfg; a live source
// has a memory budget (0: none), a file has -1: it is shown whole. file
// is the capture file r reads, "" when it is no file that can be read
// again (a live source, standard input, a paste, the demo). The
// configuration's commands run without the environment variables
// dropEnv names (those the passwords were read from).
func interactive(name, file string, r capture.Source, opt analysis.Options, load pipeline.Options, sel report.Selection, cfg config.Config, keysFromTTY bool, budget int64, stderr io.Writer, dropEnv ...string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dlog := openDebugLog(stderr)
	dlog.source(name, sourceKind(name, file, budget, keysFromTTY), budget)
	stream := dlog.stream(pipeline.StreamWith(ctx, r, 1, load))
	model := tui.New(name, stream, 1, opt).WithConfig(cfg).WithProber(dlog.prober(func(_ context.Context, cfg probe.Config, progress func([]probe.Record)) probe.Result {
		return runTracedWatch(cfg, progress) // sipgo's tracer and logger are wired here, never to the terminal
	}))
	if budget >= 0 {
		model = model.WithLive(budget)
	}
	if file != "" {
		model = model.WithFile(file)
	}
	if !sel.IsZero() {
		model = model.WithListFilter(sel.Text, sel.Problems)
	}
	model = model.WithoutEnv(dropEnv...)
	defer model.Close() // the commands' temporary files
	var opts []tea.ProgramOption
	if keysFromTTY {
		tty, err := os.Open("/dev/tty")
		if err != nil {
			fmt.Fprintln(stderr, "sipdbg: the capture is on standard input and there is no terminal for the keys: use sipdbg report -")
			dlog.close(exitUsage, err)
			return exitUsage
		}
		defer tty.Close()
		opts = append(opts, tea.WithInput(tty))
	}
	code, err := runModel(withDebug(model, dlog), name, opts, stderr)
	dlog.close(code, err)
	return code
}

// sourceKind names the source for the debug log.
func sourceKind(name, file string, budget int64, stdin bool) string {
	switch {
	case budget >= 0:
		return "live"
	case stdin:
		return "standard input"
	case file != "":
		return fmt.Sprintf("file (%d bytes)", fileSize(name))
	}
	return "built-in"
}

// runModel runs the interface on the terminal; err is why it stopped
// short, for the debug log.
func runModel(model tea.Model, name string, opts []tea.ProgramOption, stderr io.Writer) (int, error) {
	// A capture file that another process cuts short while it is mapped:
	// reading a lost page in Update or View (this goroutine) becomes a
	// panic, which Bubble Tea recovers from by restoring the terminal,
	// where SIGBUS would kill the process and leave it raw.
	size := fileSize(name)
	err := capture.Guard(func() error {
		p := tea.NewProgram(model, opts...)
		defer quitOnHangup(p)()
		_, err := p.Run()
		return err
	})
	if err != nil {
		if errors.Is(err, tea.ErrProgramPanic) && fileSize(name) < size {
			fmt.Fprintln(stderr, "sipdbg: "+name+": "+capture.ErrShrank.Error())
			return exitFail, err
		}
		fmt.Fprintln(stderr, "sipdbg:", err)
		return exitFail, err
	}
	return exitOK, nil
}

// quitOnHangup ends the program as q would when its terminal goes away
// (SIGHUP: the window closed, the ssh session dropped), so that what the
// interface must undo on its way out is undone: the commands' temporary
// pcaps removed, the debug log closed. Bubble Tea itself answers only
// SIGINT and SIGTERM. The function it returns stops listening.
func quitOnHangup(p *tea.Program) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		select {
		case <-hup:
			p.Quit()
		case <-done:
		}
	}()
	return func() {
		signal.Stop(hup)
		close(done)
	}
}

// fileSize is the size of the file at path, -1 when it is not a regular
// file.
func fileSize(path string) int64 {
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return -1
	}
	return st.Size()
}

// isTerminal reports whether w is a terminal, where the interface can run.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// probeForm opens the interface on the live test form, filled from the
// flags given, over an empty session.
func probeForm(cfg probe.Config, stderr io.Writer) int {
	settings, ok := loadConfig(stderr, true)
	if !ok {
		return exitUsage
	}
	none := make(chan pipeline.Batch)
	close(none)
	dlog := openDebugLog(stderr)
	dlog.source("live credential test", "live test form", -1)
	model := tui.New("live credential test", none, 1, analysis.Options{}).WithConfig(settings).WithProber(dlog.prober(func(_ context.Context, cfg probe.Config, progress func([]probe.Record)) probe.Result {
		return runTracedWatch(cfg, progress)
	})).WithForm(cfg)
	defer model.Close() // the commands' temporary files
	p := tea.NewProgram(withDebug(model, dlog))
	stop := quitOnHangup(p)
	_, err := p.Run()
	stop()
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg:", err)
		dlog.close(exitFail, err)
		return exitFail
	}
	dlog.close(exitOK, nil)
	return exitOK
}
