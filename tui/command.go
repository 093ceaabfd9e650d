package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/report/export"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/config"
)

// The configuration's commands ([[commands]]): a key on the call list or
// in a flow runs a shell command with the selected calls' Call-IDs, the
// capture file or a pcap of the calls in its placeholders, each value
// single-quoted (config.Quote): a Call-ID comes from the network. It
// runs in a Cmd, away from Update, standard input /dev/null and its
// output kept (the last outputKeep bytes); the status line says it runs,
// and a result screen (commandview.go) shows the command line, its exit
// status and the end of its output. An interactive command runs on the
// terminal instead (tea.ExecProcess), the interface suspended.

// outputKeep is how much of a command's output is kept: its end, where a
// failure says why.
const outputKeep = 8 << 10

// commandState is what the model knows of the commands.
type commandState struct {
	list    []config.Command // by index of keys.Map.Commands
	shared  *commandShared
	running []runningCommand // copied on change: a Model is a value
	ids     int
	dropEnv []string // environment variables the commands do not get (the passwords' own)
}

type runningCommand struct {
	id    int
	title string
}

// commandShared is shared by every copy of the model: the temporary
// directory of the {pcap} files, made on first use, owner-only, and the
// context that ends the commands still running when sipdbg exits (their
// pcap goes with the directory).
type commandShared struct {
	mu     sync.Mutex
	dir    string
	ctx    context.Context
	cancel context.CancelFunc
}

func newCommandShared() *commandShared {
	ctx, cancel := context.WithCancel(context.Background())
	return &commandShared{ctx: ctx, cancel: cancel}
}

// tempFile creates an owner-only file in the run's directory.
func (s *commandShared) tempFile(pattern string) (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir == "" {
		dir, err := os.MkdirTemp("", "sipdbg-cmd-") // mode 0700
		if err != nil {
			return nil, err
		}
		s.dir = dir
	}
	return os.CreateTemp(s.dir, pattern) // mode 0600
}

// close ends the commands still running and removes the directory.
func (s *commandShared) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cancel()
	if s.dir == "" {
		return nil
	}
	err := os.RemoveAll(s.dir)
	s.dir = ""
	return err
}

// WithCommands gives the model the configuration's commands (WithConfig
// does; their keys are in its key map).
func (m Model) WithCommands(cmds []config.Command) Model {
	m.cmds.list = slices.Clone(cmds)
	if m.cmds.shared == nil {
		m.cmds.shared = newCommandShared()
	}
	return m
}

// WithoutEnv runs the commands without the environment variables named
// (those --password-env and --hep-password-env read): a command gets no
// credentials.
func (m Model) WithoutEnv(names ...string) Model {
	m.cmds.dropEnv = slices.Clone(names)
	return m
}

// Close ends the commands still running and removes their temporary
// files: the command calls it when the interface has ended.
func (m Model) Close() error {
	if m.cmds.shared == nil {
		return nil
	}
	return m.cmds.shared.close()
}

// commandKey runs the command bound to msg's key, if one is.
func (m *Model) commandKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	for i, b := range m.keys.Commands {
		if key.Matches(msg, b) && i < len(m.cmds.list) {
			return m.startCommand(m.cmds.list[i]), true
		}
	}
	return nil, false
}

// commandCalls are the calls a command is about: the flow's, or the
// list's marked calls, else the one under the cursor.
func (m *Model) commandCalls() []*session.Call {
	v := m.cv
	if v.flow != nil {
		return v.flow.Calls
	}
	if marked := v.list.Marked(v.store); len(marked) > 0 {
		return marked
	}
	if c := v.list.Selected(v.store); c != nil {
		return []*session.Call{c}
	}
	return nil
}

// commandRun is one run of a command, from the key to its result.
type commandRun struct {
	id      int
	cmd     config.Command
	values  map[string][]string
	pcap    func(*os.File) error // writes {pcap}; nil when the command has none
	shared  *commandShared
	dropEnv []string
}

// commandReadyMsg says an interactive command's line is ready to run on
// the terminal.
type commandReadyMsg struct {
	run  *commandRun
	line string
}

// commandDoneMsg is a command's result.
type commandDoneMsg struct {
	id      int
	title   string
	line    string // after substitution; "" when it did not run
	status  string // "exit 0", "exit 3", "killed by signal (terminated)", "not run: …"
	ok      bool
	output  string // its end (the last outputKeep bytes)
	dropped int64  // bytes of output before those kept
	took    time.Duration
	onTerm  bool // run on the terminal (interactive): its output was not kept
}

// startCommand takes the values of c's placeholders from the screen and
// returns the Cmd that runs it.
func (m *Model) startCommand(c config.Command) tea.Cmd {
	m.cmds.ids++
	r := &commandRun{id: m.cmds.ids, cmd: c, values: map[string][]string{}, shared: m.cmds.shared, dropEnv: m.cmds.dropEnv}
	calls := m.commandCalls()
	refuse := func(why string) tea.Cmd {
		msg := commandDoneMsg{id: r.id, title: c.Title, status: "not run: " + why}
		return func() tea.Msg { return msg }
	}
	if r.shared == nil {
		return refuse("the commands are not set up")
	}
	if (c.Uses("callid") || c.Uses("pcap")) && len(calls) == 0 {
		return refuse("there is no call selected")
	}
	if c.Uses("file") {
		if m.cv.file == "" {
			return refuse("{file}: these calls come from no file that can be read again (a live capture, standard input, a paste or the built-in demo)")
		}
		r.values["file"] = []string{m.cv.file}
	}
	for _, call := range calls {
		r.values["callid"] = append(r.values["callid"], call.CallID)
	}
	for name, vs := range r.values {
		for _, v := range vs {
			if strings.IndexByte(v, 0) >= 0 {
				return refuse("{" + name + "} holds a NUL byte, which no shell argument can")
			}
		}
	}
	if c.Uses("pcap") {
		var idx []int32
		for _, call := range calls {
			idx = append(idx, call.Msgs...)
		}
		msgs := export.FromStore(m.cv.store, sortedCopy(idx))
		file, streams := m.cv.file, snapshot(callStreams(m.cv.store, calls))
		r.pcap = func(f *os.File) error { return writePcap(f, msgs, file, streams) }
	}
	m.cmds.running = append(slices.Clip(m.cmds.running), runningCommand{r.id, c.Title})
	return r.prepare
}

