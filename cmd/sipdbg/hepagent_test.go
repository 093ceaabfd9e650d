package main

import (
	"strings"
	"testing"
)

// Messages that came over HEP name the agent that sent them (its capture
// id), in the text and the JSON; others do not.
func TestReportNamesTheHEPAgent(t *testing.T) {
	code, out, _ := sipdbg(t, nil, "report", fixturePath(t, "hep3.pcap"))
	if code != 0 || strings.Count(out, "[HEP agent 2001]") != 20 {
		t.Errorf("text: exit %d, %d messages labelled\n%s", code, strings.Count(out, "[HEP agent 2001]"), out)
	}
	code, out, _ = sipdbg(t, nil, "report", "--json", fixturePath(t, "hep3.pcap"))
	if code != 0 || strings.Count(out, `"hep_agent":2001`) != 20 {
		t.Errorf("JSON: exit %d, %d messages labelled", code, strings.Count(out, `"hep_agent":2001`))
	}
	_, out, _ = sipdbg(t, nil, "report", "--json", fixturePath(t, "sll2-register-auth.pcap"))
	if strings.Contains(out, "hep_agent") {
		t.Error("a captured (not HEP) message names a HEP agent")
	}
}
