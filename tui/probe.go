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
	m.push(formScreen{})
	return m
}

// probeRun is a probe on its way. Its exchange is a capture view pushed
// over the capture when it is sent; esc pops it, and the probe goes on
// out of sight: its result is then said in the status line.
type probeRun struct {
	id    int
	view  int // the id of its capture view
	snaps <-chan []probe.Record
}

// formScreen is the live test form (the form itself is Model.form: it
// keeps its values between openings).
type formScreen struct{}

func (formScreen) clone() screen                             { return formScreen{} }
func (formScreen) kind() keys.Screen                         { return keys.Form }
func (formScreen) view(m *Model, w, _ int) string            { return m.form.View(w, m.st) }
func (formScreen) key(m *Model, msg tea.KeyPressMsg) tea.Cmd { return m.formKey(msg) }

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

func (m *Model) formKey(msg tea.KeyPressMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		m.pop()
		return nil
	case key.Matches(msg, m.keys.Send):
		if m.probe != nil {
			return nil
		}
		if why := m.form.Check(); why != "" {
			m.form.SetError(why) // in the form, whole: not a status line cut at 80 columns
			return nil
		}
		m.pop()
		cfg, run := m.form.Config(), m.prober
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
		id := m.beginProbe(snaps)
		done := func() tea.Msg {
			res := run(context.Background(), cfg, progress)
			close(snaps) // the prober reports nothing after it returns: the waiter ends
			return probeDoneMsg{id, res}
		}
		return tea.Batch(done, waitProgress(snaps, id))
	}
	return m.form.Update(msg, m.keys)
}

// beginProbe records a probe on its way, whose exchange arrives on
// snaps, and pushes the view that shows it as it happens. It returns the
// probe's id.
func (m *Model) beginProbe(snaps <-chan []probe.Record) int {
	m.note = "sending…"
	m.probeIDs++
	v := m.newView(session.NewStore(), "probe: sending…", analysis.Options{StopsAfterRejection: true})
	v.empty = "Sending the test request… (esc returns to " + m.cv.name + "; the probe goes on)"
	m.push(v)
	m.probe = &probeRun{id: m.probeIDs, view: v.id, snaps: snaps}
	return m.probeIDs
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
	if m.probe == nil || msg.run != m.probe.id {
		return m, nil // a snapshot that came after the end
	}
	if v := m.viewByID(m.probe.view); v != nil { // else esc took the user back to the capture: keep it there
		m.showExchange(v, msg.recs, "probe: sending… ("+plural(len(msg.recs), "message")+")")
	}
	return m, waitProgress(m.probe.snaps, msg.run)
}

// showProbe shows the finished exchange: its calls, its ladder, its
// findings. The form keeps its values (not the passwords) for the next
// try.
func (m Model) showProbe(msg probeDoneMsg) (tea.Model, tea.Cmd) {
	if m.probe == nil || msg.run != m.probe.id {
		return m, nil
	}
	v := m.viewByID(m.probe.view)
	m.probe = nil
	res := msg.res
	if v == nil { // the user went back to the capture while it ran
		m.note = "probe: " + res.Outcome + " (" + res.Reason + ") · T and enter to run it again and see it"
		m.form.Open()
		return m, nil
	}
	reason := res.Reason
	if res.MissingRealm != "" {
		reason += " (T, then the 2nd realm and its password, to answer it)"
	}
	m.showExchange(v, res.Records, "probe: "+res.Outcome)
	v.banner = probeBanner(res.Outcome, reason, len(res.Records))
	v.empty = ""
	if u := m.under(v); u != nil {
		m.note = "esc returns to " + u.name
	}
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

// showExchange puts recs in the probe's view v, on its flow, keeping the
// ladder's selection when it only grew.
func (m *Model) showExchange(v *captureView, recs []probe.Record, name string) {
	s, err := probe.Store(recs)
	if err != nil {
		s = session.NewStore()
	}
	v.setStore(m, s, name, analysis.Options{StopsAfterRejection: true}, true)
}

// bannerStyle draws a banner as what it says: a probe that passed in the
// success style, anything else as an error.
func (m *Model) bannerStyle(banner string) lipgloss.Style {
	if strings.HasPrefix(banner, "Probe "+probe.OutcomeOK+":") {
		return m.st.Success
	}
	return m.st.Error
}
