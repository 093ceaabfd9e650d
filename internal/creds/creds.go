// Package creds reads candidate credentials from the places a password
// may come from: an environment variable, a file only its owner can read,
// or a no-echo prompt. Never from a command-line flag, which `ps` and
// shell history would show. Errors never contain a secret.
//
// It imports only analysis (for its Credential).
package creds

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/sipdbg/sipdbg/analysis"
)

var hexHA1 = regexp.MustCompile(`^[0-9a-fA-F]{32}$|^[0-9a-fA-F]{64}$`)

// secret turns a file or variable value into a Secret: "HA1:<hex>" is an
// HA1 (what servers store, RFC 2617 §3.2.2.2), anything else a password.
func secret(v string) (analysis.Secret, error) {
	if h, ok := strings.CutPrefix(v, "HA1:"); ok {
		if !hexHA1.MatchString(h) {
			return analysis.Secret{}, errors.New("HA1 must be 32 (MD5) or 64 (SHA-256) hex digits")
		}
		return analysis.HA1(h), nil
	}
	return analysis.Password(v), nil
}

// FromEnv reads the secret for user (any realm) from environment variable
// name.
func FromEnv(user, name string) (analysis.Credential, error) {
	v, ok := os.LookupEnv(name)
	if !ok || v == "" {
		return analysis.Credential{}, fmt.Errorf("environment variable %s is not set or empty", name)
	}
	s, err := secret(v)
	if err != nil {
		return analysis.Credential{}, fmt.Errorf("environment variable %s: %v", name, err)
	}
	return analysis.Credential{Realm: "*", User: user, Secret: s}, nil
}

// File reads a credentials file: one "REALM USER PASSWORD" per line ("*"
// for any realm; the password is the rest of the line), # comments. Like
// ssh with its keys, it refuses a file that group or others can read.
func File(path string) ([]analysis.Credential, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("credentials file %s: %w", path, unwrap(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("credentials file %s: %w", path, err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("credentials file %s is readable by others (mode %04o): run chmod 600 %s", path, perm, path)
	}
	return parse(f, path)
}

func parse(r io.Reader, path string) ([]analysis.Credential, error) {
	var out []analysis.Credential
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) < 3 {
			return nil, fmt.Errorf("credentials file %s line %d: want REALM USER PASSWORD", path, n)
		}
		pw := strings.TrimSpace(line[strings.Index(line, fields[1])+len(fields[1]):])
		s, err := secret(pw)
		if err != nil {
			return nil, fmt.Errorf("credentials file %s line %d: %v", path, n, err)
		}
		out = append(out, analysis.Credential{Realm: fields[0], User: fields[1], Secret: s})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("credentials file %s: %w", path, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("credentials file %s holds no credentials", path)
	}
	return out, nil
}

func unwrap(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
