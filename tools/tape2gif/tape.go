package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Tape is the part of a VHS tape that tape2gif understands: the output
// path, the few settings that shape the terminal, and the actions in order.
type Tape struct {
	Output      string
	FontSize    float64
	Width       int
	Height      int
	Shell       string
	TypingSpeed time.Duration
	Actions     []Action
}

// ActionKind says what an Action does.
type ActionKind int

const (
	ActType  ActionKind = iota // send Text one character at a time
	ActKey                     // press Key Count times
	ActSleep                   // wait Duration
	ActHide                    // stop recording frames
	ActShow                    // record frames again
)

// Action is one step of the tape. Line is the tape line it came from so
// that a failure while running can still point at the source.
type Action struct {
	Line     int
	Kind     ActionKind
	Text     string        // ActType
	Key      string        // ActKey: a tmux key name (Down, Tab, C-c …)
	Count    int           // ActKey: how many presses
	Speed    time.Duration // ActType, ActKey: per character / per press; 0 = the tape's TypingSpeed
	Duration time.Duration // ActSleep
}

// Defaults mirror VHS's so that a tape that sets nothing still looks the
// way it would there.
func newTape() *Tape {
	return &Tape{
		FontSize:    22,
		Width:       1200,
		Height:      600,
		Shell:       "bash",
		TypingSpeed: 50 * time.Millisecond,
	}
}

// keyNames maps the tape's key commands to tmux send-keys key names.
var keyNames = map[string]string{
	"Enter":     "Enter",
	"Down":      "Down",
	"Up":        "Up",
	"Left":      "Left",
	"Right":     "Right",
	"Tab":       "Tab",
	"Escape":    "Escape",
	"Space":     "Space",
	"Backspace": "BSpace",
	"Delete":    "DC",
	"Insert":    "IC",
	"PageUp":    "PPage",
	"PageDown":  "NPage",
	"Home":      "Home",
	"End":       "End",
}

// ParseTape reads a tape. Errors name the line ("demo.tape:12: …") so a
// typo in a long tape is quick to find; name is only used in messages.
func ParseTape(name string, r io.Reader) (*Tape, error) {
	t := newTape()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	line := 0
	for sc.Scan() {
		line++
		toks, err := tokenize(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		// VHS allows several commands on one line (Type "ls" Sleep 1s Enter),
		// so a line is consumed command by command.
		for len(toks) > 0 {
			n, err := t.parseCommand(line, toks)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, line, err)
			}
			toks = toks[n:]
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// token is a word of a tape line; quoted strings keep their quotes out of
// Text but remember they were quoted, so `Type Enter` and `Type "Enter"`
// stay distinguishable.
type token struct {
	Text   string
	Quoted bool
}

// tokenize splits a line into words and quoted strings and drops a
// trailing comment. Strings are literal, as in VHS: no backslash escapes,
// so `Type "printf '\033[31m'"` types the backslash for printf to read; a
// string that needs a double quote uses single quotes or backticks.
func tokenize(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '#':
			return toks, nil
		case c == '"' || c == '\'' || c == '`':
			end := strings.IndexByte(s[i+1:], c)
			if end < 0 {
				return nil, fmt.Errorf("unterminated string starting at column %d", i+1)
			}
			toks = append(toks, token{Text: s[i+1 : i+1+end], Quoted: true})
			i += end + 2
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\r' {
				j++
			}
			toks = append(toks, token{Text: s[i:j]})
			i = j
		}
	}
	return toks, nil
}

