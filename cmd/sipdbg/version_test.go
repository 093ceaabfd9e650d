package main

import (
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersionOf: a clone's build names its commit and the commit's time;
// a release build names the version, commit and build date the release
// set, even when Go also stamped a pseudo-version.
func TestVersionOf(t *testing.T) {
	clone := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"},
		{Key: "vcs.time", Value: "2026-12-07T06:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	cases := []struct {
		name          string
		bi            *debug.BuildInfo
		ver, com, dat string
		want          string
	}{
		{"clone", clone, "", "", "", "(devel) commit 0123456789ab+dirty of 2026-12-07T06:00:00Z go1.26.8"},
		{"release", clone, "1.2.3", "fedcba9876543210", "2026-12-07T07:00:00Z", "1.2.3 commit fedcba987654 built 2026-12-07T07:00:00Z go1.26.8"},
		{"go install", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.0.0"}}, "", "", "", "v1.0.0 go1.26.8"},
		{"nothing", &debug.BuildInfo{}, "", "", "", "(devel)"},
	}
	for _, c := range cases {
		if got := versionOf(c.bi, c.ver, c.com, c.dat); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestVersionFromLdflags builds the binary as the release does and runs
// `sipdbg version`: the -X names must match the variables, or the
// release would print "(devel)".
func TestVersionFromLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := t.TempDir() + "/sipdbg"
	build := exec.Command("go", "build", "-ldflags", "-X main.buildVersion=9.8.7 -X main.buildCommit=abcdef123456 -X main.buildDate=2026-12-07T07:00:00Z", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "sipdbg 9.8.7 commit abcdef123456 built 2026-12-07T07:00:00Z"; !strings.HasPrefix(string(out), want) {
		t.Errorf("sipdbg version: %q, want it to begin %q", out, want)
	}
}
