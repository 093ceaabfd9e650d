package capture

import (
	"bytes"
	"compress/gzip"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	"github.com/sipdbg/sipdbg/internal/testkit/pcaptest"
	"github.com/sipdbg/sipdbg/siplex"
)

// FuzzPipeline feeds whole capture files (pcap, pcapng, NetMon, gzip)
// through the Reader and the Decoder and checks what comes out. The
// seeds below are also committed under testdata/fuzz/FuzzPipeline, next
// to small real captures.
// sharedSeeds reads the small public captures beside the repository
// (../shared/pcaps, or $SIPDBG_SHARED_PCAPS) as seeds. They are read from
// there, never copied into the repository; absent, there are none.
func sharedSeeds() [][]byte {
	dir := os.Getenv("SIPDBG_SHARED_PCAPS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "pcaps")
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*"))
	var out [][]byte
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil || st.Size() > 8<<10 || strings.HasSuffix(p, ".md") || strings.HasSuffix(p, ".json") {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			out = append(out, b)
		}
	}
	return out
}

func FuzzPipeline(f *testing.F) {
	for _, s := range fuzzPipelineSeeds() {
		f.Add(s.data)
	}
	for _, b := range sharedSeeds() {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), "fuzz", int64(len(data)))
		if err != nil {
			return
		}
		sink := &checkSink{t: t}
		d := NewDecoder(sink)
		for {
			fr, err := r.Next()
			if err != nil {
				break
			}
			sink.frame = fr.Num
			d.Decode(fr)
		}
		d.Flush()
		if st := d.Stats(); st.SIPMessages != sink.msgs {
			t.Fatalf("stats count %d SIP messages, the sink got %d", st.SIPMessages, sink.msgs)
		}
	})
}

// checkSink checks every payload and record as the decoder emits it.
type checkSink struct {
	t     *testing.T
	frame int // number of the frame being decoded
	msgs  int
}

func (c *checkSink) Message(p *Payload) {
	c.t.Helper()
	c.msgs++
	switch {
	case len(p.Data) == 0:
		c.t.Fatalf("empty message from frame %d", p.Packet)
	case !siplex.IsStart(p.Data):
		c.t.Fatalf("message from frame %d does not start with a SIP start line: %q", p.Packet, head(p.Data))
	case p.Packet < 1:
		c.t.Fatalf("message with packet number %d", p.Packet)
	case p.Transport < UDP || p.Transport > WSS:
		c.t.Fatalf("message from frame %d with transport %d", p.Packet, p.Transport)
	}
}

func (c *checkSink) Undecodable(u Undecodable) {
	c.t.Helper()
	if u.Packet < 0 || u.Reason == "" {
		c.t.Fatalf("undecodable record %+v", u)
	}
}

func head(b []byte) []byte { return b[:min(len(b), 80)] }

type namedSeed struct {
	name string
	data []byte
}

// fuzzPipelineSeeds are capture files built in memory: the committed
// corpus holds the same bytes under the same names.
func fuzzPipelineSeeds() []namedSeed {
	udp := pcaptest.New(layers.LinkTypeEthernet)
	udp.Add(pcaptest.UDP(alice, bob, invite("fz-udp")))
	udp.Add(pcaptest.UDP(bob, alice, pcaptest.Response(200, "OK", "INVITE", "fz-udp", "z9hG4bK-fz-udp", 1, "b1")))

	tcp := pcaptest.New(layers.LinkTypeEthernet)
	tcp.Add(pcaptest.TCP(cli, srv, isn, pcaptest.SYN, nil))
	two := cat(msgN(0), []byte("\r\n\r\n"), pcaptest.Request("MESSAGE", "fz-tcp", "z9hG4bK-fz-tcp", 2, "hello"))
	tcp.Add(pcaptest.TCP(cli, srv, isn+1, pcaptest.ACK|pcaptest.PSH, two))

	frag := pcaptest.New(layers.LinkTypeEthernet)
	big := pcaptest.Request("INVITE", "fz-frag", "z9hG4bK-fz-frag", 1, "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n")
	full := pcaptest.UDP(alice, bob, big)
	frags := fragments4(ipPacket(full), 256)
	// The last fragment first and one twice, as a router may deliver them.
	order := append([][]byte{frags[len(frags)-1]}, frags[:len(frags)-1]...)
	order = append(order, frags[1])
	for _, fr := range order {
		frag.Add(cat(full[:14], fr))
	}

	return []namedSeed{
		{"udp_invite_200", udp.Bytes()},
		{"tcp_syn_two_messages", tcp.Bytes()},
		{"ipv4_fragments", frag.Bytes()},
		{"pcapng_raw_ip", pcapngSeed()},
		{"gzip_pcap", gzipped(udp.Bytes())},
	}
}

