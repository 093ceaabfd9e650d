package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestReportAliases: the configuration's [aliases] name the endpoints of
// sipdbg report's text, the entry with a port before the address's; the
// JSON document keeps the addresses; a bad entry stops the command with
// the file and the line.
func TestReportAliases(t *testing.T) {
	writeConfig(t, `
[aliases]
"127.0.0.1:5090" = "zz-edge"
"127.0.0.1:5091" = "zz-bob"
"127.0.0.1" = "zz-lab"
`)
	capture := fixturePath(t, "sll2-register-auth.pcap")
	code, out, errs := sipdbg(t, nil, "report", capture)
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`zz-bob +→ zz-edge +udp  REGISTER sip:sipdbg.test`),
		regexp.MustCompile(`zz-edge +→ zz-lab +udp  SIP/2.0 407 Proxy Authentication Required`), // :5092 by its address's entry
	} {
		if !want.MatchString(out) {
			t.Errorf("report lacks %s:\n%s", want, out)
		}
	}
	// The addresses are gone from the flow (a Request-URI still says
	// one: the message's text is the capture's).
	if bad := regexp.MustCompile(`127\.0\.0\.1:\d+ +→|→ 127\.0\.0\.1`).FindString(out); bad != "" {
		t.Errorf("an address with an alias is still in the flow: %q", bad)
	}
	code, js, errs := sipdbg(t, nil, "report", "--json", capture)
	if code != 0 || errs != "" {
		t.Fatalf("--json: exit %d, stderr %q", code, errs)
	}
	if strings.Contains(js, "zz-") || !strings.Contains(js, `"127.0.0.1:5090"`) {
		t.Errorf("--json: the aliases are in, or the addresses out:\n%.2000s", js)
	}
	path := writeConfig(t, "[aliases]\n\"127.0.0.1\" = \"lab\"\n\"127.0.0.1:5o90\" = \"edge\"\n")
	code, out, errs = sipdbg(t, nil, "report", capture)
	if code == 0 || out != "" || !strings.Contains(errs, path+`:3: aliases: "127.0.0.1:5o90" is no IP address`) {
		t.Errorf("a bad alias: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}
