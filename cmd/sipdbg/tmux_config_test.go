package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAliasesAndColoursInTmux: a configuration's [aliases] and [colors]
// reach a real terminal through the binary. The demo's call 2 goes from
// 127.0.0.1:5194 to 127.0.0.1:5190: the call list's Source and
// Destination and the flow's column heads show the names, and its
// rejected row is drawn in the configured true colour.
func TestAliasesAndColoursInTmux(t *testing.T) {
	dir := t.TempDir()
	bin := buildForTmux(t, dir)
	cfg := filepath.Join(dir, "config.toml")
	conf := `[aliases]
"127.0.0.1:5190" = "edge-proxy"
"127.0.0.1:5194" = "alice-phone"

[colors]
error = "#ff5f5f"
`
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	// TERM and COLORTERM say the terminal takes 24-bit colour, as a user's would.
	tm := startTmux(t, "TERM=xterm-256color COLORTERM=truecolor SIPDBG_CONFIG="+cfg+" "+bin+" demo; sleep 30")
	s := tm.wait("AUTH FAILED")
	row := ""
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, "AUTH FAILED") {
			row = l
		}
	}
	if !strings.Contains(row, "alice-phone") || !strings.Contains(row, "edge-proxy") || strings.Contains(row, "127.0.0.1:519") {
		t.Errorf("the call list's row of call 2 does not name its ends:\n%s", row)
	}
	coloured, _ := tm.run("capture-pane", "-p", "-e", "-t", "e2e")
	if !strings.Contains(coloured, "38;2;255;95;95") {
		t.Errorf("no 24-bit #ff5f5f on the screen:\n%s", coloured)
	}
	tm.keys("j", "Enter")
	s = tm.wait("Call flow")
	head := ""
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "#") && strings.Contains(l, " time ") {
			head = l
		}
	}
	if !strings.Contains(head, "alice-phone") || !strings.Contains(head, "edge-proxy") {
		t.Errorf("the ladder's column heads: %q\n%s", head, s)
	}
}
