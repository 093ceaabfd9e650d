package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
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

// TestVersionFromLdflags builds the binary with the release's own
// -ldflags, read from .goreleaser.yaml with its templates filled in, and
// runs `sipdbg version`: a -X name that matches no variable is silently
// ignored by the linker, and the release would print "(devel)".
func TestVersionFromLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	yaml, err := os.ReadFile(filepath.Join(testenv.Root(t), ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?m)^\s*- (-s -w -X main\..*)$`).FindSubmatch(yaml)
	if line == nil {
		t.Fatal(".goreleaser.yaml: no ldflags line with -X main.… found")
	}
	ldflags := strings.NewReplacer("{{ .Version }}", "9.8.7", "{{ .Commit }}", "abcdef1234567890", "{{ .Date }}", "2026-12-07T07:00:00Z").Replace(string(line[1]))
	if strings.Contains(ldflags, "{{") {
		t.Fatalf("a template this test does not fill: %s", ldflags)
	}
	bin := filepath.Join(t.TempDir(), "sipdbg")
	if out, err := exec.Command("go", "build", "-ldflags", ldflags, "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build -ldflags %q: %v\n%s", ldflags, err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "sipdbg 9.8.7 commit abcdef123456 built 2026-12-07T07:00:00Z"; !strings.HasPrefix(string(out), want) {
		t.Errorf("sipdbg version: %q, want it to begin %q", out, want)
	}
}
