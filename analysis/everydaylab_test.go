package analysis_test

import (
	"path/filepath"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// Each capture of the everyday lab (testdata/lab/everyday: SIPp UAC and
// UAS through Kamailio, in network namespaces) is an ordinary flow that
// went fine: early media, 100rel/PRACK, a session-timer re-INVITE, a 302
// redirect, SIP INFO DTMF, MESSAGE and an OPTIONS keepalive, a presence
// subscription, a 40 s call with in-dialog OPTIONS. Its entry expects
// nothing, so any warning or error is a false alarm; none of its absent
// codes may be raised even as info (authlab.CheckFailure). The entries
// were written from tshark before sipdbg ran on the captures.
func TestEverydayLabCaptures(t *testing.T) {
	dir := filepath.Join(testenv.Root(t), "testdata", "captures", "everyday")
	lab, err := authlab.Failures(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(lab.Captures) < 8 {
		t.Fatalf("%d captures in expected.json", len(lab.Captures))
	}
	for _, c := range lab.Captures {
		if len(c.Expect) != 0 {
			t.Errorf("%s: an everyday capture expects nothing, its entry expects %d codes", c.File, len(c.Expect))
		}
		for _, err := range authlab.CheckFailure(dir, c) {
			t.Error(err)
		}
	}
}
