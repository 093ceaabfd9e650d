package gen_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/gen"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

func generate(t testing.TB, cfg gen.Config) ([]byte, *gen.Report) {
	t.Helper()
	var buf bytes.Buffer
	rep, err := gen.Generate(&buf, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if int64(buf.Len()) != rep.Bytes {
		t.Fatalf("wrote %d bytes, report says %d", buf.Len(), rep.Bytes)
	}
	return buf.Bytes(), rep
}

// TestPipelineCountsWhatWasGenerated loads a generated capture and checks
// that the store finds exactly what the generator reports.
func TestPipelineCountsWhatWasGenerated(t *testing.T) {
	data, rep := generate(t, gen.Config{Seed: 7, Messages: 20000})
	if rep.SIPMessages < 20000 || rep.Malformed == 0 || rep.Retransmissions == 0 || rep.SplitMessages == 0 ||
		rep.TCPMessages == 0 || rep.RegistrationsFailed == 0 || rep.Cancelled == 0 || rep.Busy == 0 {
		t.Fatalf("the capture lacks a feature the test relies on: %+v", rep)
	}
	r, err := capture.NewReader(bytes.NewReader(data), "gen", int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		t.Fatal(err)
	}
	st := s.Stats()
	d := st.Decoder
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"frames", d.Frames, rep.Packets},
		{"SIP messages (store)", s.Len(), rep.SIPMessages},
		{"SIP messages (decoder)", d.SIPMessages, rep.SIPMessages},
		{"calls (Call-IDs)", st.Calls, rep.Calls},
		{"retransmissions", st.Retransmissions, rep.Retransmissions},
		// Each malformed packet gives exactly one record: a truncated IPv4
		// header ("IPv4 header truncated"), a text payload on port 5060
		// ("does not start with a SIP request or status line"). STUN
		// binding requests are binary, so the decoder only counts them as
		// non-SIP, and CRLF keep-alives as keep-alives: neither is
		// undecodable. Nothing else may be: TCP streams start with their
		// SYN, have no holes and end with FIN after complete messages.
		{"undecodable (store)", st.Undecodable, rep.Malformed},
		{"undecodable (decoder)", d.Undecodable, rep.Malformed},
		{"non-SIP payloads", d.NonSIP, rep.STUN + rep.Garbage},
		{"keep-alives", d.Keepalives, rep.Keepalives},
		{"TCP segments", d.TCPSegments, rep.TCPSegments},
		{"TCP retransmitted segments", d.TCPRetrans, 0},
		{"TCP gaps", d.TCPGaps, 0},
		{"IP fragments", d.Fragments, 0},
	} {
		if c.got != c.want {
			t.Errorf("%s: pipeline counts %d, generator wrote %d", c.what, c.got, c.want)
		}
	}
	var truncIP, junk int
	for _, u := range s.Undecodables() {
		switch {
		case strings.HasPrefix(u.Reason, "IPv4 header truncated"):
			truncIP++
		case strings.Contains(u.Reason, "does not start with a SIP request or status line"):
			junk++
		default:
			t.Errorf("unexpected undecodable record, packet %d: %s", u.Packet, u.Reason)
		}
	}
	if truncIP != rep.TruncatedIP || junk != rep.Garbage {
		t.Errorf("undecodable records: %d truncated IP, %d junk; generated %d and %d", truncIP, junk, rep.TruncatedIP, rep.Garbage)
	}

	var udp, tcp int
	for i := 0; i < s.Len(); i++ {
		m := s.Msg(i)
		switch m.Transport {
		case session.UDP:
			udp++
		case session.TCP:
			tcp++
		}
		if m.Err() != "" {
			t.Fatalf("message %d (packet %d) is malformed: %s\n%s", i, m.Packet, m.Err(), m.Raw())
		}
		if i > 0 && m.TimeNs < s.Msg(i-1).TimeNs {
			t.Fatalf("message %d goes back in time", i)
		}
	}
	if udp != rep.UDPMessages || tcp != rep.TCPMessages {
		t.Errorf("transports: %d UDP, %d TCP; generated %d and %d", udp, tcp, rep.UDPMessages, rep.TCPMessages)
	}

	// The wrong passwords are the authentication failures the analysis
	// reports: each attempt ends in a 403 right after credentials, and a
	// REGISTER with a wrong password is challenged again first. (Call
	// states cannot be compared: a UA keeps its registration Call-ID, so
	// a failed registration and a later successful one share a call.)
	forbidden, rejected := 0, 0
	for _, c := range s.Calls() {
		for _, f := range analysis.Diagnose(s, c, analysis.Options{}) {
			switch f.Code {
			case analysis.CodeForbiddenAfterAuth:
				forbidden++
			case analysis.CodeCredentialsRejected:
				rejected++
			}
		}
	}
	if want := rep.RegistrationsFailed + rep.InviteAuthFailed; forbidden != want {
		t.Errorf("%d forbidden-after-auth findings; generated %d wrong passwords", forbidden, want)
	}
	if rejected != rep.RegistrationsFailed {
		t.Errorf("%d credentials-rejected findings; generated %d REGISTERs with a wrong password", rejected, rep.RegistrationsFailed)
	}
}