// parseCommand parses the command at toks[0] and returns how many tokens
// it used.
func (t *Tape) parseCommand(line int, toks []token) (int, error) {
	head := toks[0]
	if head.Quoted {
		return 0, fmt.Errorf("expected a command, found the string %q", head.Text)
	}
	name, speedText, hasSpeed := strings.Cut(head.Text, "@")
	var speed time.Duration
	if hasSpeed {
		d, err := parseDuration(speedText)
		if err != nil {
			return 0, fmt.Errorf("%s: bad speed %q: %w", name, speedText, err)
		}
		speed = d
	}
	noSpeed := func() error {
		if hasSpeed {
			return fmt.Errorf("%s takes no @speed", name)
		}
		return nil
	}

	switch {
	case name == "Output":
		if err := noSpeed(); err != nil {
			return 0, err
		}
		if len(toks) < 2 {
			return 0, errors.New("the Output command needs a path")
		}
		t.Output = toks[1].Text
		return 2, nil

	case name == "Set":
		if err := noSpeed(); err != nil {
			return 0, err
		}
		if len(toks) < 3 {
			return 0, errors.New("the Set command needs a setting and a value")
		}
		if err := t.set(toks[1].Text, toks[2].Text); err != nil {
			return 0, err
		}
		return 3, nil

	case name == "Hide" || name == "Show":
		if err := noSpeed(); err != nil {
			return 0, err
		}
		kind := ActHide
		if name == "Show" {
			kind = ActShow
		}
		t.Actions = append(t.Actions, Action{Line: line, Kind: kind})
		return 1, nil

	case name == "Sleep":
		if err := noSpeed(); err != nil {
			return 0, err
		}
		if len(toks) < 2 {
			return 0, errors.New("the Sleep command needs a duration")
		}
		d, err := parseDuration(toks[1].Text)
		if err != nil {
			return 0, fmt.Errorf("the Sleep command: %w", err)
		}
		t.Actions = append(t.Actions, Action{Line: line, Kind: ActSleep, Duration: d})
		return 2, nil

	case name == "Type":
		if len(toks) < 2 || !toks[1].Quoted {
			return 0, errors.New(`the Type command needs a quoted string: Type "text"`)
		}
		t.Actions = append(t.Actions, Action{Line: line, Kind: ActType, Text: toks[1].Text, Speed: speed})
		return 2, nil

	case strings.HasPrefix(name, "Ctrl+") || strings.HasPrefix(name, "Alt+"):
		key, err := modifiedKey(name)
		if err != nil {
			return 0, err
		}
		t.Actions = append(t.Actions, Action{Line: line, Kind: ActKey, Key: key, Count: 1, Speed: speed})
		return 1, nil
	}

	key, ok := keyNames[name]
	if !ok {
		return 0, fmt.Errorf("unknown command %q", head.Text)
	}
	a := Action{Line: line, Kind: ActKey, Key: key, Count: 1, Speed: speed}
	used := 1
	// An optional repeat count follows; anything else is the next command.
	if len(toks) > 1 && !toks[1].Quoted && isDigits(toks[1].Text) {
		n, err := strconv.Atoi(toks[1].Text)
		if err != nil || n < 1 {
			return 0, fmt.Errorf("%s: bad count %q", name, toks[1].Text)
		}
		a.Count = n
		used = 2
	}
	t.Actions = append(t.Actions, a)
	return used, nil
}

func (t *Tape) set(setting, value string) error {
	switch setting {
	case "FontSize":
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || f < 4 || f > 200 {
			return fmt.Errorf("the FontSize setting: want a size between 4 and 200, got %q", value)
		}
		t.FontSize = f
	case "Width", "Height":
		n, err := strconv.Atoi(value)
		if err != nil || n < 50 || n > 8000 {
			return fmt.Errorf("the %s setting: want pixels between 50 and 8000, got %q", setting, value)
		}
		if setting == "Width" {
			t.Width = n
		} else {
			t.Height = n
		}
	case "TypingSpeed":
		d, err := parseDuration(value)
		if err != nil {
			return fmt.Errorf("the TypingSpeed setting: %w", err)
		}
		t.TypingSpeed = d
	case "Shell":
		if value == "" {
			return errors.New("the Shell setting is empty")
		}
		t.Shell = value
	default:
		return fmt.Errorf("unsupported setting %q (tape2gif knows FontSize, Width, Height, TypingSpeed, Shell)", setting)
	}
	return nil
}

// parseDuration accepts Go durations (500ms, 2s) and, like VHS, a bare
// number meaning seconds (Sleep 0.5).
func parseDuration(s string) (time.Duration, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 0 {
			return 0, fmt.Errorf("negative duration %q", s)
		}
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", s)
	}
	return d, nil
}

// modifiedKey turns Ctrl+C / Alt+x / Ctrl+Alt+x into tmux's C-c / M-x /
// C-M-x.
func modifiedKey(name string) (string, error) {
	parts := strings.Split(name, "+")
	key := parts[len(parts)-1]
	prefix := ""
	for _, m := range parts[:len(parts)-1] {
		switch m {
		case "Ctrl":
			prefix += "C-"
		case "Alt":
			prefix += "M-"
		default:
			return "", fmt.Errorf("unknown modifier %q in %q", m, name)
		}
	}
	if k, ok := keyNames[key]; ok {
		return prefix + k, nil
	}
	r := []rune(key)
	if len(r) != 1 || !unicode.IsPrint(r[0]) {
		return "", fmt.Errorf("unknown key %q in %q", key, name)
	}
	if strings.Contains(prefix, "C-") {
		// tmux reads C-C as Ctrl+Shift+C on some versions; the terminal
		// byte for Ctrl+C is the same as for Ctrl+c, so send lower case.
		return prefix + strings.ToLower(key), nil
	}
	return prefix + key, nil
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
