// Package tui is the interactive interface: a root model that dispatches
// to one package per component (calllist, flow with ladder, msgview and
// authview). The capture view (its list, or a call's flow) is the base;
// the help, the filter prompt, the paste screen, the live test form and
// the save dialog open over it on a stack of screens (help.go), and the
// screen on top takes the keys its key map declares (tui/keys). A probe's
// exchange or a pasted trace is a capture view of its own over the
// capture, which esc brings back. The capture loads in the background;
// batches arrive as messages and are applied in Update.
//
// It imports probe, report, analysis, session, pipeline and
// capture/source; never cmd or a test kit.
package tui

import (
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/probe"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/calllist"
	"github.com/sipdbg/sipdbg/tui/flow"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/probeform"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// Model is the root model.
type Model struct {
	name   string
	store  *session.Store
	opt    analysis.Options
	st     styles.Styles
	keys   keys.Map
	help   help.Model
	src    <-chan pipeline.Batch
	gen    int
	status loadStatus

	list   calllist.Model
	flow   *flow.Model // nil on the call list
	filter textinput.Model
	// stack holds the screens open over the capture view, the top last:
	// the help, the filter prompt, the paste screen, the live test form,
	// the save dialog. The top one takes the keys and the screen; an empty
	// stack is the call list, or the flow when one is open.
	stack      []keys.Screen
	helpOf     keys.Screen // the screen the help is about
	helpTop    int         // the help's first line shown
	note       string      // one-line message for the status bar
	saveDir    string      // where a file name without a directory is saved
	save       *saveDialog // the save dialog, nil when closed
	now        func() time.Time
	follow     bool   // keep the newest call selected as calls arrive
	paused     bool   // the list is frozen; batches still go into the store
	stepping   bool   // a filterStepMsg is on its way
	paste      string // what was pasted so far, as it arrived
	pasteText  string // the same as LF-ended text (pastedText)
	prober     Prober
	form       probeform.Model
	running    bool        // a probe is on its way
	mouse      bool        // wheel scrolling on (off by default, so that text can be selected)
	live       *liveStatus // nil unless the source is live
	under      *layer      // the capture under a probe's exchange; nil when none is shown
	probeRun   int         // the latest probe started, so that stale messages are dropped
	probeShown bool        // the running probe's exchange is wanted on screen (esc says no)
	banner     string      // a result to read above the screen (a probe's outcome and why)
	layerFlow  bool        // the layer on top opened on its flow: esc from it goes back to the capture
	snaps      <-chan []probe.Record

	width, height int
}

type loadStatus struct {
	read, size int64
	drops      uint64
	refused    uint64 // HEP packets turned away for their password
	live       bool
	done       bool
	err        error
}

// New returns the model for capture name, fed by src.
func New(name string, src <-chan pipeline.Batch, gen int, opt analysis.Options) Model {
	ti := textinput.New()
	ti.Prompt = "/"
	m := Model{name: name, store: session.NewStore(), opt: opt, st: styles.Default(), keys: keys.Default(), form: probeform.New(),
		help: help.New(), src: src, gen: gen, filter: ti, width: 80, height: 24, saveDir: ".", now: time.Now}
	m.list.Opt = opt
	m.help.Styles = helpStyles(m.st)
	return m
}

// batchesMsg carries every batch that was ready when it was read.
type batchesMsg struct {
	gen     int
	batches []pipeline.Batch
	closed  bool
}

// maxDrain bounds how many ready batches one message takes, so that a
// fast source still lets the screen redraw.
const maxDrain = 64

// wait returns a command that blocks for the next batch and then takes
// every batch already waiting: one Update per burst, never per packet.
func wait(src <-chan pipeline.Batch, gen int) tea.Cmd {
	return func() tea.Msg {
		b, ok := <-src
		if !ok {
			return batchesMsg{gen: gen, closed: true}
		}
		msg := batchesMsg{gen: gen, batches: []pipeline.Batch{b}}
		for len(msg.batches) < maxDrain {
			select {
			case b, ok := <-src:
				if !ok {
					msg.closed = true
					return msg
				}
				msg.batches = append(msg.batches, b)
			default:
				return msg
			}
		}
		return msg
	}
}

// Init starts reading batches.
func (m Model) Init() tea.Cmd {
	if m.live != nil {
		return tea.Batch(wait(m.src, m.gen), tick())
	}
	return wait(m.src, m.gen)
}

// Update dispatches messages.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
	case batchesMsg:
		return m.applyBatches(msg)
	case tea.KeyPressMsg:
		return m.key(msg)
	case tea.MouseWheelMsg:
		d := 3
		if msg.Button == tea.MouseWheelUp {
			d = -3
		}
		if m.flow != nil {
			m.flow.Move(m.store, d, m.st)
		} else {
			m.list.Move(d)
		}
	case tea.MouseClickMsg:
		return m.click(msg)
	case tea.PasteMsg:
		if m.showing(keys.Paste) {
			m.addPaste(msg.Content)
		}
	case tickMsg:
		if m.live != nil {
			return m.onTick(time.Time(msg))
		}
	case savedMsg:
		return m.saved(msg)
	case probeDoneMsg:
		return m.showProbe(msg)
	case probeProgressMsg:
		return m.onProgress(msg)
	case filterStepMsg:
		m.stepping = false
		m.list.Step(m.store, calllist.NextStep)
		next := m.armFilter()
		return m, next
	}
	return m, nil
}

func (m *Model) resize() {
	m.list.SetHeight(m.height - 3)
	if m.flow != nil {
		m.flow.SetSize(m.width, m.height-2)
	}
	m.help.SetWidth(m.width)
}

func (m Model) applyBatches(msg batchesMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil // from a source that was replaced
	}
	// Under a probe's exchange the capture goes on loading, out of sight.
	over := m.under != nil
	if over {
		m.swapLayer()
	}
	for i := range msg.batches {
		b := &msg.batches[i]
		b.Apply(m.store)
		m.status.read, m.status.size = b.Read, b.Size
		m.status.drops, m.status.live, m.status.refused = b.Drops, b.CountsDrops, b.Refused
		if b.Done {
			m.status.done, m.status.err = true, b.Err
		}
	}
	if msg.closed {
		m.status.done = true
	}
	m.trim()
	if !m.paused {
		m.list.Refresh(m.store)
		if m.follow {
			m.list.Move(m.list.Len())
		}
		if m.flow != nil {
			m.flow.Refresh(m.store, m.st)
		}
	}
	done := m.status.done
	if done && m.opt.Survey == nil {
		// The capture is whole: what it says of each source (scanners,
		// password guessing) can be read once, and every call judged
		// with it, as the report does.
		m.opt.Survey = analysis.NewSurvey(m.store)
		m.list.SetOptions(m.opt)
		if m.flow != nil {
			m.flow.SetOptions(m.store, m.opt)
		}
	}
	var next tea.Cmd
	if over {
		m.swapLayer()
	} else {
		next = m.armFilter()
	}
	if done {
		return m, next
	}
	return m, tea.Batch(wait(m.src, m.gen), next)
}

// filterStepMsg asks for the next slice of a filter scan: it travels
// through the event loop so that keys and batches are served in between.
type filterStepMsg struct{}

// armFilter schedules a filter step when calls remain to be examined.
func (m *Model) armFilter() tea.Cmd {
	if m.stepping || !m.list.Pending(m.store) {
		return nil
	}
	m.stepping = true
	return func() tea.Msg { return filterStepMsg{} }
}
