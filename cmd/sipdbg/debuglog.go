package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/probe"
	"github.com/sipdbg/sipdbg/tui"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// debugEnv names the file the interface's debug log is appended to, for
// bug reports: SIPDBG_DEBUG=sipdbg.log sipdbg capture.pcap.
const debugEnv = "SIPDBG_DEBUG"

// debugLog is the debug log of one interactive session: its key events
// (start, source, load counts, screens, live tests and their outcome),
// never a password, a digest or a message: each method chooses the
// fields it writes, and none takes a probe.Config's credentials. A nil
// *debugLog logs nothing.
type debugLog struct {
	l *log.Logger
	f *os.File
}

// openDebugLog opens the file $SIPDBG_DEBUG names (owner-only, appended),
// nil when it is not set. Its logger is its own (tea.LogToFileWith), not
// the standard one: slog's default handler writes through that, and
// sipgo falls back to slog's default; nothing else may reach the file.
func openDebugLog(stderr io.Writer) *debugLog {
	path := os.Getenv(debugEnv)
	if path == "" {
		return nil
	}
	l := log.New(io.Discard, "", log.LstdFlags|log.Lmicroseconds)
	f, err := tea.LogToFileWith(path, "sipdbg", l)
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg: "+debugEnv+":", err) // the interface goes on without it
		return nil
	}
	d := &debugLog{l: l, f: f}
	d.printf("start: sipdbg %s, pid %d, TERM=%q", version(), os.Getpid(), os.Getenv("TERM"))
	return d
}

func (d *debugLog) printf(format string, args ...any) {
	if d != nil {
		d.l.Printf(format, args...)
	}
}

// close ends the log with the session's exit status.
func (d *debugLog) close(code int, err error) {
	if d == nil {
		return
	}
	if err != nil {
		d.printf("end: exit %d: %v", code, err)
	} else {
		d.printf("end: exit %d", code)
	}
	d.f.Close()
}

// source logs the source opened; budget is a live source's memory budget
// (0: none), -1 for a file.
func (d *debugLog) source(name, kind string, budget int64) {
	if budget >= 0 {
		d.printf("source opened: %s %q, memory budget %d bytes", kind, name, budget)
		return
	}
	d.printf("source opened: %s %q", kind, name)
}

// stream passes src's batches on, and logs the counts when it ends.
func (d *debugLog) stream(src <-chan pipeline.Batch) <-chan pipeline.Batch {
	if d == nil {
		return src
	}
	out := make(chan pipeline.Batch)
	go func() {
		defer close(out)
		start := time.Now()
		var batches, msgs, bad, rtp, rtcp int
		var last pipeline.Batch
		for b := range src {
			batches++
			msgs, bad, rtp, rtcp = msgs+len(b.Messages), bad+len(b.Undecodable), rtp+len(b.RTP), rtcp+len(b.RTCP)
			if b.Err != nil {
				d.printf("load: error: %v", b.Err)
			}
			last = b
			out <- b
		}
		d.printf("load done in %v: %d batches, %d SIP messages, %d undecodable, %d RTP, %d RTCP; %d frames, %d bytes read, %d dropped",
			time.Since(start).Round(time.Millisecond), batches, msgs, bad, rtp, rtcp, last.Stats.Frames, last.Read, last.Drops)
	}()
	return out
}

// prober wraps p with a log of each live test's start and end. Only the
// request's shape is written: the credentials' count, never their user's
// password or HA1, and no message of the exchange.
func (d *debugLog) prober(p tui.Prober) tui.Prober {
	if d == nil {
		return p
	}
	return func(ctx context.Context, cfg probe.Config, progress func([]probe.Record)) probe.Result {
		d.printf("probe started: %s %s, server %q, transport %q, %d credential(s), timeout %v",
			cfg.Method, cfg.Target, cfg.Server, cfg.Transport, len(cfg.Credentials), cfg.Timeout)
		start := time.Now()
		res := p(ctx, cfg, progress)
		d.printf("probe ended in %v: %s (final %d), %d message(s), server %s %s",
			time.Since(start).Round(time.Millisecond), res.Outcome, res.Final, len(res.Records), res.Server.Transport, res.Server.Address)
		return res
	}
}

// debugModel is the interface with its screen changes logged.
type debugModel struct {
	tui.Model
	log    *debugLog
	screen keys.Screen
}

// withDebug wraps m when there is a log; the model is unchanged otherwise.
func withDebug(m tui.Model, d *debugLog) tea.Model {
	if d == nil {
		return m
	}
	d.printf("screen: %v", m.Screen())
	return debugModel{Model: m, log: d, screen: m.Screen()}
}

func (m debugModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.Model.Update(msg)
	if tm, ok := next.(tui.Model); ok {
		m.Model = tm
	}
	if s := m.Model.Screen(); s != m.screen {
		m.log.printf("screen: %v → %v", m.screen, s)
		m.screen = s
	}
	if title, status, took, ok := tui.CommandEnded(msg); ok { // never its output: it may hold what the packets said
		m.log.printf("command %q: %s in %v", title, status, took.Round(time.Millisecond))
	}
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		m.log.printf("window: %d×%d", ws.Width, ws.Height)
	}
	return m, cmd
}
