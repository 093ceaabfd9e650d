package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// recorder keeps the distinct screens seen while the tape is shown, each
// stamped with "shown time": the clock only runs between Show and Hide,
// so a hidden build that takes 30 s leaves no 30 s pause in the GIF.
type recorder struct {
	mu         sync.Mutex
	shown      bool
	before     time.Duration // shown time accumulated before shownSince
	shownSince time.Time
	frames     []capture
}

type capture struct {
	text string
	at   time.Duration
}

func newRecorder() *recorder { return &recorder{} }

func (r *recorder) clock(now time.Time) time.Duration {
	if !r.shown {
		return r.before
	}
	return r.before + now.Sub(r.shownSince)
}

func (r *recorder) show(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.shown {
		r.shown, r.shownSince = true, now
	}
}

func (r *recorder) hide(now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.shown {
		r.before = r.clock(now)
		r.shown = false
	}
}

// add records a capture taken at now if the tape is shown and the screen
// differs from the last one kept.
func (r *recorder) add(now time.Time, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.shown {
		return
	}
	if n := len(r.frames); n > 0 && r.frames[n-1].text == text {
		return
	}
	r.frames = append(r.frames, capture{text: text, at: r.clock(now)})
}

// finish stops the clock and returns the captures and the total shown time.
func (r *recorder) finish(now time.Time) ([]capture, time.Duration) {
	r.hide(now)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.frames, r.before
}

// framesFrom turns captures into frames whose hold lasts until the next
// capture (or the end of the recording).
func framesFrom(caps []capture, end time.Duration, cols, rows int) []Frame {
	out := make([]Frame, 0, len(caps))
	for i, c := range caps {
		next := end
		if i+1 < len(caps) {
			next = caps[i+1].at
		}
		out = append(out, Frame{Screen: ParseScreen(c.text, cols, rows), Hold: max(next-c.at, 0)})
	}
	return out
}

// tmuxSession is a detached tmux session on a private server socket, so
// neither the user's tmux server nor their ~/.tmux.conf is involved, and
// killing it at the end cannot touch anyone else's sessions.
type tmuxSession struct {
	socket string
	name   string
}

func (t *tmuxSession) cmd(ctx context.Context, args ...string) ([]byte, error) {
	full := append([]string{"-L", t.socket, "-f", "/dev/null"}, args...)
	var stderr bytes.Buffer
	c := exec.CommandContext(ctx, "tmux", full...)
	// Run from inside tmux, $TMUX would make the new session a nested one.
	c.Env = withoutEnv(os.Environ(), "TMUX")
	c.Stderr = &stderr
	out, err := c.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return out, fmt.Errorf("tmux %s: %s", args[0], msg)
	}
	return out, nil
}

func withoutEnv(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// alive reports whether the session (and so its shell) still exists.
func (t *tmuxSession) alive() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := t.cmd(ctx, "has-session", "-t", t.name)
	return err == nil
}

// RunOptions is how to run a tape.
type RunOptions struct {
	Cols, Rows int
	Dir        string        // working directory of the shell
	Interval   time.Duration // how often to capture the screen
	Log        func(format string, args ...any)
}

// shellCommand is the command line the session starts. For bash the
// user's profile and rc files are skipped and a plain prompt is set (in
// RunTape's environment), so the recording looks the same on any machine.
func shellCommand(shell string) []string {
	fields := strings.Fields(shell)
	if len(fields) == 1 && (fields[0] == "bash" || strings.HasSuffix(fields[0], "/bash")) {
		return []string{fields[0], "--noprofile", "--norc"}
	}
	return fields
}

