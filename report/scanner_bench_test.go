package report

import (
	"bytes"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// BenchmarkScannerReport is sipdbg report --json on a scanner-shaped
// capture: 100,000 INVITE → 401 calls from one source, never answered.
// It reports the load and the report apart, and their ratio
// (report/load): issue 22 asks for the report within 3× the load, where
// every unanswered challenge once looked for its retry in every call that
// followed (92 s for 80,000 calls).
func BenchmarkScannerReport(b *testing.B) {
	c := pcaptest.New(layers.LinkTypeEthernet)
	c.Step = 500 * time.Microsecond
	src, dst := pcaptest.Addr("203.0.113.9:5070"), pcaptest.Addr("192.0.2.1:5060")
	for i := range 100000 {
		n := strconv.Itoa(i)
		branch := "z9hG4bK" + n
		c.Add(pcaptest.UDP(src, dst, pcaptest.Request("INVITE", "scan"+n, branch, 1, "")))
		res := pcaptest.Response(401, "Unauthorized", "INVITE", "scan"+n, branch, 1, "")
		res = bytes.Replace(res, []byte("Content-Length: 0"), []byte("WWW-Authenticate: Digest realm=\"x\", nonce=\"n"+n+"\"\r\nContent-Length: 0"), 1)
		c.Add(pcaptest.UDP(dst, src, res))
	}
	file := c.Bytes()
	var load, rep time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		r, err := capture.NewReader(bytes.NewReader(file), "scan.pcap", int64(len(file)))
		if err != nil {
			b.Fatal(err)
		}
		s := session.NewStore()
		if err := pipeline.LoadConcurrent(r, s); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if err := JSON(io.Discard, nil, s, analysis.Options{}); err != nil {
			b.Fatal(err)
		}
		load, rep = load+mid.Sub(start), rep+time.Since(mid)
	}
	b.ReportMetric(load.Seconds()/float64(b.N), "load-s")
	b.ReportMetric(rep.Seconds()/float64(b.N), "report-s")
	b.ReportMetric(rep.Seconds()/load.Seconds(), "report/load")
}
