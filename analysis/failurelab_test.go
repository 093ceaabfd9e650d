package analysis_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// Each capture of the failure lab raises the codes its entry expects,
// with the severity written there and on messages of the frames named;
// none of its absent codes; and no other warning or error
// (authlab.CheckFailure). internal/lab's TestFailureLabRegenerates makes
// the captures afresh with the real stacks and checks them the same way.
func TestFailureLabCaptures(t *testing.T) {
	dir := filepath.Join(testenv.Root(t), "testdata", "captures", "failures")
	lab, err := authlab.Failures(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(lab.Captures) < 19 {
		t.Fatalf("%d captures in expected.json", len(lab.Captures))
	}
	for _, c := range lab.Captures {
		for _, err := range authlab.CheckFailure(dir, c) {
			t.Error(err)
		}
	}
}

// Each capture of the media lab (testdata/lab/media: baresip, SIPp and
// Kamailio with nftables in network namespaces) raises the codes its
// entry expects, none of its absent ones, and no other warning or error.
// internal/lab's TestMediaLabRegenerates makes them afresh.
func TestMediaLabCaptures(t *testing.T) {
	dir := filepath.Join(testenv.Root(t), "testdata", "captures", "media")
	lab, err := authlab.Failures(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(lab.Captures) < 19 {
		t.Fatalf("%d captures in expected.json", len(lab.Captures))
	}
	for _, c := range lab.Captures {
		for _, err := range authlab.CheckFailure(dir, c) {
			t.Error(err)
		}
	}
}

// callee-busy.pcap is taken on the proxy's host: bob's baresip refuses
// with 486 (frame 6) and Kamailio relays it to alice (frame 8). That is
// one refusal, by bob: one finding naming 127.0.0.20 and citing both
// hops, not a second one blaming the proxy.
func TestBusyCalleeToldOnce(t *testing.T) {
	s, err := authlab.Load(filepath.Join(testenv.Root(t), "testdata", "captures", "media", "callee-busy.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	calls := s.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	var got []analysis.Finding
	for _, f := range analysis.Diagnose(s, calls[0], analysis.Options{}) {
		if f.Code == analysis.CodeCallRejected {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d call-rejected findings, want one: %+v", len(got), got)
	}
	if !strings.Contains(got[0].Summary, "486 Rejected by 127.0.0.20:5060") {
		t.Errorf("summary %q does not name bob", got[0].Summary)
	}
	var statuses []int
	for _, m := range got[0].Messages {
		if st := s.Msg(int(m)).Status; st != 0 {
			statuses = append(statuses, int(st))
		}
	}
	if len(got[0].Messages) != 4 || !slices.Equal(statuses, []int{486, 486}) {
		t.Errorf("messages %v (statuses %v), want both INVITEs and both 486s", got[0].Messages, statuses)
	}
}

// linphone cannot answer a challenge that offers only qop=auth-int: it
// sends the REGISTER again without credentials, is challenged again and
// stops (frames 1–4). One cause, one error: auth-int-only; the two
// unanswered challenges say how it showed, at info.
//
// twinkle answers it correctly with qop=auth-int, and Kamailio 5.6
// refuses the answer with a new challenge over the same nonce (frames
// 3–4): the refusal is a warning that names auth-int, not a second
// error blaming the password.
func TestAuthIntOnlyCarriesTheError(t *testing.T) {
	for _, c := range []struct {
		capture string
		quiet   analysis.Code
		n       int
	}{
		{"phones-linphone-register-auth-int.pcap", analysis.CodeNoCredentialsSent, 2},
		{"phones-twinkle-register-auth-int.pcap", analysis.CodeCredentialsRejected, 1},
	} {
		s, err := authlab.Load(filepath.Join(testenv.Root(t), "testdata", "captures", "clients", c.capture))
		if err != nil {
			t.Fatal(err)
		}
		var errs []analysis.Code
		quiet := 0
		for _, f := range analysis.Diagnose(s, s.Calls()[0], analysis.Options{}) {
			switch {
			case f.Severity == analysis.Error:
				errs = append(errs, f.Code)
			case f.Code == c.quiet:
				quiet++
				if !strings.Contains(f.Summary, "auth-int") {
					t.Errorf("%s: %q does not name auth-int", c.capture, f.Summary)
				}
			}
		}
		if !slices.Equal(errs, []analysis.Code{analysis.CodeAuthIntOnly}) || quiet != c.n {
			t.Errorf("%s: errors %v and %d %s below error; want auth-int-only alone and %d", c.capture, errs, quiet, c.quiet, c.n)
		}
	}
}

// An offer of SRTP only, refused with 488 by a callee without SRTP
// (baresip: media lab and failure lab), was refused for its profile:
// the codecs offered are ones the callee has. srtp-mismatch is the one
// error; the codec finding stays as context at info.
func TestSRTPRefusalIsNotACodecError(t *testing.T) {
	root := testenv.Root(t)
	for _, p := range []string{"media/srtp-mismatch.pcap", "failures/sdp-no-common-codec-savp.pcap"} {
		s, err := authlab.Load(filepath.Join(root, "testdata", "captures", p))
		if err != nil {
			t.Fatal(err)
		}
		var errs []analysis.Code
		codec, found := analysis.Info, false
		for _, f := range analysis.Diagnose(s, s.Calls()[0], analysis.Options{}) {
			if f.Severity == analysis.Error {
				errs = append(errs, f.Code)
			}
			if f.Code == analysis.CodeNoCommonCodec {
				codec, found = f.Severity, true
			}
		}
		if !slices.Equal(errs, []analysis.Code{analysis.CodeSRTPMismatch}) || !found || codec != analysis.Info {
			t.Errorf("%s: errors %v, sdp-no-common-codec at %v; want srtp-mismatch alone, the codec at info", p, errs, codec)
		}
	}
}
