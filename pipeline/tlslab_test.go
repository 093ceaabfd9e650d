package pipeline_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/capture/tlsrec"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

// tlsLab is testdata/captures/tls/expected.json: the TLS lab's captures
// (Kamailio's tls module against Go crypto/tls, openssl s_client with
// key updates, JsSIP over WSS), each with its key log and the SIP
// messages tshark decrypts from it.
type tlsLab struct {
	Captures []struct {
		File, Keylog string
		Messages     []struct {
			Frame     int    `json:"frame"`
			FirstLine string `json:"first_line"`
			SHA256    string `json:"sha256"`
		} `json:"messages"`
		Expect []struct {
			Code analysis.Code `json:"code"`
		} `json:"expect"`
		Passwords []struct{ Realm, User, Password string } `json:"passwords"`
	} `json:"captures"`
}

// Each TLS lab capture, read with its key log, gives the SIP messages
// tshark gives (`tshark -o tls.keylog_file:K -Y sip`, written in
// expected.json): the same count and the same bytes, in order; and the
// analysis of the 401/407 inside it finds what the lab expects, as over
// TCP.
func TestTLSLabAgreesWithTshark(t *testing.T) {
	dir := filepath.Join(testenv.Root(t), "testdata", "captures", "tls")
	b, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lab tlsLab
	if err := json.Unmarshal(b, &lab); err != nil {
		t.Fatal(err)
	}
	if len(lab.Captures) < 8 {
		t.Fatalf("%d captures in expected.json", len(lab.Captures))
	}
	for _, c := range lab.Captures {
		t.Run(c.File, func(t *testing.T) {
			kf, err := os.Open(filepath.Join(dir, c.Keylog))
			if err != nil {
				t.Fatal(err)
			}
			keys, errs := tlsrec.ParseKeylog(kf)
			kf.Close()
			if len(errs) > 0 {
				t.Fatalf("key log: %v", errs)
			}
			r, err := capture.Open(filepath.Join(dir, c.File))
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			s := session.NewStore()
			if err := pipeline.LoadConcurrentWith(r, s, pipeline.Options{Keylog: keys}); err != nil {
				t.Fatal(err)
			}
			if s.Len() != len(c.Messages) {
				t.Fatalf("%d SIP messages decrypted, tshark %d", s.Len(), len(c.Messages))
			}
			for i, want := range c.Messages {
				m := s.Msg(i)
				sum := sha256.Sum256(m.Raw())
				if got := hex.EncodeToString(sum[:]); got != want.SHA256 {
					t.Errorf("message %d (frame %d, %q): bytes differ from tshark's (sha256 %s, want %s)", i+1, want.Frame, want.FirstLine, got[:12], want.SHA256[:12])
				}
			}
			var creds []analysis.Credential
			for _, p := range c.Passwords {
				creds = append(creds, analysis.Credential{Realm: p.Realm, User: p.User, Secret: analysis.Password(p.Password)})
			}
			found := map[analysis.Code]bool{}
			for _, call := range s.Calls() {
				for _, f := range analysis.Diagnose(s, call, analysis.Options{Credentials: creds}) {
					found[f.Code] = true
				}
			}
			for _, e := range c.Expect {
				if !found[e.Code] {
					t.Errorf("expected %s, found %v", e.Code, slices.Sorted(maps.Keys(found)))
				}
			}
		})
	}
}
