// Package tui is the interactive interface: a stack of screens
// (screen.go) with one package per component (calllist, flow with
// ladder, msgview and authview). The capture view (its list, or a call's
// flow) is the bottom; a probe's exchange or a pasted trace is a capture
// view of its own over it, which esc pops; the help, the filter prompt,
// the paste screen, the live test form and the save dialog are pushed
// over a capture view. The screen on top takes the keys its key map
// declares (tui/keys); the root model only routes. The capture loads in
// the background; batches arrive as messages and are applied in Update
// to the capture at the bottom, whatever is shown over it.
//
// It imports probe, report, analysis, session, pipeline and
// capture/source; never cmd or a test kit.
package tui

import (
	"time"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/calllist"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/probeform"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// Model is the root model: the stack of screens (screen.go) and what the
// screens share (the key map, the styles, the size, the status note, the
// live test form and the probe on its way).
type Model struct {
	stack   []screen     // the capture being read at the bottom; the screen on show on top
	cv      *captureView // the top capture view of the stack: what the status line and the overlays are about
	viewIDs int          // the ids given to capture views
	keys    keys.Map
	st      styles.Styles
	help    help.Model
	src     <-chan pipeline.Batch
	gen     int

	note     string // one-line message for the status bar
	saveDir  string // where a file name without a directory is saved
	now      func() time.Time
	follow   bool // keep the newest call selected as calls arrive
	paused   bool // the list is frozen; batches still go into the store
	stepping bool // a filterStepMsg is on its way
	mouse    bool // wheel scrolling on (off by default, so that text can be selected)
	prober   Prober
	form     probeform.Model // the live test form: it keeps its values between openings
	probe    *probeRun       // the probe on its way; nil when none is
	probeIDs int             // the ids given to probes, so that a finished one's late messages are dropped
	live     *liveStatus     // nil unless the source is live
	aliases  session.Aliases // the configuration's: every store shown gets them (setStore)
	cmds     commandState    // the configuration's commands and those running (command.go)

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
	m := Model{st: styles.Default(), keys: keys.Default(), form: probeform.New(),
		help: help.New(), src: src, gen: gen, width: 80, height: 24, saveDir: ".", now: time.Now}
	m.viewIDs++
	base := &captureView{id: m.viewIDs, name: name, store: session.NewStore(), opt: opt}
	base.list.Opt = opt
	m.stack = []screen{base}
	m.sync()
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

// Update routes messages: keys to the screen on top, batches to the
// capture being read, a probe's progress to its view.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.own()
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.resize()
	case batchesMsg:
		return m.applyBatches(msg)
	case tea.KeyPressMsg:
		m.note = ""
		if msg.String() == "ctrl+c" {
			return m, tea.Quit
		}
		cmd := m.top().key(&m, msg)
		return m, cmd
	case tea.MouseWheelMsg:
		d := 3
		if msg.Button == tea.MouseWheelUp {
			d = -3
		}
		if m.cv.flow != nil {
			m.cv.flow.Move(m.cv.store, d, m.st)
		} else {
			m.cv.list.Move(d)
		}
	case tea.MouseClickMsg:
		return m.click(msg)
	case tea.PasteMsg:
		if p, ok := m.top().(*pasteScreen); ok {
			p.add(&m, msg.Content)
		}
	case tickMsg:
		if m.live != nil {
			return m.onTick(time.Time(msg))
		}
	case savedMsg:
		return m.saved(msg)
	case wavSavedMsg:
		return m.wavSaved(msg)
	case commandReadyMsg:
		return m.commandReady(msg)
	case commandDoneMsg:
		return m.commandDone(msg)
	case probeDoneMsg:
		return m.showProbe(msg)
	case probeProgressMsg:
		return m.onProgress(msg)
	case filterStepMsg:
		m.stepping = false
		m.cv.list.Step(m.cv.store, calllist.NextStep)
		next := m.armFilter()
		return m, next
	}
	return m, nil
}

func (m *Model) resize() {
	for _, s := range m.stack {
		if v, ok := s.(*captureView); ok {
			v.list.SetHeight(m.height - 3)
			if v.flow != nil {
				v.flow.SetSize(m.width, m.height-2)
			}
		}
	}
	m.help.SetWidth(m.width)
}

// applyBatches adds what the source read to the capture at the bottom of
// the stack, whatever is shown over it.
func (m Model) applyBatches(msg batchesMsg) (tea.Model, tea.Cmd) {
	if msg.gen != m.gen {
		return m, nil // from a source that was replaced
	}
	v := m.base()
	for i := range msg.batches {
		b := &msg.batches[i]
		b.Apply(v.store)
		v.status.read, v.status.size = b.Read, b.Size
		v.status.drops, v.status.live, v.status.refused = b.Drops, b.CountsDrops, b.Refused
		if b.Done {
			v.status.done, v.status.err = true, b.Err
		}
	}
	if msg.closed {
		v.status.done = true
	}
	m.trim()
	if !m.paused {
		v.list.Refresh(v.store)
		if m.follow {
			v.list.Move(v.list.Len())
		}
		if v.flow != nil {
			v.flow.Refresh(v.store, m.st)
		}
	}
	done := v.status.done
	if done && v.opt.Survey == nil {
		// The capture is whole: what it says of each source (scanners,
		// password guessing) can be read once, and every call judged
		// with it, as the report does.
		v.opt.Survey = analysis.NewSurvey(v.store)
		v.list.SetOptions(v.opt)
		if v.list.Problems {
			v.list.SetFilter(v.store, v.list.Filter) // judged anew, on whole calls
		}
		if v.flow != nil {
			v.flow.SetOptions(v.store, v.opt)
		}
	}
	next := m.armFilter()
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
	if m.stepping || !m.cv.list.Pending(m.cv.store) {
		return nil
	}
	m.stepping = true
	return func() tea.Msg { return filterStepMsg{} }
}
