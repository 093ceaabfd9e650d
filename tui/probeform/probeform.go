// Package probeform is the form that sends a live test request from the
// interface: method, target, server, transport, From, username and
// password (masked), and an optional second realm's credentials.
//
// It imports analysis, probe and tui/styles only.
package probeform

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/probe"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// Field indexes.
const (
	Method = iota
	Target
	Server
	Transport
	From
	User
	Password
	Realm2
	User2
	Password2
	nFields
)

var labels = [nFields]string{"Method", "Target URI", "Server", "Transport", "From URI", "Username", "Password", "2nd realm", "2nd username", "2nd password"}

var hints = [nFields]string{"register, invite or options", "sip:alice@example.com", "host[:port] (default: the target's host)",
	"udp, tcp, tls, ws, wss; empty: as DNS says (RFC 3263)", "for invite (default: the target)", "digest username (default: the From user)", "never shown or saved",
	"only when a second element challenges in another realm", "", ""}

// Model is the form. Values stay between openings, passwords excepted.
type Model struct {
	inputs [nFields]textinput.Model
	focus  int
}

// New returns the form with its defaults.
func New() Model {
	var m Model
	for i := range m.inputs {
		ti := textinput.New()
		ti.Prompt = ""
		ti.Placeholder = hints[i]
		ti.SetWidth(60) // without a width the placeholder shows one letter
		if i == Password || i == Password2 {
			ti.EchoMode = textinput.EchoPassword
		}
		m.inputs[i] = ti
	}
	m.inputs[Method].SetValue("register")
	return m
}

// Fill sets the fields from a configuration (the command line's flags),
// the passwords excepted: they are typed in the form.
func (m *Model) Fill(cfg probe.Config) {
	for i, v := range map[int]string{Method: strings.ToLower(cfg.Method), Target: cfg.Target, Server: cfg.Server,
		Transport: cfg.Transport, From: cfg.From, User: cfg.User} {
		if v != "" {
			m.inputs[i].SetValue(v)
		}
	}
}

// Open focuses the first field; passwords start empty every time.
func (m *Model) Open() tea.Cmd {
	m.inputs[Password].SetValue("")
	m.inputs[Password2].SetValue("")
	m.focus = 0
	return m.focusOn(0)
}

func (m *Model) focusOn(i int) tea.Cmd {
	for j := range m.inputs {
		m.inputs[j].Blur()
	}
	m.focus = (i + nFields) % nFields
	return m.inputs[m.focus].Focus()
}

// Update edits the focused field; the map's NextField and PrevField keys
// move between fields.
func (m *Model) Update(msg tea.Msg, km keys.Map) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, km.NextField):
			return m.focusOn(m.focus + 1)
		case key.Matches(k, km.PrevField):
			return m.focusOn(m.focus - 1)
		}
	}
	var cmd tea.Cmd
	m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
	return cmd
}

// Set sets a field (tests, and a future "probe this call" action).
func (m *Model) Set(i int, v string) { m.inputs[i].SetValue(v) }

func (m *Model) val(i int) string { return strings.TrimSpace(m.inputs[i].Value()) }

// Config builds the probe's configuration from the fields.
func (m *Model) Config() probe.Config {
	cfg := probe.Config{Method: strings.ToUpper(m.val(Method)), Target: m.val(Target), Server: m.val(Server),
		Transport: strings.ToLower(m.val(Transport)), From: m.val(From), User: m.val(User), Timeout: 10 * time.Second, Expires: 60}
	if cfg.From == "" && cfg.Method != "INVITE" {
		cfg.From = cfg.Target
	}
	if pw := m.inputs[Password].Value(); pw != "" { // answers every realm but the second one's
		cfg.Credentials = append(cfg.Credentials, analysis.Credential{Realm: "*", User: m.val(User), Secret: analysis.Password(pw)})
	}
	if r2, pw2 := m.val(Realm2), m.inputs[Password2].Value(); r2 != "" && pw2 != "" {
		second := analysis.Credential{Realm: r2, User: m.val(User2), Secret: analysis.Password(pw2)}
		cfg.Credentials = append([]analysis.Credential{second}, cfg.Credentials...) // realm match before "*"
	}
	return cfg
}

// Check says what is missing before the form can be sent, "" if nothing.
func (m *Model) Check() string {
	switch {
	case m.val(Target) == "":
		return "the target URI is missing"
	case m.val(Method) != "register" && m.val(Method) != "invite" && m.val(Method) != "options":
		return "the method is register, invite or options"
	case m.val(Method) == "invite" && m.val(From) == "":
		return "an invite needs a From URI"
	}
	return ""
}

// View renders the form.
func (m *Model) View(width int, st styles.Styles) string {
	var b strings.Builder
	b.WriteString(st.Title.Render("Live credential test") + "\n\n") // the keys are in the footer, from the key map
	for i := range m.inputs {
		label := labels[i] + strings.Repeat(" ", 14-len(labels[i]))
		if i == m.focus {
			label = st.Bold.Render(label)
		}
		b.WriteString(label + m.inputs[i].View() + "\n")
	}
	return b.String()
}
