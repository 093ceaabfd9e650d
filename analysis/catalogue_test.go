package analysis

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite README.md's findings table from the catalogue")

// Every code has a catalogue entry, and the README's findings table is
// the catalogue's (go test ./analysis -run TestREADMEFindingsTable
// -update rewrites it).
func TestREADMEFindingsTable(t *testing.T) {
	path := filepath.Join("..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- findings table: made from analysis.Catalogue -->\n", "<!-- end of findings table -->\n"
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q … %q section", strings.TrimSpace(begin), strings.TrimSpace(end))
	}
	want := FindingsTable()
	if got := doc[i+len(begin) : j]; got != want {
		if *update {
			if err := os.WriteFile(path, []byte(doc[:i+len(begin)]+want+doc[j:]), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("README.md's findings table differs from the catalogue; run with -update.\n got:\n%s\nwant:\n%s", got, want)
	}
}

func TestCatalogueCoversEveryCode(t *testing.T) {
	seen := map[Code]bool{}
	for _, e := range Catalogue {
		if seen[e.Code] {
			t.Errorf("%s twice in the catalogue", e.Code)
		}
		seen[e.Code] = true
		if e.When == "" || !strings.HasPrefix(e.RFC, "RFC") || e.Family == "" {
			t.Errorf("%s: incomplete entry %+v", e.Code, e)
		}
	}
	for _, c := range []Code{CodeChallenge401, CodeChallenge407, CodeAuthAccepted, CodeCredentialsRejected, CodeForbiddenAfterAuth,
		CodeNoCredentialsSent, CodeWrongAuthHeader, CodeRealmMismatch, CodeNonceMismatch, CodeStaleNonce, CodeAlgorithmMismatch,
		CodeQopMissing, CodeDigestURIMismatch, CodeUsernameMismatch, CodeCSeqNotIncremented, CodeACKMissing, CodeACKBranchMismatch,
		CodeAuthLoop, CodeCredentialsDropped, CodeMultipleRealms, CodePasswordMatch, CodePasswordMismatch, CodeAnswerNotCaptured,
		CodeAlgorithmUnanswered, CodeAuthIntOnly, CodeNonceCountReused, CodeSlowRetry, CodeRetryStorm, CodeRealmPasswordReused,
		CodeServerRealmMismatch, CodeAuthScheme, CodeBasicAuth, CodeScanner, CodePasswordGuessing, CodeAccountCompromised, CodeCallRejected} {
		if !seen[c] {
			t.Errorf("%s has no catalogue entry", c)
		}
		if _, ok := headline[c]; !ok {
			t.Errorf("%s has no verdict headline", c)
		}
	}
}

// Advice names the settings of the product the User-Agent names, and
// stays generic for any other.
func TestAdvice(t *testing.T) {
	for ua, want := range map[string]string{
		"baresip v3.16.0 (x86_64/linux)":  "auth_pass",
		"Asterisk PBX 20.5.0":             "outbound_auth",
		"FPBX-14.0.13.4(13.27.0)":         "outbound_auth",
		"FreeSWITCH-mod_sofia/1.10.9":     "auth-username",
		"Linphone/5.1.65 (belle-sip/5.1)": "auth_info",
		"Zoiper rv2.10":                   "authentication username",
		"":                                "authentication username",
	} {
		if got := advice(ua); !strings.Contains(got, want) {
			t.Errorf("advice(%q) = %q, want it to name %q", ua, got, want)
		}
	}
}
