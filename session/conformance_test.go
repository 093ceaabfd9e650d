package session_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// tsharkCounts is one entry of ../shared/pcaps/tshark-counts.json.
type tsharkCounts struct {
	File    string `json:"file"`
	SIPMsgs int    `json:"sip_msgs"`
	CallIDs int    `json:"call_ids"`
	N401    int    `json:"n401"`
	N407    int    `json:"n407"`
	Auth    int    `json:"auth"`
	PAuth   int    `json:"pauth"`
}

// deliberate lists where sipdbg's counts differ from tshark's on purpose.
var deliberate = map[string]struct {
	counts tsharkCounts
	why    string
}{
	// tshark 4.0 has no HEP dissector; with hep.lua it shows HEP3 but not
	// the SIP inside a compressed chunk. INDEX.md, decompressed by hand: 7
	// distinct messages, each HEP packet sent 3 times, one Call-ID.
	// Of the 21, 6 are 401s and 12 carry Authorization.
	"hep-wireshark__hep3_compressed.pcap.pcapng": {tsharkCounts{SIPMsgs: 21, CallIDs: 1, N401: 6, Auth: 12}, "tshark cannot see SIP in compressed HEP chunks"},
	// tshark also counts the 3 SIP packets quoted inside ICMP errors;
	// they are copies of messages already counted, not messages on the
	// wire, so sipdbg counts them apart (Stats.ICMPQuoted).
	"sip_captures__private-test-sip.pcapng": {tsharkCounts{SIPMsgs: 276, CallIDs: 65, N407: 22, PAuth: 12}, "SIP quoted in ICMP errors is not a message"},
}

func TestConformanceWithTshark(t *testing.T) {
	dir := testenv.SharedPcaps(t)
	raw, err := os.ReadFile(filepath.Join(dir, "tshark-counts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var all []tsharkCounts
	if err := json.Unmarshal(raw, &all); err != nil {
		t.Fatal(err)
	}
	if len(all) < 50 {
		t.Fatalf("only %d captures listed", len(all))
	}
	for _, want := range all {
		t.Run(want.File, func(t *testing.T) {
			st, got := load(t, filepath.Join(dir, want.File))
			if d, ok := deliberate[want.File]; ok {
				t.Logf("deliberate difference from tshark (%d messages, %d Call-IDs): %s", want.SIPMsgs, want.CallIDs, d.why)
				d.counts.File = want.File
				want = d.counts
			}
			if st.Messages != want.SIPMsgs || got.callIDs != want.CallIDs {
				t.Errorf("%d SIP messages and %d Call-IDs, want %d and %d", st.Messages, got.callIDs, want.SIPMsgs, want.CallIDs)
			}
			if want.File == "sip_captures__private-test-sip.pcapng" && st.Decoder.ICMPQuoted != 3 {
				t.Errorf("ICMP errors quoting SIP: %d, want 3", st.Decoder.ICMPQuoted)
			}
			if got.n401 != want.N401 || got.n407 != want.N407 {
				t.Errorf("401s %d and 407s %d, want %d and %d", got.n401, got.n407, want.N401, want.N407)
			}
			if want.File != "nDPI__fuzz-2006-06-26-2594.pcap" && (got.auth != want.Auth || got.pauth != want.PAuth) {
				t.Errorf("Authorization %d and Proxy-Authorization %d, want %d and %d", got.auth, got.pauth, want.Auth, want.PAuth)
			}
		})
	}
}

type counted struct{ callIDs, n401, n407, auth, pauth int }

func load(t *testing.T, path string) (session.Stats, counted) {
	t.Helper()
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		t.Fatalf("load: %v", err)
	}
	var c counted
	for _, call := range s.Calls() {
		if call.CallID != "" {
			c.callIDs++
		}
	}
	for i := 0; i < s.Len(); i++ {
		m := s.Msg(i)
		switch {
		case m.Status == 401:
			c.n401++
		case m.Status == 407:
			c.n407++
		}
		if m.Has(session.FlagAuthorization) {
			c.auth++
		}
		if m.Has(session.FlagProxyAuthorization) {
			c.pauth++
		}
	}
	return s.Stats(), c
}
