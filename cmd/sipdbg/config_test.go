package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain keeps the tests from reading the configuration file of
// whoever runs them: each test that wants one writes its own.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sipdbg-config")
	if err == nil {
		os.Setenv("XDG_CONFIG_HOME", dir)
		os.Unsetenv("SIPDBG_CONFIG")
		os.Unsetenv("SSLKEYLOGFILE") // nor the key log of their browser
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// writeConfig points SIPDBG_CONFIG at a file holding text.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SIPDBG_CONFIG", path)
	return path
}

// TestDefaultCredentialsFile: the configuration's credentials file is
// used when no flag gives credentials, with --credentials' checks; a
// flag replaces it; the password is never printed.
func TestDefaultCredentialsFile(t *testing.T) {
	const filePW = "alicepw" // alice's password in the capture
	credFile := filepath.Join(t.TempDir(), "creds")
	os.WriteFile(credFile, []byte("sipdbg.test alice "+filePW+"\n"), 0o644)
	writeConfig(t, "credentials = \""+credFile+"\"\n")
	capture := fixturePath(t, "sll2-register-auth.pcap")

	code, out, errs := sipdbg(t, nil, "report", capture)
	if code != exitUsage || !strings.Contains(errs, credFile) || !strings.Contains(errs, "chmod 600") || strings.Contains(out+errs, filePW) {
		t.Errorf("default file readable by others: exit %d, %q", code, errs)
	}
	if strings.Count(strings.TrimSpace(errs), "\n") != 0 {
		t.Errorf("more than one line: %q", errs)
	}
	// A flag replaces the default: the bad file is not even read.
	t.Setenv("SIPDBG_PW", "bobpw")
	if code, _, errs := sipdbg(t, nil, "report", "--user", "bob", "--password-env", "SIPDBG_PW", capture); code != 0 {
		t.Errorf("with a flag: exit %d, %q", code, errs)
	}
	os.Chmod(credFile, 0o600)
	code, out, errs = sipdbg(t, nil, "report", capture)
	if code != 0 || !strings.Contains(out, "password-match") || strings.Contains(out+errs, filePW) {
		t.Errorf("default file 0600: exit %d, stderr %q, password checked %v", code, errs, strings.Contains(out, "password-match"))
	}
	// A default file that does not exist is no error.
	writeConfig(t, "credentials = \"no-such-file\"\n")
	if code, out, errs := sipdbg(t, nil, "report", capture); code != 0 || errs != "" || strings.Contains(out, "password-match") {
		t.Errorf("missing default file: exit %d, %q", code, errs)
	}
}

// TestBadConfigStopsEverything: a mistake in the file is one line on
// stderr, exit 2, and the interface does not start.
func TestBadConfigStopsEverything(t *testing.T) {
	path := writeConfig(t, "[list]\ncolumns = [\"#\", \"Fromm\"]\n")
	want := "sipdbg: " + path + ":2: unknown column \"Fromm\" (known: #, Time, Method, From, To, Msgs, Source, Destination, Tr, State, Verdict, Codec, Media, Status, or hdr:NAME for a SIP header)\n"
	capture := fixturePath(t, "sll2-register-auth.pcap")
	for _, run := range []func() (int, string, string){
		func() (int, string, string) { return sipdbg(t, nil, "report", capture) },
		func() (int, string, string) {
			var out, errb strings.Builder
			return runInteractive([]string{capture}, strings.NewReader(""), &out, &errb), out.String(), errb.String()
		},
		func() (int, string, string) { return sipdbg(t, []byte("INVITE sip:x SIP/2.0\r\n\r\n"), "paste") },
	} {
		if code, out, errs := run(); code != exitUsage || out != "" || errs != want {
			t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
		}
	}
	// Warnings (about keys) go to stderr for the interface, which goes
	// on (here to a file that does not exist); report has no keys.
	path = writeConfig(t, "[keys]\nfollow = []\n")
	var out, errb strings.Builder
	code := runInteractive([]string{"no-such.pcap"}, strings.NewReader(""), &out, &errb)
	if want := "sipdbg: " + path + ":2: warning: keys.follow has no key: the action is off\n"; code != exitUsage || !strings.HasPrefix(errb.String(), want) || !strings.Contains(errb.String(), "no-such.pcap") {
		t.Errorf("warning: exit %d, %q; want %q first", code, errb.String(), want)
	}
	if code, _, errs := sipdbg(t, nil, "report", capture); code != 0 || errs != "" {
		t.Errorf("report with a warning: exit %d, %q", code, errs)
	}
}