// RunTape plays the tape in a fresh tmux session and returns the distinct
// screens seen while shown.
func RunTape(ctx context.Context, t *Tape, opt RunOptions) ([]Frame, error) {
	if _, err := exec.LookPath("tmux"); err != nil {
		return nil, errors.New("tmux not found in PATH (apt-get install tmux)")
	}
	if opt.Interval <= 0 {
		opt.Interval = 100 * time.Millisecond
	}
	logf := opt.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	s := &tmuxSession{socket: fmt.Sprintf("tape2gif-%d-%d", os.Getpid(), time.Now().UnixNano()), name: "tape"}
	args := []string{"new-session", "-d", "-s", s.name,
		"-x", strconv.Itoa(opt.Cols), "-y", strconv.Itoa(opt.Rows),
		// Programs may use 24-bit colour: tmux keeps it and the renderer draws it.
		"-e", "COLORTERM=truecolor",
		// A short, plain prompt, and no history file written by the recording.
		"-e", `PS1=\[\e[1;34m\]>\[\e[0m\] `,
		"-e", "HISTFILE=",
	}
	if opt.Dir != "" {
		args = append(args, "-c", opt.Dir)
	}
	args = append(args, "--")
	args = append(args, shellCommand(t.Shell)...)
	if _, err := s.cmd(ctx, args...); err != nil {
		return nil, err
	}
	// tmux leaves its socket file behind when the server exits; one per
	// run would pile up in /tmp/tmux-UID, so note where it is now.
	// If the shell has already gone, so has the server: guess tmux's
	// default place instead.
	tmpdir := os.Getenv("TMUX_TMPDIR")
	if tmpdir == "" {
		tmpdir = "/tmp"
	}
	socketPath := filepath.Join(tmpdir, fmt.Sprintf("tmux-%d", os.Getuid()), s.socket)
	if out, err := s.cmd(ctx, "display-message", "-p", "#{socket_path}"); err == nil {
		socketPath = strings.TrimSpace(string(out))
	}
	// Kill the private server whatever happens; a fresh context so that a
	// cancelled run still cleans up.
	defer func() {
		kctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = s.cmd(kctx, "kill-server")
		if filepath.Base(socketPath) == s.socket {
			_ = os.Remove(socketPath)
		}
	}()
	// No status line, so the pane is the whole cols×rows window.
	setup := func() error {
		if _, err := s.cmd(ctx, "set-option", "-g", "status", "off"); err != nil {
			return err
		}
		out, err := s.cmd(ctx, "display-message", "-p", "-t", s.name, "#{pane_width}x#{pane_height}")
		if err != nil {
			return err
		}
		if got, want := strings.TrimSpace(string(out)), fmt.Sprintf("%dx%d", opt.Cols, opt.Rows); got != want {
			return fmt.Errorf("tmux pane is %s, wanted %s", got, want)
		}
		return nil
	}
	if err := setup(); err != nil {
		if ctx.Err() == nil && !s.alive() {
			return nil, fmt.Errorf("the shell %q exited as soon as it started", t.Shell)
		}
		return nil, err
	}

	rec := newRecorder()
	grab := func() error {
		out, err := s.cmd(ctx, "capture-pane", "-p", "-e", "-t", s.name)
		if err != nil {
			return err
		}
		rec.add(time.Now(), string(out))
		return nil
	}

	// Capture in the background while the tape plays. The loop ends when
	// the tape is done or the session is gone (the shell exited).
	done := make(chan struct{})
	var wg sync.WaitGroup
	var captureErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(opt.Interval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-tick.C:
				if err := grab(); err != nil {
					captureErr = err
					return
				}
			}
		}
	}()

	// Recording starts shown, as in VHS; a leading Hide turns it off
	// before anything is captured.
	start := time.Now()
	if len(t.Actions) == 0 || t.Actions[0].Kind != ActHide {
		rec.show(start)
		_ = grab()
	}
	runErr := play(ctx, s, t, rec, grab, logf)
	_ = grab()
	close(done)
	wg.Wait()
	caps, end := rec.finish(time.Now())
	if runErr != nil {
		return nil, runErr
	}
	if len(caps) == 0 && captureErr != nil {
		return nil, fmt.Errorf("capturing the screen: %w", captureErr)
	}
	return framesFrom(caps, end, opt.Cols, opt.Rows), nil
}

func play(ctx context.Context, s *tmuxSession, t *Tape, rec *recorder, grab func() error, logf func(string, ...any)) error {
	sleep := func(d time.Duration) error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(d):
			return nil
		}
	}
	for _, a := range t.Actions {
		speed := a.Speed
		if speed == 0 {
			speed = t.TypingSpeed
		}
		var err error
		switch a.Kind {
		case ActHide:
			_ = grab() // the last shown state, up to the moment of hiding
			rec.hide(time.Now())
		case ActShow:
			rec.show(time.Now())
			_ = grab()
		case ActSleep:
			err = sleep(a.Duration)
		case ActType:
			logf("line %d: type %q", a.Line, a.Text)
			for _, ch := range a.Text {
				if _, err = s.cmd(ctx, "send-keys", "-t", s.name, "-l", "--", literalKey(ch)); err != nil {
					break
				}
				if err = sleep(speed); err != nil {
					break
				}
			}
		case ActKey:
			logf("line %d: key %s ×%d", a.Line, a.Key, a.Count)
			for i := 0; i < a.Count; i++ {
				if _, err = s.cmd(ctx, "send-keys", "-t", s.name, a.Key); err != nil {
					break
				}
				if err = sleep(speed); err != nil {
					break
				}
			}
		}
		if err != nil {
			if ctx.Err() == nil && !s.alive() {
				return fmt.Errorf("tape line %d: the shell has exited, nothing left to type into", a.Line)
			}
			return fmt.Errorf("tape line %d: %w", a.Line, err)
		}
	}
	return nil
}

// literalKey is the send-keys argument for one typed character. tmux
// reads a lone ";" argument as a command separator, so that one is
// escaped; every other character goes through -l unchanged.
func literalKey(ch rune) string {
	if ch == ';' {
		return `\;`
	}
	return string(ch)
}
