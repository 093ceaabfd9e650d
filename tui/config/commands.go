package config

import (
	"slices"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// Command is a [[commands]] entry: a key that runs a shell command with
// placeholders for the calls on screen (gh-dash's keybindings, k9s's
// plugins). Nothing runs that the file does not name.
type Command struct {
	Key         string // a Bubble Tea key name, free on the list and in a flow
	Title       string // the help's and the footer's words; the run text when the file gives none
	Run         string // the text /bin/sh -c runs, placeholders substituted
	Interactive bool   // run on the terminal (the interface suspended), for a pager or an editor
	Line        int    // where the entry starts, for errors

	keyLine, runLine int // where its key and run are, for their errors
}

// Placeholders are the names a run text may use, each a value the
// interface gives when the key is pressed: {callid} the selected calls'
// Call-IDs, {file} the capture file they were read from, {pcap} a
// temporary pcap of the selected calls.
func Placeholders() []string { return []string{"callid", "file", "pcap"} }

// Uses reports whether the run text has placeholder name.
func (c Command) Uses(name string) bool {
	uses := false
	walkRun(c.Run, func(lit string, ph string) {
		uses = uses || ph == name
	})
	return uses
}

// Expand returns the run text with each placeholder replaced by its
// values (values[name]), each quoted for the shell and separated by a
// space: a value is one word, whatever it holds. A placeholder without
// values becomes ” (an empty word).
func (c Command) Expand(values map[string][]string) string {
	var b strings.Builder
	walkRun(c.Run, func(lit string, ph string) {
		if ph == "" {
			b.WriteString(lit)
			return
		}
		vs := values[ph]
		if len(vs) == 0 {
			b.WriteString("''")
		}
		for i, v := range vs {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(Quote(v))
		}
	})
	return b.String()
}

// Quote quotes s as one word for a POSIX shell: in single quotes, where
// nothing is special but the single quote itself, written '\”. A Call-ID
// or a file name comes from the network or a stranger's file: quoted,
// no $(), backtick, ; or newline in it reaches the shell as syntax.
func Quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// walkRun cuts a run text into literal text and placeholders, calling f
// with one or the other. A placeholder is { a name of lowercase letters
// and digits }; {{ is a literal {; a { after $ is the shell's (${HOME})
// and so is any other { (awk '{print $1}').
func walkRun(run string, f func(lit, ph string)) {
	for len(run) > 0 {
		i := strings.IndexByte(run, '{')
		if i < 0 {
			f(run, "")
			return
		}
		if i+1 < len(run) && run[i+1] == '{' {
			f(run[:i+1], "")
			run = run[i+2:]
			continue
		}
		end := strings.IndexByte(run[i:], '}')
		if i > 0 && run[i-1] == '$' || end < 0 || !isName(run[i+1:i+end]) {
			f(run[:i+1], "")
			run = run[i+1:]
			continue
		}
		if i > 0 {
			f(run[:i], "")
		}
		f("", run[i+1:i+end])
		run = run[i+end+1:]
	}
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// command takes a key of a [[commands]] entry (path commands.FIELD), or
// the entries of commands = [{ … }, …].
func (p *parser) command(path []string, v *unstable.Node, line int) error {
	if len(path) == 1 {
		if v.Kind != unstable.Array {
			return p.errorf(line, "commands must be a list of tables ([[commands]])")
		}
		for c := v.Children(); c.Next(); {
			t := c.Node()
			if t.Kind != unstable.InlineTable {
				return p.errorf(p.line(t, line), "commands must be a list of tables ([[commands]])")
			}
			p.cfg.Commands = append(p.cfg.Commands, Command{Line: p.line(t, line)})
			for kv := t.Children(); kv.Next(); {
				if err := p.command(append([]string{"commands"}, keyPath(kv.Node())...), kv.Node().Value(), p.line(kv.Node(), line)); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if len(p.cfg.Commands) == 0 {
		return p.errorf(line, "unknown key %q (a command is a [[commands]] table)", strings.Join(path, "."))
	}
	c := &p.cfg.Commands[len(p.cfg.Commands)-1]
	name := strings.Join(path[1:], ".")
	var err error
	switch name {
	case "key":
		c.Key, err = p.str("commands: key", v, line)
		c.keyLine = line
	case "title":
		c.Title, err = p.str("commands: title", v, line)
	case "run":
		c.Run, err = p.str("commands: run", v, line)
		c.runLine = line
	case "interactive":
		if v.Kind != unstable.Bool {
			return p.errorf(line, "commands: interactive must be true or false")
		}
		c.Interactive = string(v.Data) == "true"
	default:
		return p.errorf(line, "commands: unknown key %q (known: key, run, title, interactive)", name)
	}
	return err
}

// applyCommands checks the commands once the file is read and the keys
// rebound (a command's key is checked against the actions' final keys),
// and binds their keys.
func (p *parser) applyCommands() error {
	for i := range p.cfg.Commands {
		c := &p.cfg.Commands[i]
		switch {
		case c.Key == "":
			return p.errorf(c.Line, "commands: this command has no key (key = \"…\")")
		case strings.TrimSpace(c.Run) == "":
			return p.errorf(c.Line, "commands: the command on %q has nothing to run (run = \"…\")", c.Key)
		}
		var unknown []string
		walkRun(c.Run, func(_, ph string) {
			if ph != "" && !slices.Contains(Placeholders(), ph) {
				unknown = append(unknown, "{"+ph+"}")
			}
		})
		if len(unknown) > 0 {
			return p.errorf(c.runLine, "commands: unknown placeholder %s in %q (known: {callid}, {file}, {pcap}; {{ is a literal {)", unknown[0], c.Run)
		}
		if ph := quotedPlaceholder(c.Run); ph != "" {
			return p.errorf(c.runLine, "commands: {%s} is inside quotes in %q: write it bare, sipdbg quotes each value itself (in quotes a Call-ID such as $(…) would run)", ph, c.Run)
		}
		for _, d := range p.cfg.Commands[:i] {
			if d.Key == c.Key {
				return p.errorf(c.keyLine, "commands: %q is already the key of the command on line %d", c.Key, d.Line)
			}
		}
		if c.Title == "" {
			c.Title = c.Run
		}
		if err := p.cfg.Keys.AddCommand(c.Key, c.Title); err != nil {
			return p.errorf(c.keyLine, "commands: %v", err)
		}
	}
	return nil
}

// quotedPlaceholder returns the first placeholder that stands inside
// shell quotes, "" when none does. Each value is put in single quotes;
// inside '…' that closes the user's quote, and inside "…" the value's
// own quotes are literal while $( ) and backticks still run: a Call-ID
// from the network would become shell syntax. The scan follows POSIX
// quoting (XCU 2.2): \ escapes outside quotes and in double quotes,
// nothing escapes in single quotes.
func quotedPlaceholder(run string) string {
	var quote byte // 0, '\'' or '"'
	escaped := false
	found := ""
	walkRun(run, func(lit, ph string) {
		if ph != "" {
			if (quote != 0 || escaped) && found == "" {
				found = ph
			}
			escaped = false
			return
		}
		for i := 0; i < len(lit); i++ {
			c := lit[i]
			switch {
			case escaped:
				escaped = false
			case c == '\\' && quote != '\'':
				escaped = true
			case quote == 0 && (c == '\'' || c == '"'):
				quote = c
			case c == quote:
				quote = 0
			}
		}
	})
	return found
}
