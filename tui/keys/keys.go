// Package keys declares every key binding of the interface once, and
// which of them each screen answers (Screen). The help of a screen, its
// footer, the README key table and the tests all come from Map.
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
	Expand, Streams, Wav                  key.Binding
	// The keys of the screens that take text (the filter prompt, the
	// paste screen, the probe form), where letters are typed, not acted on.
	Apply, OpenPaste, Send, NextField, PrevField key.Binding
	PrevChoice, NextChoice                       key.Binding
	// Commands are the configuration's command keys (AddCommand), on the
	// list and in a flow; none by default.
	Commands []key.Binding
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
		NextAuthError: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next call with a problem (in a flow: next problem step)")),
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
		Save:          key.NewBinding(key.WithKeys("S", "f2"), key.WithHelp("S/F2", "save: pcap, text with findings, JSON or CSV, to a file you name")),
		Expand:        key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "analysis pane: whole screen ⇄ below the ladder (pgup/pgdn scroll it)")),
		// m is sngrep's media key in a call flow.
		Streams: key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "media streams: a table of the call's RTP streams and a timeline of each")),
		// S is the save dialog's, as in sngrep (F2/S): the WAV files take W.
		Wav:        key.NewBinding(key.WithKeys("W"), key.WithHelp("W", "write the call's G.711 streams as WAV files in the current directory")),
		Apply:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep the filter and go back to the list")),
		OpenPaste:  key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "open the pasted trace")),
		Send:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send the test request")),
		NextField:  key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		PrevField:  key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "previous field")),
		PrevChoice: key.NewBinding(key.WithKeys("left"), key.WithHelp("←", "previous choice")),
		NextChoice: key.NewBinding(key.WithKeys("right"), key.WithHelp("→", "next choice")),
	}
}

// Screen is a screen of the interface, for the keys it answers.
type Screen int

// The screens.
const (
	List    Screen = iota // the call list
	Flow                  // a call flow: ladder, message, analysis
	Filter                // the filter prompt under the list
	Paste                 // the paste screen
	Form                  // the live test form
	Save                  // the save dialog
	Streams               // a call's media streams, over its flow
	Help                  // the help of another screen
	Result                // what a configured command did
	nScreens
)

var screenNames = [nScreens]string{"Call list", "Call flow", "Filter prompt", "Paste screen", "Live test form", "Save dialog", "Media streams", "Help", "Command result"}

func (s Screen) String() string { return screenNames[s] }

// screenKeys says which bindings each screen answers, in the order its
// help lists them, and what each does there when that differs from the
// binding's own description, and the word its footer shows for it.
type screenKey struct {
	b    func(*Map) *key.Binding
	desc string
	foot string // the footer's word for it; "" when the footer leaves it out
}

