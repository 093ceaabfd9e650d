// Package config reads sipdbg's configuration file: the theme and its
// colours, the call list's columns, a default credentials file, key
// rebindings and the aliases of addresses. The app works without one; a
// file with any mistake in it is refused whole, with one line naming the
// file, the line and the problem, so that the interface never starts
// half configured.
//
// It lives under tui because what it configures is the interface (the
// credentials default aside, which cmd reads from it); it imports only
// session (whose Aliases the report shares), tui/calllist, tui/keys and
// tui/styles.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/sipdbg/sipdbg/session"
	"github.com/sipdbg/sipdbg/tui/calllist"
	"github.com/sipdbg/sipdbg/tui/keys"
	"github.com/sipdbg/sipdbg/tui/styles"
)

// Config is the configuration, checked and resolved.
type Config struct {
	File        string // the file read; "" when there was none
	Theme       string
	Styles      styles.Styles     // the theme's, with [colors] on top
	Columns     []calllist.Column // nil: the default columns
	Keys        keys.Map
	Credentials string   // default credentials file, ~ expanded; "" for none
	Keylog      []string // TLS key log files (SSLKEYLOGFILE format), ~ expanded, read with --keylog's

	// Aliases are the names shown for addresses ([aliases]), in the
	// interface and the text report.
	Aliases session.Aliases
	// Commands are the [[commands]] entries, checked (commands.go); their
	// keys are in Keys too, for the help and the footer.
	Commands []Command
}

// Default is the configuration without a file.
func Default() Config {
	return Config{Theme: "default", Styles: styles.Default(), Keys: keys.Default()}
}

// Error is a problem in the file, at a line (0 when it is not about one).
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Path returns where the configuration is read from: $SIPDBG_CONFIG
// (explicit), else $XDG_CONFIG_HOME/sipdbg/config.toml, else
// ~/.config/sipdbg/config.toml; "" when there is no home either. The XDG
// rule holds on every system, macOS included, so that one documented
// place works everywhere. A relative XDG_CONFIG_HOME is ignored, as the
// XDG specification says.
func Path() (path string, explicit bool) {
	if p := os.Getenv("SIPDBG_CONFIG"); p != "" {
		return p, true
	}
	if d := os.Getenv("XDG_CONFIG_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "sipdbg", "config.toml"), false
	}
	if h, err := os.UserHomeDir(); err == nil && h != "" {
		return filepath.Join(h, ".config", "sipdbg", "config.toml"), false
	}
	return "", false
}

// Load reads the configuration file (see Path). No file at the default
// place gives the defaults; a file SIPDBG_CONFIG names must exist. The
// warnings are things accepted that may not be meant (an action left
// without a key).
func Load() (Config, []string, error) {
	path, explicit := Path()
	if path == "" {
		return Default(), nil, nil
	}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist) && !explicit:
		return Default(), nil, nil
	case errors.Is(err, fs.ErrNotExist):
		return Config{}, nil, &Error{File: path, Msg: "no such file (SIPDBG_CONFIG names it)"}
	case err != nil:
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return Config{}, nil, &Error{File: path, Msg: "cannot read: " + err.Error()}
	}
	return Parse(path, data)
}
