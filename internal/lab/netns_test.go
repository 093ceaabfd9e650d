package lab

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emiago/sipgo"
	"github.com/emiago/sipgo/sip"
	"golang.org/x/sys/unix"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// Ports of the namespace lab's sipgo server: one per transport and
// family, so that a capture filter can name (or drop) each flow.
const (
	netnsUDP4 = 5760
	netnsUDP6 = 5761
	netnsTCP4 = 5762
	netnsTCP6 = 5763
)

// The addresses exist only inside the test's two namespaces, so fixed
// ones cannot clash with the host's (198.18.0.0/15 is set aside for
// benchmarks, fd00::/8 is unique-local).
var (
	netnsClient4 = netip.MustParseAddr("198.18.57.1")
	netnsServer4 = netip.MustParseAddr("198.18.57.2")
	netnsClient6 = netip.MustParseAddr("fd57:5760::1")
	netnsServer6 = netip.MustParseAddr("fd57:5760::2")
)

// netnsIface is the client's end of the veth, where sipdbg captures;
// netnsPeer is the server's end.
const (
	netnsIface = "sdbg-cli"
	netnsPeer  = "sdbg-srv"
)

// wireMsg is one SIP message as the client wrote or read it, or as a
// capture lists it. Fields a source does not give are left empty.
type wireMsg struct {
	FirstLine, CallID, CSeq string
	Src, Dst                netip.AddrPort
	Transport               string
	Packet                  int // frame number in the --write file (captures only)
}

func (m wireMsg) String() string {
	return fmt.Sprintf("%s %s → %s  %q  CSeq %q  Call-ID %q", m.Transport, m.Src, m.Dst, m.FirstLine, m.CSeq, m.CallID)
}

