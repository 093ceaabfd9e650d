package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/source"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
)

// reportFlags are report's flags.
type reportFlags struct {
	json, explain, summary, timings *bool
	noMedia                         *bool
	wav                             *string
	creds                           credFlags
	keylog                          *keylogFlag
	filter                          filterFlags
}

func reportFlagSet() (*flag.FlagSet, *reportFlags) {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	f := &reportFlags{
		json:    fs.Bool("json", false, "print one JSON document instead of text"),
		explain: fs.Bool("explain", false, "print each finding's explanation, RFC reference and digest computation"),
		summary: fs.Bool("summary", false, "print how many calls have each finding, and the calls per state, instead of every call"),
		timings: fs.Bool("timings", false, "print on standard error how long loading and the report took"),
		noMedia: fs.Bool("no-media", false, "leave RTP out: no streams and no media findings (the signalling alone)"),
		wav:     fs.String("wav", "", "write each G.711 stream's audio as a WAV file in this directory (created if missing) instead of the report"),
		creds:   addCredFlags(fs),
		keylog:  addKeylogFlag(fs),
		filter:  addFilterFlags(fs),
	}
	return fs, f
}

func runReport(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs, f := reportFlagSet()
	pos, err := parseArgs(fs, args, stdout, stderr)
	if err != nil {
		return flagExit(err, exitUsage)
	}
	asJSON, explain := f.json, f.explain
	cfg, ok := loadConfig(stderr, false)
	if !ok {
		return exitUsage
	}
	candidates, err := loadCreds(f.creds, cfg)
	if err != nil {
		return usageError(stderr, "report", err.Error())
	}
	if len(pos) != 1 {
		return usageError(stderr, "report", "needs exactly one capture file (or - for standard input)")
	}
	keys, err := loadKeylog(*f.keylog, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg:", err)
		return exitUsage
	}
	filter, err := f.filter.filter()
	if err != nil {
		return usageError(stderr, "report", err.Error())
	}
	open := func() (capture.Source, error) { return source.Open(pos[0], stdin) }
	if *f.summary && *explain {
		return usageError(stderr, "report", "--summary and --explain do not go together: --explain is about each call")
	}
	sel := f.filter.selection()
	if *f.summary && !sel.IsZero() {
		return usageError(stderr, "report", "--summary and --problems or --filter do not go together: the summary counts every call's verdict")
	}
	if *f.wav != "" {
		if *asJSON || *explain || *f.summary || !sel.IsZero() || *f.noMedia {
			return usageError(stderr, "report", "--wav writes audio files instead of the report: it goes with no --json, --explain, --summary, --problems, --filter or --no-media")
		}
		if pos[0] == "-" {
			return usageError(stderr, "report", "--wav reads the RTP payloads back from the capture file: it needs a file, not standard input")
		}
	}
	opt := reportOptions{json: *asJSON, explain: *explain, summary: *f.summary, timings: *f.timings, sel: sel, wav: *f.wav,
		analysis: analysis.Options{Credentials: candidates}, load: pipeline.Options{NoMedia: *f.noMedia, Keylog: keys, Filter: filter},
		aliases: cfg.Aliases}
	return runReportOn(pos[0], open, opt, stdout, stderr)
}

// report loads a capture and prints it. A read error after the start (a
// truncated file) is a warning: what was read is reported.
// reportOptions are the report's flags.
type reportOptions struct {
	json, explain, summary, timings bool
	sel                             report.Selection // --problems, --filter: the calls shown
	wav                             string           // the directory of --wav: audio instead of the report
	analysis                        analysis.Options
	load                            pipeline.Options
	aliases                         session.Aliases // the configuration's: the text names endpoints by them
}

func runReportOn(name string, open func() (capture.Source, error), opt reportOptions, stdout, stderr io.Writer) int {
	r, err := open()
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg:", err)
		return exitUsage
	}
	defer r.Close()
	for _, p := range source.Problems(r) {
		fmt.Fprintln(stderr, "sipdbg: "+name+": "+p.String())
	}
	start := time.Now()
	store := session.NewStore()
	store.SetAliases(opt.aliases)
	warn := pipeline.LoadConcurrentWith(r, store, opt.load)
	loaded := time.Now()
	if warn != nil && !errors.Is(warn, capture.ErrTruncated) {
		fmt.Fprintln(stderr, "sipdbg:", warn)
		return exitUsage
	}
	if opt.wav != "" {
		return writeWAVs(name, store, opt.wav, stdout, stderr)
	}
	w := bufio.NewWriterSize(stdout, 64<<10)
	switch {
	case opt.summary && opt.json:
		err = report.SummaryJSON(w, []string{name}, store, opt.analysis)
	case opt.summary:
		err = report.SummaryText(w, store, opt.analysis)
	case !opt.sel.IsZero() && opt.json:
		err = report.JSONCalls(w, []string{name}, store, report.Select(store, opt.analysis, opt.sel), opt.analysis)
	case !opt.sel.IsZero():
		err = report.TextSelected(w, store, opt.analysis, opt.explain, opt.sel)
	case opt.json:
		err = report.JSON(w, []string{name}, store, opt.analysis)
	default:
		err = report.Text(w, store, opt.analysis, opt.explain)
	}
	if err == nil {
		err = w.Flush()
	}
	if opt.timings {
		// The load and the report apart, from one process: what the
		// analysis costs, without the noise of comparing two runs.
		load, rest := loaded.Sub(start), time.Since(loaded)
		fmt.Fprintf(stderr, "sipdbg: timings: load %.3f s, report %.3f s (%.0f%% of the load)\n",
			load.Seconds(), rest.Seconds(), 100*rest.Seconds()/load.Seconds())
	}
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg: writing the report of "+name+":", err)
		return exitFail
	}
	if warn != nil {
		fmt.Fprintln(stderr, "sipdbg: warning:", warn, "(everything before it is reported)")
	}
	return exitOK
}
