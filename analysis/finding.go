package analysis

import "encoding/json"

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
}