// TestNetnsLiveCapture is the live-capture acceptance test: two network
// namespaces joined by a veth pair, a sipgo server in one, a client in
// the other that writes SIP over UDP/IPv4, UDP/IPv6, TCP/IPv4 and
// TCP/IPv6 (several requests per write(), hence per TCP segment), and
// `sipdbg capture -i` on the client's veth end. Every message the client
// wrote or read must be in the session, in order, with its addresses and
// transport, and the kernel must have dropped nothing. The --write file
// is decoded by tshark as an independent witness.
func TestNetnsLiveCapture(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" || os.Geteuid() != 0 {
		t.Skip("set SIPDBG_LAB=1 and run as root (ip netns, AF_PACKET, tshark) for the namespace capture test")
	}
	for _, tool := range []string{"ip", "tshark"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed: %v", tool, err)
		}
	}
	bin := buildSipdbg(t)
	start := time.Now() // the build is not counted: a cold cache makes it slow
	cli, srv := newNetnsPair(t)
	startNetnsServer(t, srv)

	// Both directions of every flow cross the veth; the server ports
	// name them all. Two captures at once: one keeps the file and prints
	// the kernel's drop count, the other prints the live session's
	// report.
	filter := fmt.Sprintf("port %d or port %d or port %d or port %d", netnsUDP4, netnsUDP6, netnsTCP4, netnsTCP6)
	file := filepath.Join(t.TempDir(), "netns.pcapng")
	keeper := startNetnsCapture(t, bin, cli, "--write", file, filter)
	live := startNetnsCapture(t, bin, cli, "--report", filter)

	var sent []wireMsg // the client's log: every message written or read, in order
	flows := []struct {
		name      string
		transport string
		local     netip.Addr
		server    netip.AddrPort
	}{
		{"udp4", "udp", netnsClient4, netip.AddrPortFrom(netnsServer4, netnsUDP4)},
		{"udp6", "udp", netnsClient6, netip.AddrPortFrom(netnsServer6, netnsUDP6)},
		{"tcp4", "tcp", netnsClient4, netip.AddrPortFrom(netnsServer4, netnsTCP4)},
		{"tcp6", "tcp", netnsClient6, netip.AddrPortFrom(netnsServer6, netnsTCP6)},
	}
	for _, f := range flows {
		dialNetnsClient(t, cli, f.transport, f.local, f.server, &sent).run(f.name)
	}
	keeperOut, liveOut := keeper.stop(t), live.stop(t)
	t.Logf("the client wrote and read %d SIP messages; --write capture: %s", len(sent), strings.TrimSpace(keeperOut))

	// The capture that kept the file: totals and kernel drops.
	wantTotals := fmt.Sprintf("%d SIP messages (0 retransmissions)", len(sent))
	if !strings.Contains(keeperOut, wantTotals) || !strings.Contains(keeperOut, ", 0 undecodable") {
		t.Errorf("capture --write printed %q, want %q and 0 undecodable", keeperOut, wantTotals)
	}
	if !strings.Contains(keeperOut, "Kernel drops: 0\n") {
		t.Errorf("capture --write: no %q in %q", "Kernel drops: 0", keeperOut)
	}

	// tshark, on the file sipdbg wrote: the wire as a third party reads it.
	tshark, multi := tsharkSIP(t, file)
	compareWire(t, "tshark on the --write file", tshark, sent, keepAll)
	t.Logf("TCP segments holding two or more SIP messages (tshark): tcp4 %d, tcp6 %d", multi[netnsTCP4], multi[netnsTCP6])
	for _, f := range flows {
		if f.transport == "tcp" && multi[f.server.Port()] == 0 {
			t.Errorf("%s: tshark finds no TCP segment holding two or more SIP messages", f.name)
		}
	}

	// The live session, as `capture --report` printed it.
	compareWire(t, "capture --report (live session)", parseReportText(t, liveOut), sent, noCSeq)
	if !strings.Contains(liveOut, wantTotals) {
		t.Errorf("capture --report totals: want %q in\n%s", wantTotals, lastLines(liveOut, 3))
	}

	// The file read back: `sipdbg report --json` and the session itself
	// (which alone gives the CSeq).
	rep := reportJSON(t, bin, file)
	compareWire(t, "report --json on the --write file", rep, sent, noCSeq)
	if len(rep) == len(tshark) {
		for i := range rep {
			if rep[i].Packet != tshark[i].Packet {
				t.Errorf("message %d (%s): sipdbg says packet %d, tshark frame %d", i+1, rep[i].FirstLine, rep[i].Packet, tshark[i].Packet)
			}
		}
	}
	compareWire(t, "pipeline.Load of the --write file", loadSession(t, file), sent, keepAll)

	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("the lab took %v; keep it under 30 s", d.Round(time.Millisecond))
	}
}

// newNetnsPair creates a client and a server namespace joined by a veth
// pair, with IPv4 and IPv6 addresses on both ends; t.Cleanup deletes
// them (and with them the veth), whatever happens in between.
func newNetnsPair(t *testing.T) (cli, srv string) {
	t.Helper()
	prefix := fmt.Sprintf("sdbg-%d-", os.Getpid())
	cli, srv = prefix+"a", prefix+"b"
	for _, ns := range []string{cli, srv} {
		exec.Command("ip", "netns", "del", ns).Run() // left over by a killed run with the same pid
		ipCmd(t, "netns", "add", ns)
		t.Cleanup(func() {
			if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
				t.Logf("ip netns del %s: %v %s", ns, err, out)
			}
		})
	}
	// Created in the client namespace with its peer in the server's: the
	// veth never appears in the host's namespace.
	ipCmd(t, "-n", cli, "link", "add", netnsIface, "type", "veth", "peer", "name", netnsPeer, "netns", srv)
	for _, e := range []struct {
		ns, dev string
		v4, v6  netip.Addr
	}{{cli, netnsIface, netnsClient4, netnsClient6}, {srv, netnsPeer, netnsServer4, netnsServer6}} {
		ipCmd(t, "-n", e.ns, "link", "set", "lo", "up")
		ipCmd(t, "-n", e.ns, "link", "set", e.dev, "up")
		ipCmd(t, "-n", e.ns, "addr", "add", e.v4.String()+"/24", "dev", e.dev)
		// nodad: usable at once, not after duplicate address detection
		ipCmd(t, "-n", e.ns, "addr", "add", e.v6.String()+"/64", "dev", e.dev, "nodad")
	}
	return cli, srv
}

