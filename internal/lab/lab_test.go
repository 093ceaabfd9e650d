package lab

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/sipdbg/sipdbg/capture"
	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
	"github.com/sipdbg/sipdbg/pipeline"
	"github.com/sipdbg/sipdbg/session"
)

func TestLabCapturesReadLikeTshark(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (root, kamailio, sipp, tcpdump, tshark) to run the live lab")
	}
	root := testenv.Root(t)
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "testdata", "lab", "regen-fixtures.sh"))
	cmd.Env = append(os.Environ(), "FIXTURES_DIR="+out, "DEMO_PCAP=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("regen-fixtures.sh: %v\n%s", err, b)
	}
	raw, err := os.ReadFile(filepath.Join(out, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exp struct {
		Fixtures []struct {
			File    string `json:"file"`
			SIPMsgs int    `json:"sip_msgs"`
			CallIDs int    `json:"call_ids"`
		} `json:"fixtures"`
	}
	if err := json.Unmarshal(raw, &exp); err != nil {
		t.Fatal(err)
	}
	if len(exp.Fixtures) < 7 {
		t.Fatalf("the lab wrote %d fixtures", len(exp.Fixtures))
	}
	for _, f := range exp.Fixtures {
		r, err := capture.Open(filepath.Join(out, f.File))
		if err != nil {
			t.Fatal(err)
		}
		s := session.NewStore()
		err = pipeline.Load(r, s)
		r.Close()
		st := s.Stats()
		if err != nil || st.Messages != f.SIPMsgs || st.Calls != f.CallIDs || st.Undecodable != 0 {
			t.Errorf("%s: %d messages, %d calls, %d undecodable, err %v; tshark: %d messages, %d Call-IDs",
				f.File, st.Messages, st.Calls, st.Undecodable, err, f.SIPMsgs, f.CallIDs)
		}
	}
}

// TestAuthLabCaptures regenerates the authentication captures with real
// Kamailio and SIPp (testdata/lab/auth) and runs the analysis on them:
// every misbehaviour must still be recognised on a fresh recording.
func TestAuthLabCaptures(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (root, kamailio, sipp, tcpdump, tshark) to run the live lab")
	}
	root := testenv.Root(t)
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "testdata", "lab", "auth", "regen-auth-captures.sh"))
	cmd.Env = append(os.Environ(), "FIXTURES_DIR="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("regen-auth-captures.sh: %v\n%s", err, b)
	}
	caps, err := authlab.Expected(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(caps) < 20 {
		t.Fatalf("the lab wrote %d captures", len(caps))
	}
	for _, c := range caps {
		if c.Skipped == "" {
			if err := authlab.Check(out, c); err != nil {
				t.Error(err)
			}
		}
	}
}

// TestFailureLabRegenerates makes the failure captures afresh with the
// real stacks (testdata/lab/failures: Kamailio, SIPp, baresip, sipsak,
// dnsmasq, nftables, each scenario in a network namespace of its own)
// and checks each against its expected verdict, as the committed
// captures are (analysis's TestFailureLabCaptures).
func TestFailureLabRegenerates(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (root, kamailio, sipp, baresip, sipsak, dnsmasq, nftables, tcpdump, tshark) to run the live lab")
	}
	regenAndCheck(t, "failures", "regen-failure-captures.sh", 8*time.Minute, 19)
}

// The everyday lab's captures (ordinary flows through Kamailio by SIPp:
// early media, PRACK, a session refresh, a redirect, INFO, MESSAGE,
// presence, a 40 s call; about a minute) come again from the real
// stacks, and none of them raises a warning or an error.
func TestEverydayLabRegenerates(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 (root, kamailio, sipp, tcpdump, tshark) to run the live lab")
	}
	regenAndCheck(t, "everyday", "regen.sh", 5*time.Minute, 8)
}

// The media lab's captures come again from the real stacks (baresip,
// SIPp, Kamailio, nftables; about three minutes) and each passes the
// same checks as the committed ones (analysis's TestMediaLabCaptures).
// Its loss and jitter come from timing (a paused baresip, random drops),
// which a loaded machine disturbs: it runs on demand, not in CI, where
// the committed captures are checked against tshark and their verdicts.
func TestMediaLabRegenerates(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" || os.Getenv("SIPDBG_MEDIA_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 SIPDBG_MEDIA_LAB=1 (root, kamailio, sipp, baresip, nftables, tcpdump, tshark) to regenerate the media lab")
	}
	regenAndCheck(t, "media", "regen-media-captures.sh", 10*time.Minute, 19)
}

// The TLS lab's captures come again from Kamailio's tls module and its
// clients (Go crypto/tls, openssl s_client, JsSIP over WSS), with their
// key logs, and pass the checks of the committed ones (pipeline's
// TestTLSLabAgreesWithTshark reads testdata/captures/tls). It needs
// kamailio-tls-modules, openssl and node, so it runs on demand.
func TestTLSLabRegenerates(t *testing.T) {
	if os.Getenv("SIPDBG_LAB") != "1" || os.Getenv("SIPDBG_TLS_LAB") != "1" {
		t.Skip("set SIPDBG_LAB=1 SIPDBG_TLS_LAB=1 (root, kamailio with its tls module, openssl, node, tcpdump, tshark) to regenerate the TLS lab")
	}
	root := testenv.Root(t)
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(root, "testdata", "lab", "tls", "regen-tls-captures.sh"))
	cmd.Env = append(os.Environ(), "FIXTURES_DIR="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("regen-tls-captures.sh: %v\n%s", err, b)
	}
	if m, _ := filepath.Glob(filepath.Join(out, "*.pcap")); len(m) < 8 {
		t.Fatalf("the lab wrote %d captures", len(m))
	}
}

// regenAndCheck runs a lab's regeneration script (testdata/lab/DIR/SCRIPT)
// into a scratch directory, then checks each capture it wrote against
// its entry in the expected.json written beside them, as the committed
// captures are checked (authlab.CheckFailure); the lab must write at
// least atLeast captures.
func regenAndCheck(t *testing.T, dir, script string, limit time.Duration, atLeast int) {
	t.Helper()
	out := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", filepath.Join(testenv.Root(t), "testdata", "lab", dir, script))
	cmd.Env = append(os.Environ(), "FIXTURES_DIR="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s/%s: %v\n%s", dir, script, err, b)
	}
	lab, err := authlab.Failures(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(lab.Captures) < atLeast {
		t.Fatalf("the lab wrote %d captures", len(lab.Captures))
	}
	for _, c := range lab.Captures {
		for _, err := range authlab.CheckFailure(out, c) {
			t.Error(err)
		}
	}
}
