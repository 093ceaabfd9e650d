package creds

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/term"

	"github.com/sipdbg/sipdbg/analysis"
)

// Prompt asks for user's password on the controlling terminal without
// echo. It uses /dev/tty, so it works while standard input carries a
// capture.
func Prompt(user string) (analysis.Credential, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return analysis.Credential{}, errors.New("no terminal to ask for the password on: use --password-env VAR or --credentials FILE")
	}
	defer tty.Close()
	fmt.Fprintf(tty, "Password for %s (not echoed): ", user)
	pw, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return analysis.Credential{}, fmt.Errorf("reading the password: %v", err)
	}
	if len(pw) == 0 {
		return analysis.Credential{}, errors.New("empty password")
	}
	return analysis.Credential{Realm: "*", User: user, Secret: analysis.Password(string(pw))}, nil
}
