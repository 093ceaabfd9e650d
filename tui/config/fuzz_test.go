package config

import (
	"strings"
	"testing"
)

// FuzzParse: any file is a configuration or one error line naming the
// file; nothing panics, whatever the [aliases], [colors], [[commands]]
// or [keys] hold. A command that parses expands, for any Call-ID, into
// a text where the Call-ID stands in single quotes.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"theme = \"light\"\n[colors]\nerror = \"#ff5f5f\"\nselected = { fg = \"black\", bg = \"11\", bold = true }\n",
		"[aliases]\n\"192.0.2.10\" = \"edge\"\n\"[2001:db8::1]:5060\" = \"core\"\n",
		"[[commands]]\nkey = \"w\"\nrun = \"wireshark -r {pcap}\"\n[[commands]]\nkey = \"ctrl+y\"\nrun = \"printf %s {callid} | xclip\"\n",
		"[keys]\nquit = [\"Q\"]\n[list]\ncolumns = [\"#\", { header = \"User-Agent\", width = 20 }]\n",
		"commands = [{ key = \"x\", run = \"awk '{print $1}' {file}\" }]\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		cfg, _, err := Parse("c.toml", []byte(text))
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "c.toml") {
				t.Fatalf("an error that does not name the file: %q", msg)
			}
			return
		}
		const id = "x';$(touch pwned)`id`\n"
		for _, c := range cfg.Commands {
			line := c.Expand(map[string][]string{"callid": {id}, "file": {"/a b"}, "pcap": {"/p"}})
			if c.Uses("callid") && !strings.Contains(line, Quote(id)) {
				t.Fatalf("%q expanded to %q: the Call-ID is not quoted", c.Run, line)
			}
		}
	})
}
