package texttrace_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/texttrace"
)

// sipMsg builds a message with CRLF line ends; body is appended after
// the empty line, and a Content-Length header is added unless cl < 0.
func sipMsg(body string, cl int, lines ...string) string {
	if cl >= 0 {
		lines = append(lines, fmt.Sprintf("Content-Length: %d", cl))
	}
	return strings.Join(lines, "\r\n") + "\r\n\r\n" + body
}

var (
	sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.5\r\ns=-\r\nc=IN IP4 10.0.0.5\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"

	register = sipMsg("", 0,
		"REGISTER sip:example.com SIP/2.0",
		"Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK1;rport",
		"From: <sip:alice@example.com>;tag=1",
		"To: <sip:alice@example.com>",
		"Call-ID: reg1@10.0.0.5",
		"CSeq: 1 REGISTER",
		"Contact: <sip:alice@10.0.0.5:5062>")
	challenge = sipMsg("", 0,
		"SIP/2.0 401 Unauthorized",
		"Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK1;rport=5062;received=10.0.0.5",
		"From: <sip:alice@example.com>;tag=1",
		"To: <sip:alice@example.com>;tag=2",
		"Call-ID: reg1@10.0.0.5",
		"CSeq: 1 REGISTER",
		`WWW-Authenticate: Digest realm="example.com", nonce="abc", qop="auth"`)
	invite = sipMsg(sdp, len(sdp),
		"INVITE sip:bob@10.0.0.9 SIP/2.0",
		"Via: SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK2",
		"From: <sip:alice@example.com>;tag=3",
		"To: <sip:bob@example.com>",
		"Call-ID: inv1@10.0.0.5",
		"CSeq: 1 INVITE",
		"Contact: <sip:alice@10.0.0.5>",
		"Content-Type: application/sdp")
	proxyAuth = sipMsg("", 0,
		"SIP/2.0 407 Proxy Authentication Required",
		"Via: SIP/2.0/TCP 10.0.0.5:5060;branch=z9hG4bK2",
		"From: <sip:alice@example.com>;tag=3",
		"To: <sip:bob@example.com>;tag=4",
		"Call-ID: inv1@10.0.0.5",
		"CSeq: 1 INVITE",
		`Proxy-Authenticate: Digest realm="example.com", nonce="def"`)
)

// lf turns every CRLF into LF, as a copy through a browser does.
func lf(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// prefixed puts p in front of every line of s.
func prefixed(p, s string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l != "" {
			b.WriteString(p + l)
		}
	}
	return b.String()
}

// indent3 is sofia-sip's rendering of a message: CRs dropped, three
// spaces in front of each line.
func indent3(s string) string {
	return prefixed("   ", strings.TrimSuffix(lf(s), "\n")+"\n")
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\r\n")
	return s
}

func callID(b []byte) string {
	for _, l := range strings.Split(string(b), "\r\n")[1:] {
		if l == "" {
			break
		}
		name, v, ok := strings.Cut(l, ":")
		if ok && (strings.EqualFold(strings.TrimSpace(name), "call-id") || strings.TrimSpace(name) == "i") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// want describes one expected record. Addresses are "" for unknown, and
// start with "~" when inferred.
type want struct {
	line      int
	format    string
	data      string
	src, dst  string
	transport capture.Transport
	time      string // RFC 3339, "" for none
}

func checkRecord(t *testing.T, i int, r texttrace.Record, w want) {
	t.Helper()
	if r.Line != w.line || r.Format != w.format {
		t.Errorf("#%d: line %d format %q, want %d %q", i, r.Line, r.Format, w.line, w.format)
	}
	if string(r.Data) != w.data {
		t.Errorf("#%d: data\n%q\nwant\n%q", i, r.Data, w.data)
	}
	checkAddr(t, i, "src", r.Src.String(), r.SrcInferred, r.Src.IsValid(), w.src)
	checkAddr(t, i, "dst", r.Dst.String(), r.DstInferred, r.Dst.IsValid(), w.dst)
	if r.Inferred != (r.SrcInferred || r.DstInferred) {
		t.Errorf("#%d: Inferred %v, SrcInferred %v, DstInferred %v", i, r.Inferred, r.SrcInferred, r.DstInferred)
	}
	tp := w.transport
	if tp == 0 {
		tp = capture.UDP
	}
	if r.Transport != tp {
		t.Errorf("#%d: transport %v, want %v", i, r.Transport, tp)
	}
	checkTime(t, i, r.Time, w.time)
}

func checkAddr(t *testing.T, i int, side, got string, inferred, valid bool, w string) {
	t.Helper()
	wantInferred := strings.HasPrefix(w, "~")
	w = strings.TrimPrefix(w, "~")
	switch {
	case w == "" && valid:
		t.Errorf("#%d: %s %s, want unknown", i, side, got)
	case w != "" && (got != w || inferred != wantInferred):
		t.Errorf("#%d: %s %s (inferred %v), want %s (inferred %v)", i, side, got, inferred, w, wantInferred)
	}
}

func checkTime(t *testing.T, i int, got time.Time, w string) {
	t.Helper()
	if w == "" {
		if !got.IsZero() {
			t.Errorf("#%d: time %v, want none", i, got)
		}
		return
	}
	wt, err := time.Parse(time.RFC3339Nano, w)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(wt) || got.Location() != time.UTC {
		t.Errorf("#%d: time %v, want %v", i, got, wt)
	}
}