// prepare writes the {pcap} file and substitutes the values; a command
// that is not interactive runs here too.
func (r *commandRun) prepare() tea.Msg {
	if r.pcap != nil {
		f, err := r.shared.tempFile("calls-*.pcap")
		if err != nil {
			return r.done("", "not run: {pcap}: "+err.Error(), false)
		}
		err = r.pcap(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return r.done("", "not run: {pcap}: "+err.Error(), false)
		}
		r.values["pcap"] = []string{f.Name()}
	}
	line := r.cmd.Expand(r.values)
	if r.cmd.Interactive {
		return commandReadyMsg{r, line}
	}
	start := time.Now()
	var out tailBuffer
	cmd := r.shell(line)
	cmd.Stdout, cmd.Stderr = &out, &out // stdin nil: /dev/null
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	// A command that leaves a process behind (xdg-open, cmd &) holding
	// its output open is done when the shell is, give or take this.
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	msg := r.done(line, "", false)
	msg.status, msg.ok = exitStatus(cmd, err)
	msg.output, msg.dropped, msg.took = out.String(), out.dropped, time.Since(start)
	return msg
}

// shell is the exec.Cmd of /bin/sh -c line, in the run's context, without
// the dropped environment variables.
func (r *commandRun) shell(line string) *exec.Cmd {
	cmd := exec.CommandContext(r.shared.ctx, "/bin/sh", "-c", line)
	cmd.Env = slices.DeleteFunc(os.Environ(), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains(r.dropEnv, name)
	})
	return cmd
}

func (r *commandRun) done(line, status string, ok bool) commandDoneMsg {
	return commandDoneMsg{id: r.id, title: r.cmd.Title, line: line, status: status, ok: ok}
}

// exitStatus says how a command ended: "exit N", "killed by signal (…)",
// "not run: …" when the shell could not start.
func exitStatus(cmd *exec.Cmd, err error) (string, bool) {
	ps := cmd.ProcessState
	if ps == nil {
		return "not run: " + err.Error(), false
	}
	var status string
	switch code := ps.ExitCode(); code {
	case -1:
		return "killed by signal (" + strings.TrimPrefix(ps.String(), "signal: ") + ")", false
	case 126:
		status = "exit 126: not executable (the shell could not run it)"
	case 127:
		status = "exit 127: not found (the shell found no such command)"
	default:
		status = fmt.Sprintf("exit %d", code)
	}
	if errors.Is(err, exec.ErrWaitDelay) {
		status += " (a process it left behind still had its output open)"
	}
	return status, ps.Success()
}

// commandReady runs an interactive command on the terminal.
func (m Model) commandReady(msg commandReadyMsg) (tea.Model, tea.Cmd) {
	r, line := msg.run, msg.line
	cmd := r.shell(line) // stdin, stdout and stderr: the terminal (tea.ExecProcess)
	start := time.Now()
	return m, tea.ExecProcess(cmd, func(err error) tea.Msg {
		done := r.done(line, "", false)
		done.status, done.ok = exitStatus(cmd, err)
		done.took, done.onTerm = time.Since(start), true
		return done
	})
}

// commandDone shows a command's result: on a result screen over the
// capture view or another result, else (a dialog or form is open, whose
// typing a screen must not take over) on the status line.
func (m Model) commandDone(msg commandDoneMsg) (tea.Model, tea.Cmd) {
	m.cmds.running = slices.DeleteFunc(slices.Clone(m.cmds.running), func(r runningCommand) bool { return r.id == msg.id })
	switch m.top().(type) {
	case *captureView, *commandScreen, *helpScreen:
		m.push(&commandScreen{res: msg})
	default:
		m.note = msg.title + ": " + msg.status
	}
	return m, nil
}

// runningNote is what the status line says of the commands running.
func (m Model) runningNote() string {
	if len(m.cmds.running) == 0 {
		return ""
	}
	var titles []string
	for _, r := range m.cmds.running {
		titles = append(titles, r.title)
	}
	return "running: " + strings.Join(titles, ", ")
}

// CommandEnded reports a command's end for the debug log: its title and
// exit status, never its output or its command line (which hold what
// the packets said).
func CommandEnded(msg tea.Msg) (title, status string, took time.Duration, ok bool) {
	d, ok := msg.(commandDoneMsg)
	return d.title, d.status, d.took, ok
}

// tailBuffer keeps the last outputKeep bytes written to it.
type tailBuffer struct {
	b       []byte
	dropped int64
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	t.b = append(t.b, p...)
	if over := len(t.b) - outputKeep; over > 0 {
		t.dropped += int64(over)
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return n, nil
}

func (t *tailBuffer) String() string { return string(t.b) }