func ipCmd(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// inNetns runs f on an OS thread switched into the named namespace, so
// that the sockets f opens live there (sockets stay in the namespace
// they were created in, whichever thread uses them later).
func inNetns(ns string, f func() error) error {
	errc := make(chan error, 1)
	go func() {
		// Never unlocked: a thread in another namespace must not run
		// other goroutines; the runtime ends it when this one returns.
		runtime.LockOSThread()
		fd, err := unix.Open(filepath.Join("/var/run/netns", ns), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- err
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}

// startNetnsServer runs a sipgo server in the namespace: OPTIONS,
// REGISTER and BYE get 200, MESSAGE 202, INVITE 180 then 200 (no 100:
// it answers well within sipgo's 200 ms Trying timer), ACK nothing.
func startNetnsServer(t *testing.T, ns string) {
	t.Helper()
	ua, err := sipgo.NewUA(sipgo.WithUserAgent("sipdbg-netns-uas"))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := sipgo.NewServer(ua)
	if err != nil {
		t.Fatal(err)
	}
	answer := func(code int, reason string) sipgo.RequestHandler {
		return func(req *sip.Request, tx sip.ServerTransaction) {
			tx.Respond(sip.NewResponseFromRequest(req, code, reason, nil))
		}
	}
	srv.OnOptions(answer(200, "OK"))
	srv.OnRegister(answer(200, "OK"))
	srv.OnMessage(answer(202, "Accepted"))
	srv.OnBye(answer(200, "OK"))
	srv.OnAck(func(*sip.Request, sip.ServerTransaction) {})
	srv.OnInvite(func(req *sip.Request, tx sip.ServerTransaction) {
		tag := fmt.Sprintf("uas%08x", rand.Uint32())
		for _, r := range []struct {
			code   int
			reason string
		}{{180, "Ringing"}, {200, "OK"}} {
			res := sip.NewResponseFromRequest(req, r.code, r.reason, nil)
			res.To().Params.Add("tag", tag)
			res.AppendHeader(sip.NewHeader("Contact", "<sip:bob@sipdbg.test>"))
			if tx.Respond(res) != nil {
				return
			}
		}
	})

	var udp []net.PacketConn
	var tcp []net.Listener
	err = inNetns(ns, func() error {
		for _, a := range []netip.AddrPort{netip.AddrPortFrom(netnsServer4, netnsUDP4), netip.AddrPortFrom(netnsServer6, netnsUDP6)} {
			c, err := net.ListenPacket("udp", a.String())
			if err != nil {
				return err
			}
			udp = append(udp, c)
		}
		for _, a := range []netip.AddrPort{netip.AddrPortFrom(netnsServer4, netnsTCP4), netip.AddrPortFrom(netnsServer6, netnsTCP6)} {
			l, err := net.Listen("tcp", a.String())
			if err != nil {
				return err
			}
			tcp = append(tcp, l)
		}
		return nil
	})
	t.Cleanup(func() {
		srv.Close()
		ua.Close()
		for _, c := range udp {
			c.Close()
		}
		for _, l := range tcp {
			l.Close()
		}
	})
	if err != nil {
		t.Fatalf("server sockets in %s: %v", ns, err)
	}
	for _, c := range udp {
		go srv.ServeUDP(c)
	}
	for _, l := range tcp {
		go srv.ServeTCP(l)
	}
}

// netnsClient speaks SIP from the client namespace on one socket. It is
// not a sipgo client on purpose: it must own its write() calls (several
// messages in one, one message in several) and log each message exactly
// when it is written or read, so that its log is the order on the wire.
// Messages are parsed with sipgo's parser.
type netnsClient struct {
	t         *testing.T
	transport string
	local     netip.AddrPort
	server    netip.AddrPort
	udp       net.PacketConn
	tcp       net.Conn
	rd        *bufio.Reader
	fromTag   string
	log       *[]wireMsg
}

func dialNetnsClient(t *testing.T, ns, transport string, local netip.Addr, server netip.AddrPort, log *[]wireMsg) *netnsClient {
	t.Helper()
	c := &netnsClient{t: t, transport: transport, server: server, fromTag: fmt.Sprintf("uac%08x", rand.Uint32()), log: log}
	err := inNetns(ns, func() error {
		if transport == "udp" {
			conn, err := net.ListenPacket("udp", netip.AddrPortFrom(local, 0).String())
			if err != nil {
				return err
			}
			c.udp, c.local = conn, conn.LocalAddr().(*net.UDPAddr).AddrPort()
			return nil
		}
		d := net.Dialer{LocalAddr: net.TCPAddrFromAddrPort(netip.AddrPortFrom(local, 0)), Timeout: 3 * time.Second}
		conn, err := d.Dial("tcp", server.String())
		if err != nil {
			return err
		}
		// Go sets TCP_NODELAY: each write() leaves as its own segment.
		c.tcp, c.rd, c.local = conn, bufio.NewReader(conn), conn.LocalAddr().(*net.TCPAddr).AddrPort()
		return nil
	})
	if err != nil {
		t.Fatalf("%s client in %s: %v", transport, ns, err)
	}
	// Also on failure: an open socket keeps its namespace alive.
	t.Cleanup(c.close)
	return c
}

// run plays the flow: over UDP one message per datagram, strictly one
// request at a time; over TCP three requests in one write(), an INVITE
// cut over three writes, then ACK and BYE in one write().
func (c *netnsClient) run(name string) {
	id := func(what string) string { return fmt.Sprintf("%s-%s-%08x@sipdbg.test", name, what, rand.Uint32()) }
	invite := id("invite")
	if c.transport == "udp" {
		c.send(c.request("OPTIONS", id("options"), 1, "", ""))
		c.final()
		c.send(c.request("INVITE", invite, 1, "", netnsSDP(c.local.Addr())))
		tag := toTag(c.t, c.final())
		c.send(c.request("ACK", invite, 1, tag, ""))
		c.send(c.request("MESSAGE", id("message"), 1, "", "hello over "+name))
		c.final()
		c.send(c.request("BYE", invite, 2, tag, ""))
		c.final()
		c.drain()
		return
	}
	c.send(c.request("OPTIONS", id("options"), 1, "", ""),
		c.request("REGISTER", id("register"), 1, "", ""),
		c.request("MESSAGE", id("message"), 1, "", "hello over "+name))
	for range 3 {
		c.final()
	}
	c.sendSplit(c.request("INVITE", invite, 1, "", netnsSDP(c.local.Addr())), 3)
	tag := toTag(c.t, c.final())
	c.send(c.request("ACK", invite, 1, tag, ""), c.request("BYE", invite, 2, tag, ""))
	c.final()
	c.drain()
}

func (c *netnsClient) close() {
	if c.udp != nil {
		c.udp.Close()
	}
	if c.tcp != nil {
		c.tcp.Close()
	}
}

func (c *netnsClient) request(method, callID string, cseq int, toTag, body string) []byte {
	ruri := "sip:bob@" + c.server.String()
	tp := strings.ToUpper(c.transport)
	if c.transport == "tcp" {
		ruri += ";transport=tcp"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s SIP/2.0\r\n", method, ruri)
	fmt.Fprintf(&b, "Via: SIP/2.0/%s %s;branch=z9hG4bK%016x;rport\r\n", tp, c.local, rand.Uint64())
	fmt.Fprintf(&b, "Max-Forwards: 70\r\n")
	fmt.Fprintf(&b, "From: <sip:alice@sipdbg.test>;tag=%s\r\n", c.fromTag)
	if toTag != "" {
		fmt.Fprintf(&b, "To: <sip:bob@sipdbg.test>;tag=%s\r\n", toTag)
	} else {
		fmt.Fprintf(&b, "To: <sip:bob@sipdbg.test>\r\n")
	}
	fmt.Fprintf(&b, "Call-ID: %s\r\nCSeq: %d %s\r\n", callID, cseq, method)
	fmt.Fprintf(&b, "Contact: <sip:alice@%s;transport=%s>\r\n", c.local, c.transport)
	if method == "REGISTER" {
		b.WriteString("Expires: 300\r\n")
	}
	if body != "" {
		ct := "text/plain"
		if method == "INVITE" {
			ct = "application/sdp"
		}
		fmt.Fprintf(&b, "Content-Type: %s\r\n", ct)
	}
	fmt.Fprintf(&b, "User-Agent: sipdbg-netns-uac\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	return []byte(b.String())
}

func netnsSDP(a netip.Addr) string {
	ip := "IP4"
	if a.Is6() {
		ip = "IP6"
	}
	return fmt.Sprintf("v=0\r\no=alice 1 1 IN %[1]s %[2]s\r\ns=-\r\nc=IN %[1]s %[2]s\r\nt=0 0\r\nm=audio 16000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n", ip, a)
}

// send logs the messages, then writes them: over TCP all in one write().
func (c *netnsClient) send(msgs ...[]byte) {
	c.t.Helper()
	for _, m := range msgs {
		*c.log = append(*c.log, c.describe(m, c.local, c.server))
	}
	if c.udp != nil {
		for _, m := range msgs {
			if _, err := c.udp.WriteTo(m, net.UDPAddrFromAddrPort(c.server)); err != nil {
				c.t.Fatal(err)
			}
		}
		return
	}
	if _, err := c.tcp.Write(bytes.Join(msgs, nil)); err != nil {
		c.t.Fatal(err)
	}
}

// sendSplit writes one message over TCP in n pieces, 30 ms apart, so
// that it spans n segments.
func (c *netnsClient) sendSplit(m []byte, n int) {
	c.t.Helper()
	*c.log = append(*c.log, c.describe(m, c.local, c.server))
	for i := range n {
		if i > 0 {
			time.Sleep(30 * time.Millisecond)
		}
		if _, err := c.tcp.Write(m[i*len(m)/n : (i+1)*len(m)/n]); err != nil {
			c.t.Fatal(err)
		}
	}
}

// final reads (and logs) responses up to the final one, which it returns.
func (c *netnsClient) final() []byte {
	c.t.Helper()
	for {
		raw, from, err := c.read(3 * time.Second)
		if err != nil {
			c.t.Fatalf("%s from %s: waiting for a response: %v", c.transport, c.server, err)
		}
		*c.log = append(*c.log, c.describe(raw, from, c.local))
		if res, ok := parseSIP(c.t, raw).(*sip.Response); ok && res.StatusCode >= 200 {
			return raw
		}
	}
}

// drain logs whatever else arrives within 200 ms (a retransmission, a
// late 100 Trying): it is on the wire, so it must be in the capture too.
func (c *netnsClient) drain() {
	for {
		raw, from, err := c.read(200 * time.Millisecond)
		if err != nil {
			return
		}
		*c.log = append(*c.log, c.describe(raw, from, c.local))
	}
}

func (c *netnsClient) read(wait time.Duration) ([]byte, netip.AddrPort, error) {
	if c.udp != nil {
		buf := make([]byte, 65535)
		c.udp.SetReadDeadline(time.Now().Add(wait))
		n, from, err := c.udp.ReadFrom(buf)
		if err != nil {
			return nil, netip.AddrPort{}, err
		}
		return buf[:n], from.(*net.UDPAddr).AddrPort(), nil
	}
	c.tcp.SetReadDeadline(time.Now().Add(wait))
	raw, err := readStreamMessage(c.rd)
	return raw, c.server, err
}

// readStreamMessage reads one SIP message from a stream: headers up to
// the blank line, then Content-Length bytes of body.
func readStreamMessage(rd *bufio.Reader) ([]byte, error) {
	var head bytes.Buffer
	clen := 0
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if head.Len() == 0 && strings.TrimSpace(line) == "" {
			continue // keep-alive CRLFs between messages
		}
		head.WriteString(line)
		if line == "\r\n" || line == "\n" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if n := strings.ToLower(strings.TrimSpace(name)); ok && (n == "content-length" || n == "l") {
			clen, _ = strconv.Atoi(strings.TrimSpace(value))
		}
	}
	body := make([]byte, clen)
	if _, err := io.ReadFull(rd, body); err != nil {
		return nil, err
	}
	return append(head.Bytes(), body...), nil
}

func (c *netnsClient) describe(raw []byte, src, dst netip.AddrPort) wireMsg {
	c.t.Helper()
	msg := parseSIP(c.t, raw)
	first, _, _ := strings.Cut(string(raw), "\r\n")
	m := wireMsg{FirstLine: first, Src: src, Dst: dst, Transport: c.transport}
	if h := msg.CallID(); h != nil {
		m.CallID = h.Value()
	}
	if h := msg.CSeq(); h != nil {
		m.CSeq = fmt.Sprintf("%d %s", h.SeqNo, h.MethodName)
	}
	return m
}

func parseSIP(t *testing.T, raw []byte) sip.Message {
	t.Helper()
	msg, err := sip.ParseMessage(raw)
	if err != nil {
		t.Fatalf("sipgo cannot parse %q: %v", raw, err)
	}
	return msg
}

func toTag(t *testing.T, raw []byte) string {
	t.Helper()
	res, ok := parseSIP(t, raw).(*sip.Response)
	if !ok {
		t.Fatalf("not a response: %q", raw)
	}
	tag, _ := res.To().Params.Get("tag")
	if tag == "" {
		t.Fatalf("no To tag in %q", raw)
	}
	return tag
}

// netnsCapture is a `sipdbg capture` running inside the client namespace.
type netnsCapture struct {
	cmd    *exec.Cmd
	out    syncBuffer
	exited chan struct{} // closed once cmd.Wait has returned (into err)
	err    error
}

// startNetnsCapture starts `sipdbg capture -i sdbg-cli ARGS…` in ns and
// returns once it captures.
func startNetnsCapture(t *testing.T, bin, ns string, args ...string) *netnsCapture {
	t.Helper()
	c := &netnsCapture{exited: make(chan struct{})}
	// --duration is only a backstop: stop sends SIGINT once the client is done.
	c.cmd = exec.Command("ip", append([]string{"netns", "exec", ns, bin, "capture", "-i", netnsIface, "--duration", "25s"}, args...)...)
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.out
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.err = c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		select {
		case <-c.exited:
		default:
			c.cmd.Process.Kill()
			<-c.exited
		}
	})
	// sipdbg capture says on stderr when its filter is on the socket.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		select {
		case <-c.exited:
			t.Fatalf("sipdbg capture %v ended at once: %v\n%s", args, c.err, c.out.String())
		default:
		}
		if strings.Contains(c.out.String(), "sipdbg capture: capturing on interface "+netnsIface) {
			return c
		}
	}
	t.Fatalf("sipdbg capture %v did not say it captures on %s after 5 s\n%s", args, netnsIface, c.out.String())
	return nil
}

