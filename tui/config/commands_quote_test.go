package config

import (
	"testing"
)

// Placeholders outside quotes pass, whatever quotes come before them;
// one inside the user's own quotes is found.
func TestQuotedPlaceholder(t *testing.T) {
	for run, want := range map[string]string{
		"echo {callid}":                      "",
		"awk '{print $1}' {pcap}":            "",
		`echo "a'b" 'c"d' \' {file}`:         "",
		`printf '%s\n' {callid} | tr -d '"'`: "",
		"echo '' {callid} 'x{{y' {file}":     "",
		"echo '{callid}'":                    "callid",
		`echo "{file}"`:                      "file",
		`echo "x\" {pcap}"`:                  "pcap",
		`echo \{callid}`:                     "callid",
	} {
		if got := quotedPlaceholder(run); got != want {
			t.Errorf("quotedPlaceholder(%q) = %q, want %q", run, got, want)
		}
	}
}

// A placeholder in the user's own quotes would undo sipdbg's quoting: in
// "…" a Call-ID holding $(…) would run. The file is refused at the line.
func TestQuotedPlaceholderRefused(t *testing.T) {
	cases := []parseError{
		{"[[commands]]\nkey = \"w\"\nrun = \"echo '{callid}'\"\n", `c.toml:3: commands: {callid} is inside quotes in "echo '{callid}'": write it bare`},
		{"[[commands]]\nkey = \"w\"\nrun = 'echo \"id: {callid}\"'\n", `c.toml:3: commands: {callid} is inside quotes`},
		{"[[commands]]\nkey = \"w\"\n\nrun = 'echo x \\{pcap}'\n", `c.toml:4: commands: {pcap} is inside quotes`},
	}
	checkParseErrors(t, cases)
}