// pcapngSeed writes a pcapng file with a raw-IP interface (an IPv4 and an
// IPv6 message) and an Ethernet one, so that link types change per packet.
func pcapngSeed() []byte {
	var buf bytes.Buffer
	opts := pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{Application: "sipdbg fuzz seed"}}
	w, err := pcapgo.NewNgWriterInterface(&buf, pcapgo.NgInterface{Name: "raw0", LinkType: layers.LinkTypeRaw, TimestampResolution: 9}, opts)
	if err != nil {
		panic(err)
	}
	eth, err := w.AddInterface(pcapgo.NgInterface{Name: "eth0", LinkType: layers.LinkTypeEthernet, TimestampResolution: 9})
	if err != nil {
		panic(err)
	}
	a6, b6 := pcaptest.Addr("[2001:db8::1]:5060"), pcaptest.Addr("[2001:db8::2]:5060")
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	packets := []struct {
		intf int
		data []byte
	}{
		{0, ipPacket(pcaptest.UDP(alice, bob, pcaptest.Request("REGISTER", "fz-ng", "z9hG4bK-ng1", 1, "")))},
		{0, ipPacket(pcaptest.UDP(b6, a6, pcaptest.Response(401, "Unauthorized", "REGISTER", "fz-ng", "z9hG4bK-ng1", 1, "r1")))},
		{eth, pcaptest.UDP(alice, bob, pcaptest.Request("REGISTER", "fz-ng", "z9hG4bK-ng2", 2, ""))},
	}
	for i, p := range packets {
		ci := gopacket.CaptureInfo{Timestamp: at.Add(time.Duration(i) * time.Millisecond), CaptureLength: len(p.data), Length: len(p.data), InterfaceIndex: p.intf}
		if err := w.WritePacket(ci, p.data); err != nil {
			panic(err)
		}
	}
	if err := w.Flush(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		panic(err)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// Bounds on FuzzTCPStream inputs: one segment must fit in an IPv4 packet.
const (
	maxFuzzStream = 32 << 10
	maxFuzzCuts   = 2048
)

// FuzzTCPStream cuts a byte stream into TCP segments (one per byte of
// cuts, 1 to 256 bytes each, the rest in a last segment) and delivers them
// after a SYN, in an order that order permutes, with some segments
// duplicated or sent again cut differently, then a FIN. Delivered in order
// (order 0), a stream of well-formed SIP messages must give the same
// messages as the whole stream sent in one segment.
func FuzzTCPStream(f *testing.F) {
	for _, s := range fuzzTCPSeeds() {
		f.Add(s.stream, s.cuts, s.order)
	}
	f.Fuzz(func(t *testing.T, stream, cuts []byte, order uint64) {
		stream = stream[:min(len(stream), maxFuzzStream)]
		cuts = cuts[:min(len(cuts), maxFuzzCuts)]
		plan, identity := tcpPlan(stream, cuts, order)
		got := runTCPPlan(plan)
		for _, m := range got.msgs {
			if !siplex.IsStart(m.Data) {
				t.Fatalf("message does not start with a SIP start line: %q", head(m.Data))
			}
			if m.Transport < UDP || m.Transport > WSS {
				t.Fatalf("transport %d", m.Transport)
			}
		}
		if !identity {
			return
		}
		want, ok := splitSIPStream(stream)
		if !ok {
			return
		}
		whole := runTCPPlan([]tcpItem{{data: stream}, {fin: true, off: len(stream)}})
		if !sameData(got.msgs, whole.msgs) {
			t.Fatalf("%d segments gave %d messages %q, one segment gave %d %q; undecodable %+v",
				len(plan)-1, len(got.msgs), got.firstLines(), len(whole.msgs), whole.firstLines(), got.bad)
		}
		if len(whole.msgs) != len(want) {
			t.Fatalf("one segment gave %d messages %q, the stream holds %d; undecodable %+v", len(whole.msgs), whole.firstLines(), len(want), whole.bad)
		}
		for i, m := range whole.msgs {
			if !bytes.Equal(m.Data, want[i]) {
				t.Fatalf("message %d is %q, want %q", i, m.Data, want[i])
			}
		}
	})
}

// tcpItem is one segment of a delivery plan: data at stream offset off,
// or the FIN after the stream.
type tcpItem struct {
	off  int
	data []byte
	fin  bool
}

// tcpPlan cuts stream and orders the segments. identity reports that
// they go in order, each once, the FIN last.
func tcpPlan(stream, cuts []byte, order uint64) (plan []tcpItem, identity bool) {
	off := 0
	for _, c := range cuts {
		if off >= len(stream) {
			break
		}
		end := min(off+int(c)+1, len(stream))
		plan = append(plan, tcpItem{off: off, data: stream[off:end]})
		off = end
	}
	if off < len(stream) {
		plan = append(plan, tcpItem{off: off, data: stream[off:]})
	}
	finItem := tcpItem{off: len(stream), fin: true}
	if order == 0 {
		return append(plan, finItem), true
	}
	rng := rand.New(rand.NewPCG(order, order^0x9e3779b97f4a7c15))
	if order&1 == 1 { // the FIN may come before the data it follows
		plan = append(plan, finItem)
	}
	rng.Shuffle(len(plan), func(i, j int) { plan[i], plan[j] = plan[j], plan[i] })
	for range rng.IntN(len(plan)/4 + 2) {
		var dup tcpItem
		switch {
		case len(stream) == 0:
			continue
		case rng.IntN(2) == 0:
			dup = plan[rng.IntN(len(plan))] // a retransmission
			if dup.fin {
				continue
			}
		default: // a retransmission cut differently: overlaps its neighbours
			a := rng.IntN(len(stream))
			b := min(len(stream), a+1+rng.IntN(300))
			dup = tcpItem{off: a, data: stream[a:b]}
		}
		i := rng.IntN(len(plan) + 1)
		plan = append(plan[:i], append([]tcpItem{dup}, plan[i:]...)...)
	}
	if order&1 == 0 {
		plan = append(plan, finItem)
	}
	identity = true
	next := 0
	for i, it := range plan {
		switch {
		case it.fin:
			identity = identity && i == len(plan)-1 && next == len(stream)
		case it.off != next:
			identity = false
		}
		next += len(it.data)
	}
	return plan, identity
}

// runTCPPlan delivers a SYN and the plan to a fresh Decoder.
func runTCPPlan(plan []tcpItem) *collect {
	c := &collect{}
	d := NewDecoder(c)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	frames := make([][]byte, 0, len(plan)+1)
	frames = append(frames, pcaptest.TCP(cli, srv, isn, pcaptest.SYN, nil))
	for _, it := range plan {
		flags := pcaptest.ACK | pcaptest.PSH
		if it.fin {
			flags = pcaptest.ACK | pcaptest.FIN
		}
		frames = append(frames, pcaptest.TCP(cli, srv, uint32(isn+1+it.off), flags, it.data))
	}
	for i, fr := range frames {
		d.Decode(Frame{Num: i + 1, Time: at.Add(time.Duration(i) * time.Millisecond), Link: layers.LinkTypeEthernet, Data: fr})
	}
	d.Flush()
	return c
}

func sameData(a, b []Payload) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}

