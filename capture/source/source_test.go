package source_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/capture/source"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// A text trace's messages reach the store as the trace gives them, with
// their transport: a message received over TLS is a TLS message, not the
// TCP of a made-up packet around it.
func TestTextTraceKeepsItsTransport(t *testing.T) {
	trace := "<--- Received SIP request (300 bytes) from TLS:192.0.2.10:5061 --->\n" +
		"REGISTER sip:example.com SIP/2.0\n" +
		"Via: SIP/2.0/TLS 192.0.2.10:5061;rport;branch=z9hG4bKabc\n" +
		"From: <sip:alice@example.com>;tag=1\n" +
		"To: <sip:alice@example.com>\n" +
		"Call-ID: tls-1\n" +
		"CSeq: 1 REGISTER\n" +
		"Content-Length: 0\n\n" +
		"<--- Transmitting SIP response (200 bytes) to UDP:192.0.2.11:5060 --->\n" +
		"SIP/2.0 200 OK\n" +
		"Via: SIP/2.0/UDP 192.0.2.11:5060;branch=z9hG4bKdef\n" +
		"From: <sip:bob@example.com>;tag=2\n" +
		"To: <sip:bob@example.com>;tag=3\n" +
		"Call-ID: udp-1\n" +
		"CSeq: 1 OPTIONS\n" +
		"Content-Length: 0\n\n"
	path := filepath.Join(t.TempDir(), "pjsip.log")
	if err := os.WriteFile(path, []byte(trace), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := source.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	s := session.NewStore()
	if err := pipeline.Load(r, s); err != nil {
		t.Fatal(err)
	}
	if s.Len() != 2 {
		t.Fatalf("%d messages, want 2", s.Len())
	}
	for i, want := range []session.Transport{session.TLS, session.UDP} {
		if m := s.Msg(i); m.Transport != want {
			t.Errorf("message %d (%s): transport %v, want %v", i, m.FirstLine(), m.Transport, want)
		}
	}
	if m := s.Msg(0); m.Src().String() != "192.0.2.10:5061" {
		t.Errorf("the TLS message's source is %v, want the trace's 192.0.2.10:5061", m.Src())
	}
}

// A trace whose only message is beyond the size limit says so, and a
// trace with a stray NUL is still read as a trace.
func TestTextTraceErrorsSayWhatHappened(t *testing.T) {
	dir := t.TempDir()
	big := "<--- Received SIP request (2000000 bytes) from UDP:192.0.2.10:5060 --->\n" +
		"INVITE sip:bob@example.com SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKabc\nCall-ID: big\nCSeq: 1 INVITE\n" +
		"X-Pad: " + strings.Repeat("a", 1100000) + "\nContent-Length: 0\n\n"
	path := filepath.Join(dir, "big.log")
	os.WriteFile(path, []byte(big), 0o600)
	_, err := source.Open(path, nil)
	if err == nil || !strings.Contains(err.Error(), "no SIP message could be read") || !strings.Contains(err.Error(), "line ") {
		t.Errorf("a trace of one oversized message: %v", err)
	}
	withNUL := "<--- Received SIP request (300 bytes) from UDP:192.0.2.10:5060 --->\n" +
		"OPTIONS sip:bob@example.com SIP/2.0\nVia: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKabc\nCall-ID: nul\nCSeq: 1 OPTIONS\nContent-Length: 0\n\n" +
		"garbage \x00 from a crashing logger\n"
	path = filepath.Join(dir, "nul.log")
	os.WriteFile(path, []byte(withNUL), 0o600)
	r, err := source.Open(path, nil)
	if err != nil {
		t.Fatalf("a trace with a stray NUL: %v", err)
	}
	r.Close()
}
