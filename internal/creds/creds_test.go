package creds

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileParsesAndMasks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "creds")
	body := "# realm user password\nsipdbg.test alice s3cret with spaces\n* bob HA1:0123456789abcdef0123456789ABCDEF\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cs, err := File(path)
	if err != nil || len(cs) != 2 {
		t.Fatalf("%v, %d credentials", err, len(cs))
	}
	if cs[0].Realm != "sipdbg.test" || cs[0].User != "alice" || cs[1].Realm != "*" || cs[1].User != "bob" {
		t.Errorf("parsed %v", cs)
	}
	printed := fmt.Sprintf("%v %+v %#v", cs, cs, cs)
	if strings.Contains(printed, "s3cret") || strings.Contains(printed, "0123456789") {
		t.Errorf("a credential prints its secret: %s", printed)
	}
}

func TestFileRefusesOthersAndNamesLines(t *testing.T) {
	dir := t.TempDir()
	open := filepath.Join(dir, "open")
	os.WriteFile(open, []byte("* alice hunter2\n"), 0o644)
	os.Chmod(open, 0o644)
	if _, err := File(open); err == nil || !strings.Contains(err.Error(), "chmod 600") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("world-readable file: %v", err)
	}
	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte("* alice\nrealm bob HA1:zz-hunter2\n"), 0o600)
	_, err := File(bad)
	if err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("short line: %v", err)
	}
	os.WriteFile(bad, []byte("realm bob HA1:zz-hunter2\n"), 0o600)
	if _, err := File(bad); err == nil || !strings.Contains(err.Error(), "line 1") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("bad HA1: %v", err)
	}
	if _, err := File(filepath.Join(dir, "absent")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("absent: %v", err)
	}
}

func TestFromEnv(t *testing.T) {
	t.Setenv("SIPDBG_TEST_PW", "pw-from-env")
	c, err := FromEnv("alice", "SIPDBG_TEST_PW")
	if err != nil || c.User != "alice" || c.Realm != "*" || c.Secret.IsZero() {
		t.Errorf("%+v %v", c, err)
	}
	if _, err := FromEnv("alice", "SIPDBG_TEST_UNSET_VAR"); err == nil || !strings.Contains(err.Error(), "SIPDBG_TEST_UNSET_VAR") {
		t.Errorf("unset: %v", err)
	}
}
