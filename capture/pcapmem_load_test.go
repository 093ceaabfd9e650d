//go:build linux

package capture_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/report"
	"github.com/sipdbg/sipdbg/session"
)

// Loading a mapped capture never goes back to the pages it has read: the
// store's lasting keys (Call-IDs, transaction and dialog keys, the call's
// method) are its own copies. Otherwise every page would stay resident
// and the mapping would save nothing. Here a page handed back becomes
// unreadable, so a touch crashes the test: a registration refreshed
// with its Call-ID, transaction after transaction, across megabytes of
// other calls; in a pcap and in a pcapng.
func TestLoadLeavesReadPagesAlone(t *testing.T) {
	c := pcaptest.New(layers.LinkTypeEthernet)
	ua, reg := pcaptest.Addr("10.0.0.1:5060"), pcaptest.Addr("10.0.0.2:5060")
	refresh := func(n int) {
		branch := fmt.Sprintf("z9hG4bKlong%d", n)
		c.Add(pcaptest.UDP(ua, reg, pcaptest.Request("REGISTER", "long-lived@10.0.0.1", branch, n, "")))
		c.Add(pcaptest.UDP(reg, ua, pcaptest.Response(200, "OK", "REGISTER", "long-lived@10.0.0.1", branch, n, "r1")))
	}
	for n := 1; n <= 8; n++ {
		refresh(n)
		for i := 0; i < 3000; i++ { // about 2 MB of other calls
			id, branch := fmt.Sprintf("opt-%d-%d@10.0.0.3", n, i), fmt.Sprintf("z9hG4bKo%d-%d", n, i)
			c.Add(pcaptest.UDP(pcaptest.Addr("10.0.0.3:5060"), reg, pcaptest.Request("OPTIONS", id, branch, 1, "")))
			c.Add(pcaptest.UDP(reg, pcaptest.Addr("10.0.0.3:5060"), pcaptest.Response(200, "OK", "OPTIONS", id, branch, 1, "o")))
		}
	}
	// The same, as pcapng: it maps too.
	files := map[string][]byte{"long.pcap": c.Bytes(), "long.pcapng": asPcapng(t, c.Bytes())}
	for name, data := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			// Every 256 KB, what lies 512 KB behind the reader. Load decodes and
			// groups in one goroutine: nothing is in flight between them.
			r, err := capture.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			capture.ProtectReleased(r, 256<<10, 512<<10)
			defer r.Close()
			s := session.NewStore()
			if err := pipeline.Load(r, s); err != nil {
				t.Fatal(err)
			}
			if s.Len() != 2*8*3001 || len(s.Calls()[0].Txs) != 8 || s.Calls()[0].State != session.StateRegistered {
				t.Fatalf("%d messages; the registration has %d transactions, state %v", s.Len(), len(s.Calls()[0].Txs), s.Calls()[0].State)
			}
		})
	}
}

// asPcapng rewrites a classic pcap as pcapng.
func asPcapng(t *testing.T, pcap []byte) []byte {
	t.Helper()
	r, err := pcapgo.NewReader(bytes.NewReader(pcap))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriter(&buf, r.LinkType())
	if err != nil {
		t.Fatal(err)
	}
	for {
		data, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WritePacket(ci, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Analysing every call of a mapped capture reads nothing from the file:
// what the analysis needs was kept while loading (session/authblock.go).
// Here every page is unreadable once loaded, so a read crashes the test.
func TestAnalysisLeavesTheFileAlone(t *testing.T) {
	path, _, err := gen.File(t.TempDir(), gen.Config{Seed: 5, Messages: 20000})
	if err != nil {
		t.Fatal(err)
	}
	r, err := capture.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	capture.ProtectReleased(r, 256<<10, 512<<10)
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		t.Fatal(err)
	}
	capture.Release(r) // every page, now unreadable
	tally, err := report.Summarise(s, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	challenged := 0
	for _, f := range tally.Findings {
		if f.Code == analysis.CodeChallenge401 || f.Code == analysis.CodeChallenge407 {
			challenged += f.Calls
		}
	}
	if challenged == 0 {
		t.Fatalf("no challenge found: the capture does not exercise the analysis (%+v)", tally.Findings)
	}
}
