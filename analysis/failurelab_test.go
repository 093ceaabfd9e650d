package analysis_test

import (
	"path/filepath"
	"testing"

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
	if len(lab.Captures) < 12 {
		t.Fatalf("%d captures in expected.json", len(lab.Captures))
	}
	for _, c := range lab.Captures {
		for _, err := range authlab.CheckFailure(dir, c) {
			t.Error(err)
		}
	}
}
