package analysis_test

import (
	"path/filepath"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// TestLabCaptures runs the analysis on the captures the lab made with
// Kamailio and SIPp, one per misbehaviour, and checks every finding
// code is exercised by at least one of them.
func TestLabCaptures(t *testing.T) {
	dir := filepath.Join(testenv.Root(t), "testdata", "captures", "auth")
	caps, err := authlab.Expected(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[analysis.Code]bool{}
	for _, c := range caps {
		if c.Skipped != "" {
			t.Logf("%s skipped by the lab: %s", c.File, c.Skipped)
			continue
		}
		t.Run(c.File, func(t *testing.T) {
			if err := authlab.Check(dir, c); err != nil {
				t.Error(err)
			}
			got, err := authlab.Findings(dir, c)
			if err != nil {
				t.Fatal(err)
			}
			for code := range got {
				seen[code] = true
			}
		})
	}
	for _, code := range []analysis.Code{
		analysis.CodeChallenge401, analysis.CodeChallenge407, analysis.CodeAuthAccepted, analysis.CodeCredentialsRejected,
		analysis.CodeForbiddenAfterAuth, analysis.CodeNoCredentialsSent, analysis.CodeWrongAuthHeader, analysis.CodeRealmMismatch,
		analysis.CodeNonceMismatch, analysis.CodeStaleNonce, analysis.CodeAlgorithmMismatch, analysis.CodeQopMissing,
		analysis.CodeDigestURIMismatch, analysis.CodeUsernameMismatch, analysis.CodeCSeqNotIncremented, analysis.CodeACKMissing,
		analysis.CodeACKBranchMismatch, analysis.CodeAuthLoop, analysis.CodeCredentialsDropped, analysis.CodeMultipleRealms,
		analysis.CodePasswordMatch, analysis.CodePasswordMismatch,
	} {
		if !seen[code] {
			t.Errorf("no lab capture yields %s", code)
		}
	}
}
