package main

import (
	"flag"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/creds"
)

// credFlags are the flags that give candidate credentials. There is no
// password flag on purpose: argv is visible to every user of the machine.
type credFlags struct {
	user, passwordEnv, file *string
}

func addCredFlags(fs *flag.FlagSet) credFlags {
	return credFlags{
		user:        fs.String("user", "", "digest username the password is for (default: any)"),
		passwordEnv: fs.String("password-env", "", "name of the environment variable holding the password (or HA1:<hex>)"),
		file:        fs.String("credentials", "", "file of `REALM USER PASSWORD` lines, mode 600 (\"*\" for any realm)"),
	}
}

// load returns the candidates the flags name; with --user alone it asks
// for the password on the terminal, without echo.
func (c credFlags) load() ([]analysis.Credential, error) {
	var out []analysis.Credential
	if *c.file != "" {
		cs, err := creds.File(*c.file)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	if *c.passwordEnv != "" {
		cr, err := creds.FromEnv(*c.user, *c.passwordEnv)
		if err != nil {
			return nil, err
		}
		out = append(out, cr)
	}
	if *c.user != "" && *c.passwordEnv == "" && *c.file == "" {
		cr, err := creds.Prompt(*c.user)
		if err != nil {
			return nil, err
		}
		out = append(out, cr)
	}
	return out, nil
}
