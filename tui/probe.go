package tui

import (
	"context"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/probe"
	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/calllist"
	"github.com/sipdbg/sipdbg/tui/flow"
	"github.com/sipdbg/sipdbg/tui/keys"
)

// Prober runs a live test request; cmd supplies one wired to sipgo's
// process-wide tracer. progress receives the exchange so far after each
// message (it does not block), and must not be called once the prober
// has returned; the result is the whole exchange.
type Prober func(ctx context.Context, cfg probe.Config, progress func([]probe.Record)) probe.Result

// WithProber enables the live credential test form (T).
func (m Model) WithProber(p Prober) Model {
	m.prober = p
	return m
}

// WithForm opens the live test form at start, filled from cfg (sipdbg
// probe with no method on a terminal).
func (m Model) WithForm(cfg probe.Config) Model {
	m.form.Fill(cfg)
	m.form.Open()
	m.push(keys.Form)
	return m
}

// layer is what the screens show of one source. The probe's exchange is
// shown over the capture, which goes on loading underneath and comes
// back as it was with esc.
type layer struct {
	name   string
	store  *session.Store
	status loadStatus
	opt    analysis.Options
	list   calllist.Model
	flow   *flow.Model
	banner string
}

// swapLayer exchanges the layer on screen with the one underneath.
func (m *Model) swapLayer() {
	u := m.under
	top := layer{m.name, m.store, m.status, m.opt, m.list, m.flow, m.banner}
	m.name, m.store, m.status, m.opt, m.list, m.flow, m.banner = u.name, u.store, u.status, u.opt, u.list, u.flow, u.banner
	*u = top
}

// Messages of a running probe: the exchange so far, and the end.
type (
	probeProgressMsg struct {
		run  int
		recs []probe.Record
	}
	probeDoneMsg struct {
		run int
		res probe.Result
	}
)

func (m Model) probeKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(msg, m.keys.Back):
		m.pop()
		return m, nil
	case key.Matches(msg, m.keys.Send):
		if m.running {
			return m, nil
		}
		if why := m.form.Check(); why != "" {
			m.form.SetError(why) // in the form, whole: not a status line cut at 80 columns
			return m, nil
		}
		m.pop()
		m.running, m.note, m.probeShown = true, "sending…", true
		m.probeRun++
		cfg, run, id := m.form.Config(), m.prober, m.probeRun
		// The latest snapshot wins: a view that is behind skips to it.
		snaps := make(chan []probe.Record, 1)
		progress := func(recs []probe.Record) {
			for {
				select {
				case snaps <- recs:
					return
				default:
					select {
					case <-snaps:
					default:
					}
				}
			}
		}
		done := func() tea.Msg {
			res := run(context.Background(), cfg, progress)
			close(snaps) // the prober reports nothing after it returns: the waiter ends
			return probeDoneMsg{id, res}
		}
		m.snaps = snaps
		return m, tea.Batch(done, waitProgress(snaps, id))
	}
	cmd := m.form.Update(msg, m.keys)
	return m, cmd
}

func waitProgress(snaps <-chan []probe.Record, id int) tea.Cmd {
	return func() tea.Msg {
		recs, ok := <-snaps
		if !ok {
			return nil // the probe is over
		}
		return probeProgressMsg{id, recs}
	}
}

// onProgress shows the exchange so far, while the probe runs.
func (m Model) onProgress(msg probeProgressMsg) (tea.Model, tea.Cmd) {
	if !m.running || msg.run != m.probeRun {
		return m, nil // a snapshot that came after the end
	}
	if !m.probeShown { // esc took the user back to the capture: keep it there
		return m, waitProgress(m.snaps, msg.run)
	}
	m.showExchange(msg.recs, "probe: sending… ("+plural(len(msg.recs), "message")+")")
	return m, waitProgress(m.snaps, msg.run)
}

// showProbe shows the finished exchange: its calls, its ladder, its
// findings. The form keeps its values (not the passwords) for the next
// try.
func (m Model) showProbe(msg probeDoneMsg) (tea.Model, tea.Cmd) {
	if msg.run != m.probeRun {
		return m, nil
	}
	m.running = false
	res := msg.res
	if !m.probeShown { // the user went back to the capture while it ran
		m.note = "probe: " + res.Outcome + " (" + res.Reason + ") · T and enter to run it again and see it"
		m.form.Open()
		return m, nil
	}
	reason := res.Reason
	if res.MissingRealm != "" {
		reason += " (T, then the 2nd realm and its password, to answer it)"
	}
	m.showExchange(res.Records, "probe: "+res.Outcome)
	m.banner = probeBanner(res.Outcome, reason, len(res.Records))
	m.note = "esc returns to " + m.under.name
	m.form.Open()
	return m, nil
}

// probeBanner is the probe's result as the first line of its screen: the
// outcome and why, where the status line would cut it.
func probeBanner(outcome, reason string, msgs int) string {
	b := "Probe " + outcome + ": " + reason
	if msgs == 0 {
		b += ". Nothing was answered: no message to show."
	}
	return b
}

// showExchange puts recs on screen as their own layer over the capture,
// keeping the ladder's selection when it only grew.
func (m *Model) showExchange(recs []probe.Record, name string) {
	s, err := probe.Store(recs)
	if err != nil {
		s = session.NewStore()
	}
	m.showLayer(s, name, analysis.Options{StopsAfterRejection: true}, true)
}

// showLayer puts a store of its own (a probe's exchange, a pasted trace)
// on screen over the capture: its call list, or the flow of its calls
// (withFlow), keeping the ladder's row when the same layer only grew.
func (m *Model) showLayer(s *session.Store, name string, opt analysis.Options, withFlow bool) {
	if m.under == nil {
		m.under = &layer{}
		m.swapLayer() // the capture goes underneath
	}
	row := -1
	if m.flow != nil {
		row = m.flow.Row
	}
	same := m.name == name || strings.HasPrefix(m.name, "probe: ") && strings.HasPrefix(name, "probe: ")
	m.name, m.store, m.status, m.banner = name, s, loadStatus{done: true}, ""
	m.layerFlow = withFlow
	opt.Survey = analysis.NewSurvey(s)
	m.opt = opt
	m.list.Reset(m.opt)
	m.list.SetHeight(m.height - 3)
	m.list.Refresh(m.store)
	m.flow = nil
	if withFlow {
		m.openFlow(m.store.Calls())
	}
	if m.flow != nil && row >= 0 && same {
		m.flow.Move(m.store, row-m.flow.Row, m.st)
	}
}

// closeExchange returns to the capture underneath.
func (m *Model) closeExchange() {
	m.probeShown = false
	m.swapLayer()
	m.under = nil
	m.note = ""
	m.resize()
	m.list.Refresh(m.store)
}

// bannerStyle draws the banner as what it says: a probe that passed in
// the success style, anything else as an error.
func (m Model) bannerStyle() lipgloss.Style {
	if strings.HasPrefix(m.banner, "Probe "+probe.OutcomeOK+":") {
		return m.st.Success
	}
	return m.st.Error
}
