package session_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/sipdbg/sipdbg/internal/testkit/authlab"

	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/session"
)

// TestLabFixtures loads the captures made by testdata/lab/regen-fixtures.sh
// with Kamailio, SIPp, tcpdump and the kernel, and checks the counts that
// tshark (or, for HEP, construction) gave in expected.json.
func TestLabFixtures(t *testing.T) {
	dir := filepath.Join(testenv.Root(t), "testdata", "captures")
	raw, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Fixtures []struct {
			File     string `json:"file"`
			LinkType int    `json:"linktype"`
			SIPMsgs  int    `json:"sip_msgs"`
			CallIDs  int    `json:"call_ids"`
		} `json:"fixtures"`
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	if len(exp.Fixtures) < 7 {
		t.Fatalf("%d fixtures listed", len(exp.Fixtures))
	}
	for _, f := range exp.Fixtures {
		t.Run(f.File, func(t *testing.T) {
			s := loadStore(t, filepath.Join(dir, f.File))
			if st := s.Stats(); st.Messages != f.SIPMsgs || st.Calls != f.CallIDs || st.Undecodable != 0 {
				t.Errorf("%d messages, %d calls, %d undecodable; want %d, %d, 0", st.Messages, st.Calls, st.Undecodable, f.SIPMsgs, f.CallIDs)
			}
		})
	}
}

func loadStore(t *testing.T, path string) *session.Store {
	t.Helper()
	s, err := authlab.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fixture(t *testing.T, name string) *session.Store {
	return loadStore(t, filepath.Join(testenv.Root(t), "testdata", "captures", name))
}

func TestFixtureSLL2(t *testing.T) {
	s := fixture(t, "sll2-register-auth.pcap")
	c := s.Calls()
	if len(c) != 2 || c[0].Method != "REGISTER" || c[0].State != session.StateRegistered || c[1].Method != "INVITE" || c[1].State != session.StateCompleted {
		t.Fatalf("calls %v / %v", c[0].State, c[1].State)
	}
	// The INVITE's 407 was ACKed in its transaction (same branch, §17.1.1.3).
	tx := c[1].Txs[0]
	if tx.Final != 407 || tx.ACK < 0 {
		t.Errorf("first INVITE transaction %+v", tx)
	}
}

func TestFixtureSeveralMessagesInOneSegment(t *testing.T) {
	s := fixture(t, "tcp-multi-per-segment.pcap")
	same := map[int32]int{}
	for i := 0; i < s.Len(); i++ {
		same[s.Msg(i).Packet]++
	}
	most := 0
	for _, n := range same {
		most = max(most, n)
	}
	if most != 3 {
		t.Errorf("at most %d messages share a packet, want 3 (one segment held three)", most)
	}
}

func TestFixtureWebSocketAndHEP(t *testing.T) {
	ws := fixture(t, "ws-masked.pcap")
	for i := 0; i < ws.Len(); i++ {
		if m := ws.Msg(i); m.Transport != session.WS || m.Err() != "" {
			t.Errorf("message %d: transport %v err %q", i, m.Transport, m.Err())
		}
	}
	for _, name := range []string{"hep3.pcap", "hep3-compressed.pcap"} {
		s := fixture(t, name)
		for i := 0; i < s.Len(); i++ {
			m := s.Msg(i)
			if !m.Has(session.FlagHEP) || (m.Src().Port() != 5090 && m.Dst().Port() != 5090) || m.Src().Port() == 9060 {
				t.Errorf("%s message %d: HEP %v, %v → %v (want the inner addresses)", name, i, m.Has(session.FlagHEP), m.Src(), m.Dst())
			}
		}
	}
}

func TestFixtureIPv6Fragments(t *testing.T) {
	s := fixture(t, "ipv6-frag-udp.pcap")
	st := s.Stats()
	if st.Decoder.Reassembled != 1 || st.Decoder.Fragments != 3 || !s.Msg(0).Src().Addr().Is6() || len(s.Msg(0).Raw()) < 3000 {
		t.Errorf("reassembled %d of %d fragments; first message %d bytes from %v", st.Decoder.Reassembled, st.Decoder.Fragments, len(s.Msg(0).Raw()), s.Msg(0).Src())
	}
}
