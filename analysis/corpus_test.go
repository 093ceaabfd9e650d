package analysis_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sipdbg/sipdbg/analysis"
	"github.com/sipdbg/sipdbg/internal/testkit/authlab"
	"github.com/sipdbg/sipdbg/internal/testkit/testenv"
)

// corpus lists, for the authentication captures INDEX.md names, the
// findings the trace shows (each checked by reading the flow) and those
// it must not yield. Counts are exact where the trace makes them so.
var corpus = []struct {
	file string
	want map[analysis.Code]int // -1: at least one
	not  []analysis.Code
}{
	{"sngrep__aaa.pcap", map[analysis.Code]int{"challenge-401": 14, "challenge-407": 3, "auth-accepted": 4,
		"forbidden-after-auth": 1, "username-mismatch": -1, "digest-uri-mismatch": -1, "slow-retry": 7},
		[]analysis.Code{"ack-missing", "ack-branch-mismatch", "wrong-auth-header", "multiple-realms", "credentials-rejected", "no-credentials-sent"}},
	{"sip_captures__private-test-sip.pcapng", map[analysis.Code]int{"challenge-407": 22, "credentials-rejected": 10, "forbidden-after-auth": 2},
		[]analysis.Code{"challenge-401", "wrong-auth-header", "auth-accepted", "no-credentials-sent"}},
	{"gprshome-wireshark__sip.pcap", map[analysis.Code]int{"challenge-407": 11, "auth-accepted": 11},
		[]analysis.Code{"credentials-rejected", "no-credentials-sent", "ack-missing"}},
	{"heplify__erspan_sip_ipv4_udp.pcapng", map[analysis.Code]int{"challenge-407": 4, "challenge-401": 1, "auth-accepted": 4},
		[]analysis.Code{"credentials-rejected", "ack-missing"}},
	{"sip_captures__sip-register-publish-subscribe-489-401.pcapng", map[analysis.Code]int{"challenge-401": 11, "auth-accepted": 11},
		[]analysis.Code{"credentials-rejected", "no-credentials-sent"}},
	{"heplify__sip_tcp_websocket.pcap", map[analysis.Code]int{"challenge-407": 1, "auth-accepted": 1, "ack-branch-mismatch": 1},
		[]analysis.Code{"ack-missing", "credentials-rejected"}},
	{"hep-wireshark__hep.pcap", map[analysis.Code]int{"challenge-407": 1, "no-credentials-sent": 1, "ack-missing": 1}, nil},
	{"hep-wireshark__hep3_compressed.pcap.pcapng", map[analysis.Code]int{"challenge-401": 2, "auth-accepted": 1},
		[]analysis.Code{"credentials-rejected", "nonce-mismatch", "qop-missing"}},
	{"arkime__gtp-iphone.pcap", map[analysis.Code]int{"challenge-401": 1, "auth-accepted": 1}, []analysis.Code{"no-credentials-sent"}},
	{"sip_captures__sip-register-wrong_password-401-403-401-403.pcapng", map[analysis.Code]int{"challenge-401": 2, "forbidden-after-auth": 2},
		[]analysis.Code{"auth-accepted"}},
	{"sip_captures__sip-register-wrong_user-401-403-404.pcapng", map[analysis.Code]int{"challenge-401": 1, "forbidden-after-auth": 1},
		[]analysis.Code{"auth-accepted"}},
	{"sip_captures__sip-488-Not-Acceptable-Here-codec-null.pcapng", map[analysis.Code]int{"challenge-401": 1, "auth-accepted": 1},
		[]analysis.Code{"forbidden-after-auth", "credentials-rejected"}},
	{"sip_captures__sip-2phones-B2BUA-Asterisk.pcapng", map[analysis.Code]int{"challenge-401": 7, "auth-accepted": 7}, []analysis.Code{"forbidden-after-auth"}},
	// One REGISTER challenged once and accepted once (frames 28-36); the
	// proxy .228 relays it over UDP to .227, and its copy of the exchange
	// is the same challenge and acceptance, not a second one.
	{"heplify__sip_ipv4_tcp_retrans.pcap", map[analysis.Code]int{"challenge-401": 1, "auth-accepted": 1},
		[]analysis.Code{"no-credentials-sent", "cseq-not-incremented"}},
	{"sip_captures__sip-register-ok-unregister-2.pcapng", map[analysis.Code]int{"stale-nonce": 1, "auth-accepted": 2}, []analysis.Code{"credentials-rejected"}},
	{"nDPI__fuzz-2006-06-26-2594.pcap", map[analysis.Code]int{}, nil}, // damaged headers: only must not panic
}

func TestCorpusFindings(t *testing.T) {
	dir := testenv.SharedPcaps(t)
	for _, c := range corpus {
		t.Run(c.file, func(t *testing.T) {
			s, err := authlab.Load(filepath.Join(dir, c.file))
			if err != nil {
				t.Fatal(err)
			}
			got := map[analysis.Code]int{}
			sv := analysis.NewSurvey(s)
			for _, call := range s.Calls() {
				for _, f := range analysis.Diagnose(s, call, analysis.Options{Survey: sv}) {
					got[f.Code] += f.Times()
				}
			}
			for code, n := range c.want {
				if (n < 0 && got[code] == 0) || (n >= 0 && got[code] != n) {
					t.Errorf("%s: %d, want %d", code, got[code], n)
				}
			}
			for _, code := range c.not {
				if got[code] != 0 {
					t.Errorf("%s: %d, want none", code, got[code])
				}
			}
			if t.Failed() {
				var all []string
				for k, v := range got {
					all = append(all, string(k)+"="+itoa(v))
				}
				t.Logf("all findings: %s", strings.Join(all, " "))
			}
		})
	}
}

func itoa(n int) string {
	s := ""
	for ; n >= 10; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return string(rune('0'+n)) + s
}

// The phone in sngrep's aaa.pcap waits ~17 s on unanswered DNS SRV
// queries before each answer, and the server then says "nonce has
// changed": the analysis must blame the wait, name the DNS queries, and
// not blame the password.
func TestSlowRetryNamesTheDNSWait(t *testing.T) {
	dir := testenv.SharedPcaps(t)
	s, err := authlab.Load(filepath.Join(dir, "sngrep__aaa.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	slow := 0
	for _, c := range s.Calls() {
		for _, f := range analysis.Diagnose(s, c, analysis.Options{}) {
			switch f.Code {
			case analysis.CodeSlowRetry:
				slow++
				if !strings.Contains(f.Summary, "waiting on DNS") || !strings.Contains(f.Summary, "SRV _sip._udp.sip.cybercity.dk") {
					t.Errorf("slow-retry does not name the DNS wait: %s", f.Summary)
				}
			case analysis.CodeCredentialsRejected:
				t.Errorf("the password is blamed: %s", f.Summary)
			}
		}
	}
	if slow == 0 {
		t.Error("no slow-retry")
	}
}
