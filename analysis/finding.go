package analysis

import (
	"encoding/json"
	"fmt"
)

// Severity grades a finding.
type Severity uint8

// Severities, from least to most serious.
const (
	Info Severity = iota
	Warning
	Error
)

var severityNames = [...]string{"info", "warning", "error"}

func (s Severity) String() string { return severityNames[s] }

// MarshalJSON writes the severity as its name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a severity written by MarshalJSON.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	for i, n := range severityNames {
		if n == name {
			*s = Severity(i)
			return nil
		}
	}
	return fmt.Errorf("unknown severity %q", name)
}

// Code names what a finding is about. Codes are an interface (JSON,
// tests, documentation): a code never changes meaning.
type Code string

// Finding codes.
const (
	CodeChallenge401        Code = "challenge-401"
	CodeChallenge407        Code = "challenge-407"
	CodeAuthAccepted        Code = "auth-accepted"
	CodeCredentialsRejected Code = "credentials-rejected"
	CodeForbiddenAfterAuth  Code = "forbidden-after-auth"
	CodeNoCredentialsSent   Code = "no-credentials-sent"
	CodeWrongAuthHeader     Code = "wrong-auth-header"
	CodeRealmMismatch       Code = "realm-mismatch"
	CodeNonceMismatch       Code = "nonce-mismatch"
	CodeStaleNonce          Code = "stale-nonce"
	CodeAlgorithmMismatch   Code = "algorithm-mismatch"
	CodeQopMissing          Code = "qop-missing"
	CodeDigestURIMismatch   Code = "digest-uri-mismatch"
	CodeUsernameMismatch    Code = "username-mismatch"
	CodeCSeqNotIncremented  Code = "cseq-not-incremented"
	CodeACKMissing          Code = "ack-missing"
	CodeACKBranchMismatch   Code = "ack-branch-mismatch"
	CodeAuthLoop            Code = "auth-loop"
	CodeCredentialsDropped  Code = "credentials-dropped"
	CodeMultipleRealms      Code = "multiple-realms"
	CodePasswordMatch       Code = "password-match"
	CodePasswordMismatch    Code = "password-mismatch"

	CodeAnswerNotCaptured   Code = "answer-not-captured"
	CodeAlgorithmUnanswered Code = "algorithm-unanswered"
	CodeAuthIntOnly         Code = "auth-int-only"
	CodeNonceCountReused    Code = "nonce-count-reused"
	CodeSlowRetry           Code = "slow-retry"
	CodeRetryStorm          Code = "retry-storm"
	CodeRealmPasswordReused Code = "realm-password-reused"
	CodeServerRealmMismatch Code = "server-realm-mismatch"
	CodeAuthScheme          Code = "auth-scheme"
	CodeBasicAuth           Code = "basic-auth"
	CodeScanner             Code = "scanner"
	CodePasswordGuessing    Code = "password-guessing"
	CodeAccountCompromised  Code = "account-compromised"
	CodeCallRejected        Code = "call-rejected"

	// Failures that are not authentication (issue 18's catalogue).
	CodeACK2xxMissing      Code = "ack-2xx-missing"
	CodeTransactionTimeout Code = "transaction-timeout"
	CodeNoCommonCodec      Code = "sdp-no-common-codec"
	CodeNATPrivateContact  Code = "nat-private-contact"
	CodeNATPrivateSDP      Code = "nat-private-sdp"
	CodeUDPTooLarge        Code = "udp-too-large"
	CodeSlowSetup          Code = "slow-setup"
	CodeDialogMismatch     Code = "dialog-mismatch-481"
	CodeLoopOrHops         Code = "loop-or-hops"
	CodeIntervalTooBrief   Code = "interval-too-brief"
	CodeDNSFailure         Code = "dns-failure"
	CodeRetransmissions    Code = "retransmissions"

	// Media: what the RTP of an answered call shows (issue 19).
	CodeOneWayMedia          Code = "one-way-media"
	CodeNoMedia              Code = "no-media"
	CodeMediaAddressMismatch Code = "media-address-mismatch"
	CodeMediaLoss            Code = "media-loss"
	CodeMediaJitter          Code = "media-jitter"
	CodeCodecMismatch        Code = "codec-mismatch"
	CodeDTMFMismatch         Code = "dtmf-mismatch"
	CodeSRTPMismatch         Code = "srtp-mismatch"
)

// Finding is one thing the analysis has to say about a call.
type Finding struct {
	Code        Code     `json:"code"`
	Severity    Severity `json:"severity"`
	Messages    []int32  `json:"messages"` // store indexes of the messages concerned, in order
	Summary     string   `json:"summary"`
	Explanation string   `json:"explanation"`
	RFC         string   `json:"rfc"`
	Steps       []Step   `json:"steps,omitempty"` // digest computation, for password findings
	// Count is how many times the finding happened when repeated
	// attempts were collapsed into it (see collapse); 0 means once.
	Count int `json:"count,omitempty"`
	// hop marks a finding made on a proxy's copy of the client's
	// requests (see relayCopy): it adds its messages to the same
	// finding on the client's own hop, not a count.
	hop bool
}

// Times returns how many times f happened.
func (f *Finding) Times() int { return max(f.Count, 1) }