// splitSIPStream splits a stream that is nothing but well-formed SIP
// messages (and CR/LF keep-alives between them) into its messages, with
// rules written independently of the decoder's: a start line, header
// lines "token: value" all ending in CRLF or all in LF, an empty line, and
// exactly one Content-Length (or "l") giving the body length. ok is false
// for anything else.
func splitSIPStream(b []byte) (msgs [][]byte, ok bool) {
	for {
		for len(b) > 0 && (b[0] == '\r' || b[0] == '\n') {
			b = b[1:]
		}
		if len(b) == 0 {
			return msgs, true
		}
		n, ok := wellFormedMessage(b)
		if !ok {
			return nil, false
		}
		msgs = append(msgs, b[:n])
		b = b[n:]
	}
}

func wellFormedMessage(b []byte) (int, bool) {
	nl := bytes.IndexByte(b, '\n')
	if nl < 1 {
		return 0, false
	}
	eol := "\n"
	if b[nl-1] == '\r' {
		eol = "\r\n"
	}
	start := b[:nl+1-len(eol)]
	for _, c := range start {
		if c < 0x20 && c != '\t' || c == 0x7f {
			return 0, false
		}
	}
	if !siplex.IsStart(b) {
		return 0, false
	}
	pos := nl + 1
	cl, nCL := 0, 0
	for {
		e := bytes.Index(b[pos:], []byte(eol))
		if e < 0 {
			return 0, false
		}
		line := b[pos : pos+e]
		pos += e + len(eol)
		if len(line) == 0 {
			break
		}
		if bytes.IndexByte(line, '\r') >= 0 || bytes.IndexByte(line, '\n') >= 0 {
			return 0, false
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 1 {
			return 0, false
		}
		name := string(bytes.ToLower(line[:colon]))
		for _, c := range []byte(name) {
			if !siplex.IsToken(c) {
				return 0, false
			}
		}
		if name != "content-length" && name != "l" {
			continue
		}
		nCL++
		v := bytes.Trim(line[colon+1:], " \t")
		if len(v) == 0 || len(v) > 9 {
			return 0, false
		}
		cl = 0
		for _, c := range v {
			if c < '0' || c > '9' {
				return 0, false
			}
			cl = cl*10 + int(c-'0')
		}
	}
	if nCL != 1 || len(b)-pos < cl {
		return 0, false
	}
	return pos + cl, true
}

type tcpSeed struct {
	stream, cuts []byte
	order        uint64
}

// fuzzTCPSeeds are streams of well-formed messages, cut in several ways,
// delivered in order and shuffled.
func fuzzTCPSeeds() []tcpSeed {
	body := func(s string) []byte {
		return pcaptest.Request("MESSAGE", "fz-body-"+s, "z9hG4bK-b"+s, 1, "body "+s+"\r\nsecond line\r\n")
	}
	backToBack := cat(pcaptest.Request("INVITE", "fz-b2b", "z9hG4bK-b2b", 1, "v=0\r\ns=-\r\n"), body("a"), body("b"))
	keepalives := cat([]byte("\r\n\r\n"), msgN(0), []byte("\r\n\r\n"), body("k"), []byte("\r\n"), msgN(1))
	lfOnly := cat(bytes.ReplaceAll(pcaptest.Request("NOTIFY", "fz-lf", "z9hG4bK-lf", 3, "state=ok\n"), []byte("\r\n"), []byte("\n")), msgN(2))
	junk := cat([]byte("xx garbage\r\nmore junk\r\n"), msgN(3), body("j"))
	compact := []byte("SIP/2.0 200 OK\r\nv: SIP/2.0/TCP h;branch=z9hG4bK1\r\ni: c1\r\nf: <sip:a@x>;tag=1\r\nt: <sip:b@x>;tag=2\r\nCSeq: 1 INVITE\r\nl: 3\r\n\r\nabc")
	small := []byte{3, 17, 0, 0, 1, 200, 64, 9, 9, 9, 255, 40, 7}
	ones := bytes.Repeat([]byte{0}, 64)
	return []tcpSeed{
		{backToBack, nil, 0},
		{backToBack, small, 0},
		{backToBack, small, 12345},
		{backToBack, small, 12346}, // shuffled, the FIN last
		{keepalives, []byte{1, 1, 1, 100, 2, 2, 2}, 0},
		{keepalives, small, 0xdeadbeef},
		{lfOnly, ones, 0},
		{lfOnly, small, 7},
		{junk, small, 0},
		{junk, []byte{10, 10, 10}, 2},
		{cat(compact, backToBack), []byte{15, 16, 17, 18, 19, 20}, 0},
	}
}