func screenKeys(s Screen) []screenKey {
	up, down := func(m *Map) *key.Binding { return &m.Up }, func(m *Map) *key.Binding { return &m.Down }
	pgup, pgdn := func(m *Map) *key.Binding { return &m.PageUp }, func(m *Map) *key.Binding { return &m.PageDown }
	home, end := func(m *Map) *key.Binding { return &m.Home }, func(m *Map) *key.Binding { return &m.End }
	back := func(m *Map) *key.Binding { return &m.Back }
	help := func(m *Map) *key.Binding { return &m.Help }
	quit := func(m *Map) *key.Binding { return &m.Quit }
	b := func(f func(*Map) *key.Binding, desc string, foot string) screenKey { return screenKey{f, desc, foot} }
	switch s {
	case List:
		return []screenKey{
			b(up, "", ""), b(down, "", ""), b(pgup, "", ""), b(pgdn, "", ""), b(home, "", ""), b(end, "", ""),
			b(func(m *Map) *key.Binding { return &m.Open }, "", "open"),
			b(func(m *Map) *key.Binding { return &m.Select }, "mark calls to open in one flow", ""),
			b(func(m *Map) *key.Binding { return &m.Extended }, "", ""),
			b(func(m *Map) *key.Binding { return &m.Filter }, "", "filter"),
			b(back, "clear the filter; back from a probe's or a paste's calls", ""),
			b(func(m *Map) *key.Binding { return &m.NextAuthError }, "next call with a problem (an error or warning verdict)", "problems"),
			b(func(m *Map) *key.Binding { return &m.SortNext }, "", ""),
			b(func(m *Map) *key.Binding { return &m.SortPrev }, "", ""),
			b(func(m *Map) *key.Binding { return &m.SortReverse }, "", ""),
			b(func(m *Map) *key.Binding { return &m.Follow }, "", ""),
			b(func(m *Map) *key.Binding { return &m.Pause }, "", ""),
			b(func(m *Map) *key.Binding { return &m.Save }, "", "save"),
			b(func(m *Map) *key.Binding { return &m.Paste }, "", ""),
			b(func(m *Map) *key.Binding { return &m.Probe }, "", "test live"),
			b(func(m *Map) *key.Binding { return &m.Mouse }, "", ""),
			b(help, "", "help"), b(quit, "quit", "quit"),
		}
	case Flow:
		return []screenKey{
			b(up, "previous message (or finding, when they have the focus)", ""),
			b(down, "next message (or finding)", ""),
			b(pgup, "", ""), b(pgdn, "", ""), b(home, "", ""), b(end, "", ""),
			b(back, "back to the list", "back"),
			b(func(m *Map) *key.Binding { return &m.FocusNext }, "", "ladder ⇄ findings"),
			b(func(m *Map) *key.Binding { return &m.Expand }, "", "expand"),
			b(func(m *Map) *key.Binding { return &m.NextAuthError }, "next problem step", "next problem"),
			b(func(m *Map) *key.Binding { return &m.Raw }, "", ""),
			b(func(m *Map) *key.Binding { return &m.ByHost }, "", ""),
			b(func(m *Map) *key.Binding { return &m.Select }, "mark two messages to compare", ""),
			b(func(m *Map) *key.Binding { return &m.Streams }, "", "media"),
			b(func(m *Map) *key.Binding { return &m.Wav }, "", ""),
			b(func(m *Map) *key.Binding { return &m.Save }, "", ""),
			b(func(m *Map) *key.Binding { return &m.Paste }, "", ""),
			b(func(m *Map) *key.Binding { return &m.Probe }, "", ""),
			b(func(m *Map) *key.Binding { return &m.Mouse }, "", ""),
			b(help, "", "help"), b(quit, "back to the list (as esc)", ""),
		}
	case Filter:
		return []screenKey{
			b(func(m *Map) *key.Binding { return &m.Apply }, "", "keep the filter"),
			b(back, "clear the filter and go back to the list", "clear it"),
		}
	case Paste:
		return []screenKey{
			b(func(m *Map) *key.Binding { return &m.OpenPaste }, "", "open it"),
			b(back, "cancel: drop what was pasted", "cancel"),
		}
	case Form:
		return []screenKey{
			b(func(m *Map) *key.Binding { return &m.NextField }, "", "next field"),
			b(func(m *Map) *key.Binding { return &m.PrevField }, "", "previous"),
			b(func(m *Map) *key.Binding { return &m.Send }, "", "send"),
			b(back, "close the form (its fields are kept, the passwords are not)", "close"),
		}
	case Save:
		return []screenKey{
			b(func(m *Map) *key.Binding { return &m.NextField }, "", "next field"),
			b(func(m *Map) *key.Binding { return &m.PrevField }, "", ""),
			b(func(m *Map) *key.Binding { return &m.PrevChoice }, "previous format or set of calls", ""),
			b(func(m *Map) *key.Binding { return &m.NextChoice }, "next format or set of calls", "choose"),
			b(func(m *Map) *key.Binding { return &m.Send }, "save to the file named", "save"),
			b(back, "cancel: nothing is written", "cancel"),
		}
	case Streams:
		return []screenKey{
			b(up, "previous stream", ""), b(down, "next stream", ""),
			b(func(m *Map) *key.Binding { return &m.FocusNext }, "timelines: packets ⇄ jitter a second", "packets ⇄ jitter"),
			b(func(m *Map) *key.Binding { return &m.Wav }, "", "WAV"),
			b(back, "back to the flow", "back"),
			b(help, "", "help"), b(quit, "back to the flow (as esc)", ""),
		}
	case Help:
		return []screenKey{
			b(up, "scroll up", "scroll"), b(down, "scroll down", ""), b(pgup, "", ""), b(pgdn, "", ""),
			b(back, "close the help (any other key too)", "close"),
		}
	case Result:
		return []screenKey{
			b(up, "scroll up", "scroll"), b(down, "scroll down", ""),
			b(back, "close (any other key too)", "close"),
		}
	}
	return nil
}

// Keys returns the bindings screen s answers, in help order, each with
// the description of what it does there. Bindings without keys (turned
// off in the configuration) are left out.
func (m Map) Keys(s Screen) []key.Binding {
	var out []key.Binding
	for _, k := range screenKeys(s) {
		b := *k.b(&m)
		if len(b.Keys()) == 0 {
			continue
		}
		if k.desc != "" {
			b.SetHelp(b.Help().Key, k.desc)
		}
		out = append(out, b)
	}
	return append(out, m.commandKeys(s)...)
}

// Short returns the bindings the footer of screen s shows, each with its
// footer word, the help key last (a footer too narrow for them all keeps
// that one).
func (m Map) Short(s Screen) []key.Binding {
	var out []key.Binding
	var help *key.Binding
	for _, k := range screenKeys(s) {
		b := *k.b(&m)
		if k.foot == "" || len(b.Keys()) == 0 {
			continue
		}
		b.SetHelp(b.Help().Key, k.foot)
		if k.b(&m) == &m.Help {
			help = &b
			continue
		}
		out = append(out, b)
	}
	out = append(out, m.commandKeys(s)...) // after the actions: a short footer drops them first
	if help != nil {
		out = append(out, *help)
	}
	return out
}

// screensOf returns the screens that answer the binding b of m (a pointer
// to one of m's fields).
func (m *Map) screensOf(b *key.Binding) []Screen {
	var out []Screen
	for s := range nScreens {
		for _, k := range screenKeys(s) {
			if k.b(m) == b {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// Markdown renders the key tables the README carries, a table a screen,
// from Keys.
func (m Map) Markdown() string {
	out := ""
	for s := range nScreens {
		if s == Help {
			continue
		}
		out += "**" + s.String() + "**\n\n| key | action |\n|---|---|\n"
		for _, b := range m.Keys(s) {
			out += "| `" + b.Help().Key + "` | " + b.Help().Desc + " |\n"
		}
		out += "\n"
	}
	return out
}
