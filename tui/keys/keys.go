// Package keys declares every key binding of the interface once. The help
// overlay, the README key table and the tests all come from Map.
//
// It imports nothing of sipdbg.
package keys

import "charm.land/bubbles/v2/key"

// Map holds the bindings. sngrep's keys are kept where they exist
// (arrows and hjkl, Enter, Esc, q, /, F2 …).
type Map struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Open, Back, Quit, Help                key.Binding
	Filter, NextAuthError, SortNext       key.Binding
	SortPrev, SortReverse, FocusNext      key.Binding
	Raw, ByHost, Select, Extended, Save   key.Binding
	Follow, Pause, Paste, Probe, Mouse    key.Binding
	Expand                                key.Binding
}

// Default is the key map the app uses.
func Default() Map {
	return Map{
		Up:            key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:          key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:        key.NewBinding(key.WithKeys("pgup", "ctrl+b", "ctrl+u"), key.WithHelp("pgup", "page up")),
		PageDown:      key.NewBinding(key.WithKeys("pgdown", "ctrl+f", "ctrl+d"), key.WithHelp("pgdn", "page down")),
		Home:          key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "first")),
		End:           key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "last")),
		Open:          key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open call flow")),
		Back:          key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Quit:          key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit (in a flow: back)")),
		Help:          key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?", "help")),
		Filter:        key.NewBinding(key.WithKeys("/", "f3"), key.WithHelp("/", "filter calls")),
		NextAuthError: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next call with an auth error (in a flow: next problem step)")),
		SortNext:      key.NewBinding(key.WithKeys(">"), key.WithHelp(">", "sort by next column")),
		SortPrev:      key.NewBinding(key.WithKeys("<"), key.WithHelp("<", "sort by previous column")),
		SortReverse:   key.NewBinding(key.WithKeys("z"), key.WithHelp("z", "reverse sort")),
		FocusNext:     key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "ladder ⇄ findings")),
		Raw:           key.NewBinding(key.WithKeys("t"), key.WithHelp("t", "message pane on/off")),
		ByHost:        key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "ladder: a column per host / per address")),
		Select:        key.NewBinding(key.WithKeys("space"), key.WithHelp("space", "select calls for one flow; in a flow, mark two messages to compare")),
		Extended:      key.NewBinding(key.WithKeys("x", "f4"), key.WithHelp("x/F4", "flow with the related legs (X-Call-ID)")),
		Follow:        key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "follow: keep the newest call selected")),
		Pause:         key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pause the display (capture goes on)")),
		Probe:         key.NewBinding(key.WithKeys("T"), key.WithHelp("T", "test credentials live (send a REGISTER/INVITE/OPTIONS)")),
		Mouse:         key.NewBinding(key.WithKeys("M"), key.WithHelp("M", "mouse wheel on/off (off: the terminal selects text)")),
		Paste:         key.NewBinding(key.WithKeys("P"), key.WithHelp("P", "paste a text SIP trace and open it")),
		Save:          key.NewBinding(key.WithKeys("S", "f2"), key.WithHelp("S/F2", "save calls (pcap), flow (txt), report (JSON)")),
		Expand:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "analysis pane: whole screen ⇄ below the ladder (pgup/pgdn scroll it)")),
	}
}

// ShortHelp is the one-line help of the status bar.
func (m Map) ShortHelp() []key.Binding {
	return []key.Binding{m.Open, m.Back, m.Filter, m.NextAuthError, m.FocusNext, m.Help, m.Quit}
}

// FullHelp is the help overlay, in groups.
func (m Map) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.Up, m.Down, m.PageUp, m.PageDown, m.Home, m.End},
		{m.Open, m.Back, m.Select, m.Extended, m.FocusNext, m.Expand, m.Raw, m.ByHost},
		{m.Filter, m.NextAuthError, m.SortNext, m.SortPrev, m.SortReverse, m.Follow, m.Pause},
		{m.Save, m.Paste, m.Probe, m.Mouse, m.Help, m.Quit},
	}
}

// Markdown renders the key table the README carries, from FullHelp.
func (m Map) Markdown() string {
	out := "| key | action |\n|---|---|\n"
	for _, group := range m.FullHelp() {
		for _, b := range group {
			out += "| `" + b.Help().Key + "` | " + b.Help().Desc + " |\n"
		}
	}
	return out
}
