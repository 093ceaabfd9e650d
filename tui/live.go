package tui

import (
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/internal/memstat"
	"github.com/sipdbg/sipdbg/session"
)

// WithLive marks the source as live (an interface or a HEP listener):
// the status line shows packets per second and memory in use, and the
// store is kept within budget bytes (0: no limit) by dropping the oldest
// completed calls.
func (m Model) WithLive(budget int64) Model {
	m.live = &liveStatus{budget: budget}
	return m
}

// liveStatus is what the status line shows of a live source.
type liveStatus struct {
	budget  int64
	last    time.Time // time of the previous tick
	frames  int       // frames counted at the previous tick
	rate    float64   // packets per second over the last tick
	memUsed uint64    // bytes the process holds from the OS, at the last tick
}

// tickMsg refreshes the rates once a second.
type tickMsg time.Time

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

func (m Model) onTick(t time.Time) (tea.Model, tea.Cmd) {
	l := m.live
	s := m.base().store // whatever is shown over it
	frames := s.Stats().Decoder.Frames
	if !l.last.IsZero() {
		if d := t.Sub(l.last).Seconds(); d > 0 {
			l.rate = float64(frames-l.frames) / d
		}
	}
	l.last, l.frames = t, frames
	l.memUsed = memstat.InUse()
	if m.base().status.done {
		return m, nil
	}
	return m, tick()
}

// trim applies the memory budget after a batch; the calls on screen stay.
func (m *Model) trim() {
	if m.live == nil || m.live.budget <= 0 {
		return
	}
	v := m.base()
	open := map[*session.Call]bool{}
	if v.flow != nil {
		for _, c := range v.flow.Calls {
			open[c] = true
		}
	}
	// Views hold calls and messages by Seq, which a drop does not
	// change: the open flow's calls are kept and it has nothing to do;
	// the list forgets the rows that went.
	if v.store.Trim(m.live.budget, func(c *session.Call) bool { return open[c] || v.list.Pinned(c) }) > 0 {
		v.list.Forget(v.store)
	}
}

// liveParts are the status line's live counts.
func (m Model) liveParts() []string {
	l := m.live
	parts := []string{strconv.FormatFloat(l.rate, 'f', 0, 64) + " pkt/s"}
	mem := "mem " + memstat.MiB(l.memUsed)
	if l.budget > 0 {
		mem += "/" + memstat.MiB(uint64(l.budget))
	}
	parts = append(parts, mem)
	if ev := m.base().store.Stats().Evicted; ev.Calls > 0 {
		parts = append(parts, plural(ev.Calls, "old call")+" dropped")
	}
	return parts
}
