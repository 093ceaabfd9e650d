package tui

import (
	"context"

	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/probe"
	"github.com/sipdbg/sipdbg/session"
)

// Prober runs a live test request; cmd supplies one wired to sipgo's
// process-wide tracer.
type Prober func(context.Context, probe.Config) probe.Result

// WithProber enables the live credential test form (T).
func (m Model) WithProber(p Prober) Model {
	m.prober = p
	return m
}

// probeDoneMsg carries a finished probe's result.
type probeDoneMsg struct{ res probe.Result }

func (m Model) probeKey(msg tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch msg.String() {
	case "esc":
		m.probing = false
		return m, nil
	case "enter":
		if m.running {
			return m, nil
		}
		if why := m.form.Check(); why != "" {
			m.note = why
			return m, nil
		}
		m.running, m.note = true, "sending…"
		cfg, run := m.form.Config(), m.prober
		return m, func() tea.Msg { return probeDoneMsg{run(context.Background(), cfg)} }
	}
	cmd := m.form.Update(msg)
	return m, cmd
}

// showProbe opens the exchange like a capture: its calls, its ladder,
// its findings. The form keeps its values (not the passwords) for the
// next try.
func (m Model) showProbe(res probe.Result) (tea.Model, tea.Cmd) {
	m.running, m.probing = false, false
	s, err := probe.Store(res.Records)
	if err != nil {
		s = session.NewStore()
	}
	m.gen++ // batches of the source shown before are dropped from now on
	m.name = "probe: " + res.Outcome + " (" + res.Reason + ")"
	m.note = m.name
	m.store, m.status = s, loadStatus{done: true}
	m.opt = analysis.Options{StopsAfterRejection: true}
	m.list.Reset(m.opt)
	m.list.SetHeight(m.height - 3)
	m.list.Refresh(m.store)
	m.flow = nil
	m.openFlow(m.store.Calls())
	m.form.Open()
	m.probing = false
	return m, nil
}
