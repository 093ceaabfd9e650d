package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/creds"
	"github.com/sipdbg/sipdbg/tui/config"
)

// loadConfig reads the configuration file for a command. A file with a
// mistake is refused whole: its one-line error goes to stderr and ok is
// false, so that the command exits (exitUsage) before anything starts,
// rather than running with half of what the user wrote. The warnings are
// about the interface (keys): printed for it only, and it goes on.
func loadConfig(stderr io.Writer, forUI bool) (cfg config.Config, ok bool) {
	cfg, warnings, err := config.Load()
	if err != nil {
		fmt.Fprintln(stderr, "sipdbg:", err)
		return cfg, false
	}
	for _, w := range warnings {
		if forUI {
			fmt.Fprintln(stderr, "sipdbg:", w)
		}
	}
	return cfg, true
}

// loadCreds returns the candidate credentials of the flags, or, when no
// credential flag at all is given, those of the configuration's default
// file: a flag always wins over the configuration.
func loadCreds(cf credFlags, cfg config.Config) ([]analysis.Credential, error) {
	if *cf.user != "" || *cf.passwordEnv != "" || *cf.file != "" {
		return cf.load()
	}
	return defaultCreds(cfg)
}

// defaultCreds reads the configuration's credentials file, with the
// checks of --credentials (owner-only mode, format). One that does not
// exist is no error: the configuration may name it before it is made.
func defaultCreds(cfg config.Config) ([]analysis.Credential, error) {
	if cfg.Credentials == "" {
		return nil, nil
	}
	cs, err := creds.File(cfg.Credentials)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%v (the default of %s)", err, cfg.File)
	}
	return cs, nil
}