// syncBuffer is a bytes.Buffer that the capture's output goroutine fills
// while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// stop lets the last packets reach the ring, interrupts the capture and
// returns what it printed.
func (c *netnsCapture) stop(t *testing.T) string {
	t.Helper()
	time.Sleep(200 * time.Millisecond)
	c.cmd.Process.Signal(os.Interrupt)
	select {
	case <-c.exited:
		if c.err != nil {
			t.Errorf("sipdbg capture: %v\n%s", c.err, c.out.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("sipdbg capture did not stop on SIGINT\n%s", c.out.String())
	}
	return c.out.String()
}

// tsharkSIP lists the SIP messages tshark decodes in the file, in order,
// and counts per server port the frames holding two or more of them.
func tsharkSIP(t *testing.T, file string) ([]wireMsg, map[uint16]int) {
	t.Helper()
	args := []string{"-r", file, "-Y", "sip", "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=|"}
	for _, p := range []int{netnsUDP4, netnsUDP6} {
		args = append(args, "-d", fmt.Sprintf("udp.port==%d,sip", p))
	}
	for _, p := range []int{netnsTCP4, netnsTCP6} {
		args = append(args, "-d", fmt.Sprintf("tcp.port==%d,sip", p))
	}
	for _, f := range []string{"frame.number", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "udp.srcport", "udp.dstport",
		"tcp.srcport", "tcp.dstport", "sip.Request-Line", "sip.Status-Line", "sip.Call-ID", "sip.CSeq"} {
		args = append(args, "-e", f)
	}
	cmd := exec.Command("tshark", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, stderr.String())
	}
	var msgs []wireMsg
	multi := map[uint16]int{}
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if line == "" {
			continue // no SIP at all
		}
		f := strings.Split(line, "\t")
		if len(f) != 13 {
			t.Fatalf("tshark line %q", line)
		}
		frame, _ := strconv.Atoi(f[0])
		src, dst, tp := f[1], f[2], "udp"
		if src == "" {
			src, dst = f[3], f[4]
		}
		sport, dport := f[5], f[6]
		if sport == "" {
			sport, dport, tp = f[7], f[8], "tcp"
		}
		reqs, stats := splitNonEmpty(f[9]), splitNonEmpty(f[10])
		if len(reqs) > 0 && len(stats) > 0 {
			t.Fatalf("frame %d holds both requests and responses; the test cannot order them: %q", frame, line)
		}
		lines := append(reqs, stats...)
		ids, cseqs := splitNonEmpty(f[11]), splitNonEmpty(f[12])
		if len(ids) != len(lines) || len(cseqs) != len(lines) {
			t.Fatalf("frame %d: %d first lines, %d Call-IDs, %d CSeqs: %q", frame, len(lines), len(ids), len(cseqs), line)
		}
		sp, _ := strconv.Atoi(sport)
		dp, _ := strconv.Atoi(dport)
		a := netip.AddrPortFrom(netip.MustParseAddr(src), uint16(sp))
		b := netip.AddrPortFrom(netip.MustParseAddr(dst), uint16(dp))
		for i := range lines {
			msgs = append(msgs, wireMsg{FirstLine: lines[i], CallID: ids[i], CSeq: strings.Join(strings.Fields(cseqs[i]), " "),
				Src: a, Dst: b, Transport: tp, Packet: frame})
		}
		if len(lines) > 1 {
			port := a.Port()
			if port != netnsTCP4 && port != netnsTCP6 {
				port = b.Port()
			}
			multi[port]++
		}
	}
	return msgs, multi
}

func splitNonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

// reportJSON runs `sipdbg report --json` on the file and lists its
// messages in session order (by index, across calls).
func reportJSON(t *testing.T, bin, file string) []wireMsg {
	t.Helper()
	out, err := exec.Command(bin, "report", "--json", file).Output()
	if err != nil {
		t.Fatalf("sipdbg report --json: %v", err)
	}
	var rep struct {
		Stats struct {
			Undecodable int `json:"undecodable"`
			TCPGaps     int `json:"tcp_gaps"`
		} `json:"stats"`
		Calls []struct {
			CallID   string `json:"call_id"`
			Messages []struct {
				Index          int    `json:"index"`
				Packet         int    `json:"packet"`
				Src            string `json:"src"`
				Dst            string `json:"dst"`
				Transport      string `json:"transport"`
				FirstLine      string `json:"first_line"`
				Retransmission bool   `json:"retransmission"`
			} `json:"messages"`
		} `json:"calls"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("report --json: %v\n%s", err, out)
	}
	if rep.Stats.Undecodable != 0 || rep.Stats.TCPGaps != 0 {
		t.Errorf("report --json: %d undecodable, %d TCP gaps", rep.Stats.Undecodable, rep.Stats.TCPGaps)
	}
	type indexed struct {
		i int
		m wireMsg
	}
	var all []indexed
	for _, c := range rep.Calls {
		for _, m := range c.Messages {
			if m.Retransmission {
				t.Errorf("report --json: message %d (%s) marked as a retransmission", m.Index, m.FirstLine)
			}
			all = append(all, indexed{m.Index, wireMsg{FirstLine: m.FirstLine, CallID: c.CallID, Src: parseAddrPort(t, m.Src),
				Dst: parseAddrPort(t, m.Dst), Transport: m.Transport, Packet: m.Packet}})
		}
	}
	slices.SortFunc(all, func(a, b indexed) int { return a.i - b.i })
	msgs := make([]wireMsg, len(all))
	for i, x := range all {
		if x.i != i {
			t.Errorf("report --json: message indexes are not 0..n-1: %d at position %d", x.i, i)
		}
		msgs[i] = x.m
	}
	return msgs
}

// reportCall is the head line of a call in the text report, ending with
// its Call-ID; reportLine one of its messages: index, time, delta,
// src → dst, transport, first line.
var (
	reportCall = regexp.MustCompile(`^Call \d+ `)
	reportLine = regexp.MustCompile(`^\s+(\d+)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\s+(?:\+\S+\s+)?(\S+)\s+→\s+(\S+)\s+(\S+)\s+(.*)$`)
)

// parseReportText reads the messages of capture --report's text, in
// session order: each call prints its own messages with their index.
func parseReportText(t *testing.T, out string) []wireMsg {
	t.Helper()
	byIndex := map[int]wireMsg{}
	callID := ""
	for _, line := range strings.Split(out, "\n") {
		if reportCall.MatchString(line) {
			f := strings.Fields(line)
			callID = f[len(f)-1]
			continue
		}
		if m := reportLine.FindStringSubmatch(line); m != nil {
			i, _ := strconv.Atoi(m[1])
			byIndex[i] = wireMsg{FirstLine: m[5], CallID: callID, Src: parseAddrPort(t, m[2]), Dst: parseAddrPort(t, m[3]), Transport: m[4]}
		}
	}
	msgs := make([]wireMsg, len(byIndex))
	for i := range msgs {
		m, ok := byIndex[i+1]
		if !ok {
			t.Errorf("capture --report: no message %d of %d\n%s", i+1, len(byIndex), out)
			return nil
		}
		msgs[i] = m
	}
	return msgs
}

// loadSession reads the file with sipdbg's own loader; unlike the
// reports, the session gives each message's CSeq.
func loadSession(t *testing.T, file string) []wireMsg {
	t.Helper()
	r, err := capture.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		t.Fatal(err)
	}
	msgs := make([]wireMsg, s.Len())
	for i := range msgs {
		m := s.Msg(i)
		msgs[i] = wireMsg{FirstLine: m.FirstLine(), CallID: m.CallID(), CSeq: fmt.Sprintf("%d %s", m.CSeq, m.Method()),
			Src: m.Src(), Dst: m.Dst(), Transport: m.Transport.String(), Packet: int(m.Packet)}
	}
	return msgs
}

func parseAddrPort(t *testing.T, s string) netip.AddrPort {
	t.Helper()
	a, err := netip.ParseAddrPort(s)
	if err != nil {
		t.Errorf("address %q: %v", s, err)
	}
	return a
}

// keepAll and noCSeq say which fields of the client's log a source can
// be compared on.
func keepAll(m wireMsg) wireMsg { m.Packet = 0; return m }
func noCSeq(m wireMsg) wireMsg  { m.Packet = 0; m.CSeq = ""; return m }

// compareWire checks that got lists exactly the client's messages, in
// its order; on a difference it shows where the two part.
func compareWire(t *testing.T, name string, got, want []wireMsg, fields func(wireMsg) wireMsg) {
	t.Helper()
	n := min(len(got), len(want))
	first := -1
	for i := range n {
		if fields(got[i]) != fields(want[i]) {
			first = i
			break
		}
	}
	if first < 0 && len(got) == len(want) {
		return
	}
	if first < 0 {
		first = n
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d messages, the client wrote and read %d; they part at message %d\n", name, len(got), len(want), first+1)
	for i := max(0, first-2); i < min(max(len(got), len(want)), first+6); i++ {
		fmt.Fprintf(&b, "  %3d  client:  %s\n", i+1, at(want, i, fields))
		fmt.Fprintf(&b, "       %-7s  %s\n", "got:", at(got, i, fields))
	}
	t.Error(b.String())
}

func at(ms []wireMsg, i int, fields func(wireMsg) wireMsg) string {
	if i >= len(ms) {
		return "(none)"
	}
	return fields(ms[i]).String()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