// TestFramesAreWellFormed decodes every frame with gopacket: lengths and
// checksums must be right, and time must never go back.
func TestFramesAreWellFormed(t *testing.T) {
	data, rep := generate(t, gen.Config{Seed: 3, Messages: 5000, Nanos: true})
	r, err := pcapgo.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if r.LinkType() != layers.LinkTypeEthernet || r.Resolution() != gopacket.TimestampResolutionNanosecond {
		t.Fatalf("link type %v, resolution %v", r.LinkType(), r.Resolution())
	}
	n, truncated := 0, 0
	var last int64
	for {
		frame, ci, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if ns := ci.Timestamp.UnixNano(); ns < last {
			t.Fatalf("frame %d goes back in time", n)
		} else {
			last = ns
		}
		if len(frame) < 14+20 {
			truncated++
			continue
		}
		p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
		ip, _ := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		if ip == nil {
			t.Fatalf("frame %d: no IPv4 layer", n)
		}
		if int(ip.Length) != len(frame)-14 {
			t.Fatalf("frame %d: IPv4 total length %d for %d bytes", n, ip.Length, len(frame)-14)
		}
		if got := ipChecksum(frame[14:34]); got != 0 {
			t.Fatalf("frame %d: IPv4 header checksum does not verify", n)
		}
		switch l := p.TransportLayer().(type) {
		case *layers.UDP:
			if int(l.Length) != len(frame)-34 {
				t.Fatalf("frame %d: UDP length %d for %d bytes", n, l.Length, len(frame)-34)
			}
		case *layers.TCP:
			// Summed with its checksum field, a correct segment folds to 0.
			_ = l.SetNetworkLayerForChecksum(ip)
			if got, err := l.ComputeChecksum(); err != nil || got != 0 {
				t.Fatalf("frame %d: TCP checksum %04x does not verify (%04x, %v)", n, l.Checksum, got, err)
			}
		default:
			t.Fatalf("frame %d: no UDP or TCP layer", n)
		}
	}
	if n != rep.Packets || truncated != rep.TruncatedIP {
		t.Errorf("%d frames (%d without IPv4), report says %d (%d)", n, truncated, rep.Packets, rep.TruncatedIP)
	}
}

func ipChecksum(h []byte) uint16 {
	var s uint32
	for i := 0; i < len(h); i += 2 {
		s += uint32(h[i])<<8 | uint32(h[i+1])
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

func TestDeterministic(t *testing.T) {
	a, ra := generate(t, gen.Config{Seed: 42, Messages: 3000})
	b, rb := generate(t, gen.Config{Seed: 42, Messages: 3000})
	c, _ := generate(t, gen.Config{Seed: 43, Messages: 3000})
	if sha256.Sum256(a) != sha256.Sum256(b) || *ra != *rb {
		t.Error("the same seed gave different captures")
	}
	if bytes.Equal(a, c) {
		t.Error("different seeds gave the same capture")
	}
}

func TestSizeTarget(t *testing.T) {
	const target = 4 << 20
	_, rep := generate(t, gen.Config{Seed: 1, Size: target})
	// No scenario starts once the target is reached: the file ends within
	// one scenario (a few KB) of it.
	if rep.Bytes < target || rep.Bytes > target+64<<10 {
		t.Errorf("%d bytes for a target of %d", rep.Bytes, target)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1G": 1 << 30, "200M": 200 << 20, "1.5k": 1536, "65536": 65536, "2GiB": 2 << 30, "10MB": 10 << 20} {
		if got, err := gen.ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "x", "-1G", "1Q"} {
		if _, err := gen.ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}

// BenchmarkGenerate measures the generator alone, into io.Discard.
func BenchmarkGenerate(b *testing.B) {
	var rep *gen.Report
	for b.Loop() {
		var err error
		if rep, err = gen.Generate(io.Discard, gen.Config{Seed: 1, Size: 64 << 20}); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(rep.Bytes)
	b.ReportMetric(float64(rep.SIPMessages*b.N)/b.Elapsed().Seconds(), "msgs/s")
}
