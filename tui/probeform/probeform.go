// Package probeform is the form that sends a live test request from the
// interface: method, target, server, transport, From, username and
// password (masked), and an optional second realm's credentials.
//
// It imports analysis, probe, report (Wrap), tui/keys and tui/styles only.
package probeform

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/probe"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// Field indexes.
const (
	Method = iota
	Target
	Server
	Transport
	Timeout
	From
	User
	Password
	Realm2
	User2
	Password2
	nFields
)

var labels = [nFields]string{"Method", "Target URI", "Server", "Transport", "Timeout", "From URI", "Username", "Password", "2nd realm", "2nd username", "2nd password"}

var hints = [nFields]string{"register, invite or options", "sip:alice@example.com", "host[:port] (default: the target's host)",
	"udp, tcp, tls, ws, wss; empty: as DNS says (RFC 3263)", "seconds to wait for the server (default 10)",
	"for invite (default: the target)", "digest username (default: the From user)", "never shown or saved",
	"only when a second element challenges in another realm", "", ""}

// defaultTimeout is how long a test waits when the field is empty.
const defaultTimeout = 10 * time.Second

// Model is the form. Values stay between openings, passwords excepted.
type Model struct {
	inputs  [nFields]textinput.Model
	focus   int
	err     string // why the form was not sent, shown under the fields
	cleared bool   // the passwords typed before were cleared on opening
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

// Open focuses the first field; passwords start empty every time, which
// the form says when some were typed before.
func (m *Model) Open() tea.Cmd {
	m.cleared = m.inputs[Password].Value() != "" || m.inputs[Password2].Value() != "" || m.cleared
	m.inputs[Password].SetValue("")
	m.inputs[Password2].SetValue("")
	m.err = ""
	m.focus = 0
	if m.cleared && m.val(Target) != "" {
		m.focus = Password // the fields are kept: what is missing is the password
	}
	return m.focusOn(m.focus)
}

// SetError shows why the form was not sent (a Check, a failed probe), in
// the form, under its fields.
func (m *Model) SetError(why string) { m.err = why }

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

// Focused is the index of the field with the cursor.
func (m *Model) Focused() int { return m.focus }

// Set sets a field (tests, and a future "probe this call" action).
func (m *Model) Set(i int, v string) { m.inputs[i].SetValue(v) }

func (m *Model) val(i int) string { return strings.TrimSpace(m.inputs[i].Value()) }

// Config builds the probe's configuration from the fields.
func (m *Model) Config() probe.Config {
	cfg := probe.Config{Method: strings.ToUpper(m.val(Method)), Target: m.val(Target), Server: m.val(Server),
		Transport: strings.ToLower(m.val(Transport)), From: m.val(From), User: m.val(User), Timeout: defaultTimeout, Expires: 60}
	if secs, err := strconv.ParseFloat(m.val(Timeout), 64); err == nil && secs > 0 {
		cfg.Timeout = time.Duration(secs * float64(time.Second))
	}
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
	case m.val(Timeout) != "" && !validTimeout(m.val(Timeout)):
		return "the timeout is a number of seconds, more than 0 and at most 300"
	case m.val(Method) != "options" && m.inputs[Password].Value() == "":
		return "the password is empty: type it (a " + m.val(Method) + " is challenged; options needs none)"
	case m.val(Realm2) != "" && m.inputs[Password2].Value() == "":
		return "the 2nd realm's password is empty: type it, or clear the 2nd realm"
	}
	return ""
}

func validTimeout(s string) bool {
	secs, err := strconv.ParseFloat(s, 64)
	return err == nil && secs > 0 && secs <= 300
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
	if m.cleared {
		b.WriteString("\n" + st.Dim.Render("The passwords typed before were cleared: they are never kept between tries.") + "\n")
	}
	if m.err != "" {
		b.WriteString("\n")
		for _, l := range report.Wrap(m.err, max(20, width)) {
			b.WriteString(st.Error.Render(l) + "\n")
		}
	}
	return b.String()
}
