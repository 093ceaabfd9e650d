package main

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ha1s are the HA1 values a password gives for a user in a realm, with
// each algorithm: as good as the password for any challenge of that
// realm, so no output may show them either.
func ha1s(user, realm, pw string) []string {
	in := user + ":" + realm + ":" + pw
	m, s := md5.Sum([]byte(in)), sha256.Sum256([]byte(in))
	return []string{hex.EncodeToString(m[:]), hex.EncodeToString(s[:])}
}

// TestPasswordsNeverPrinted runs every output of report with candidate
// passwords given by variable and by file, and looks for them and for
// the HA1 they give.
func TestPasswordsNeverPrinted(t *testing.T) {
	const pw, filePW = "bobpw", "alice-file-secret"
	secrets := append([]string{pw, filePW}, append(ha1s("bob", "sipdbg.test", pw), ha1s("alice", "sipdbg.test", filePW)...)...)
	t.Setenv("SIPDBG_PW", pw)
	credFile := filepath.Join(t.TempDir(), "creds")
	os.WriteFile(credFile, []byte("sipdbg.test alice "+filePW+"\n"), 0o600)
	capture := fixturePath(t, "sll2-register-auth.pcap")
	runs := [][]string{
		{"report", "--user", "bob", "--password-env", "SIPDBG_PW", capture},
		{"report", "--explain", "--user", "bob", "--password-env", "SIPDBG_PW", "--credentials", credFile, capture},
		{"report", "--json", "--user", "bob", "--password-env", "SIPDBG_PW", "--credentials", credFile, capture},
	}
	for _, args := range runs {
		code, out, errs := sipdbg(t, nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if !strings.Contains(out, "password-match") {
			t.Errorf("%v: no password verification in the output", args)
		}
		for _, secret := range secrets {
			if strings.Contains(out, secret) || strings.Contains(errs, secret) {
				t.Errorf("%v: the secret %q (a password or its HA1) appears in the output", args, secret)
			}
		}
	}
	// An HA1 given as the secret (HA1:<hex>) is used, and never echoed.
	bobHA1 := ha1s("bob", "sipdbg.test", pw)[0]
	t.Setenv("SIPDBG_HA1", "HA1:"+bobHA1)
	for _, args := range [][]string{
		{"report", "--explain", "--user", "bob", "--password-env", "SIPDBG_HA1", capture},
		{"report", "--json", "--user", "bob", "--password-env", "SIPDBG_HA1", capture},
	} {
		code, out, errs := sipdbg(t, nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if !strings.Contains(out, "password-match") {
			t.Errorf("%v: the HA1 given was not checked against the captured digest", args)
		}
		if strings.Contains(strings.ToLower(out+errs), bobHA1) {
			t.Errorf("%v: the HA1 given appears in the output", args)
		}
	}
	// The password of one realm found in another realm's answer is named
	// by its realm, never shown.
	twoRealms := filepath.Join(t.TempDir(), "two")
	os.WriteFile(twoRealms, []byte("edge.test alice alicepw\ncore.test alice corepw\n"), 0o600)
	phone := filepath.Join("..", "..", "testdata", "captures", "clients", "phones-baresip-two-realms-one-password.pcap")
	for _, args := range [][]string{
		{"report", "--explain", "--credentials", twoRealms, phone},
		{"report", "--json", "--credentials", twoRealms, phone},
		{"report", "--summary", "--credentials", twoRealms, phone},
	} {
		code, out, errs := sipdbg(t, nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if !strings.Contains(out, "realm-password-reused") {
			t.Errorf("%v: no realm-password-reused in the output", args)
		}
		for _, secret := range []string{"alicepw", "corepw"} {
			if strings.Contains(out, secret) || strings.Contains(errs, secret) {
				t.Errorf("%v: the password %q appears in the output", args, secret)
			}
		}
	}
	// Errors about credentials must not echo them either.
	os.Chmod(credFile, 0o644)
	code, out, errs := sipdbg(t, nil, "report", "--credentials", credFile, capture)
	if code != exitUsage || !strings.Contains(errs, "chmod 600") || strings.Contains(out+errs, filePW) {
		t.Errorf("open credentials file: exit %d, %q", code, errs)
	}
	code, _, errs = sipdbg(t, nil, "report", "--password-env", "SIPDBG_NOT_SET", capture)
	if code != exitUsage || !strings.Contains(errs, "SIPDBG_NOT_SET") {
		t.Errorf("unset variable: exit %d, %q", code, errs)
	}
}

func TestNoPasswordFlag(t *testing.T) {
	code, _, errs := sipdbg(t, nil, "report", "--password", "x", fixturePath(t, "sll2-register-auth.pcap"))
	if code != exitUsage || !strings.Contains(errs, "flag provided but not defined: -password") {
		t.Errorf("exit %d, %q", code, errs)
	}
}
