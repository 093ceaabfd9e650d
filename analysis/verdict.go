package analysis

import (
	"slices"
	"strings"
)

// Verdict is the one line an expert would write about a call: the root
// cause of its failure, or of the risk it ran, or that it went through,
// with the messages that prove it. It is chosen among the call's
// findings, which are its evidence.
type Verdict struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	Summary  string   `json:"summary"`
	Messages []int32  `json:"messages"`
}

// rootOrder ranks codes of one severity as causes: a code earlier in the
// list explains the ones after it (a password reused for another realm
// is why that realm rejected the credentials, which is why the client
// looped). Codes not listed come after, in the order found.
var rootOrder = []Code{
	CodeAccountCompromised, CodePasswordGuessing, CodeScanner,
	CodeRealmPasswordReused, CodeServerRealmMismatch, CodeSlowRetry,
	CodeWrongAuthHeader, CodeRealmMismatch, CodeNonceMismatch, CodeAlgorithmMismatch, CodeAlgorithmUnanswered,
	CodeAuthIntOnly, CodeCredentialsDropped, CodeCredentialsRejected, CodeForbiddenAfterAuth, CodePasswordMismatch,
	CodeACKMissing, CodeACKBranchMismatch, CodeNoCredentialsSent,
	// A failure's cause comes before the failure it caused: a request too
	// big for UDP or a name that does not resolve is why nothing answered;
	// an offer of SRTP only is why the callee found no common codec.
	CodeDNSFailure, CodeUDPTooLarge, CodeACK2xxMissing, CodeTransactionTimeout, CodeSRTPMismatch, CodeNoCommonCodec, CodeLoopOrHops,
	CodeIntervalTooBrief, CodeDialogMismatch, CodeSlowSetup, CodeCallRejected, CodeAuthLoop, CodeRetryStorm,
	// Media: a profile or codec the other side cannot take explains the
	// silence that follows; the silence explains nothing further.
	CodeCodecMismatch, CodeNoMedia, CodeOneWayMedia, CodeMediaAddressMismatch, CodeMediaLoss,
	CodeMediaJitter, CodeDTMFMismatch,
	// Among info findings the call's outcome comes first: a call that
	// went through is told by that, the checks below are its context.
	CodeAuthAccepted, CodeAnswerNotCaptured,
	CodeStaleNonce, CodeBasicAuth, CodeNonceCountReused, CodeCSeqNotIncremented, CodeQopMissing, CodeDigestURIMismatch,
	CodeUsernameMismatch, CodeAuthScheme, CodePasswordMatch,
}

// headline says in a few words what a verdict of that code means; the
// root finding's summary follows it.
var headline = map[Code]string{
	CodeAccountCompromised:   "Account compromised",
	CodePasswordGuessing:     "Password guessing",
	CodeScanner:              "Scanner traffic",
	CodeRealmPasswordReused:  "One password used for two realms",
	CodeServerRealmMismatch:  "Right password, but the server checks another realm or secret",
	CodeSlowRetry:            "Answer too slow, the nonce changed",
	CodeWrongAuthHeader:      "Answered with the wrong header",
	CodeRealmMismatch:        "Credentials for the wrong realm",
	CodeNonceMismatch:        "Answer over a nonce the server did not issue",
	CodeAlgorithmMismatch:    "Answer with an algorithm not offered",
	CodeAlgorithmUnanswered:  "The client supports none of the algorithms offered",
	CodeAuthIntOnly:          "The server offers only qop=auth-int",
	CodeCredentialsDropped:   "Credentials for an earlier realm dropped",
	CodePasswordMismatch:     "Not the candidate password",
	CodeCredentialsRejected:  "Wrong password or unknown user",
	CodeForbiddenAfterAuth:   "Refused after authentication",
	CodeNoCredentialsSent:    "Challenge never answered",
	CodeACKMissing:           "Final response never ACKed",
	CodeACKBranchMismatch:    "ACK on a new branch",
	CodeCallRejected:         "Rejected",
	CodeAuthLoop:             "Authentication loop",
	CodeRetryStorm:           "Retry storm",
	CodeStaleNonce:           "Stale nonce",
	CodeBasicAuth:            "Password sent in clear",
	CodeNonceCountReused:     "Nonce count reused",
	CodeCSeqNotIncremented:   "CSeq not incremented",
	CodeQopMissing:           "Answer without qop",
	CodeDigestURIMismatch:    "Digest uri differs",
	CodeUsernameMismatch:     "Digest username differs",
	CodeAuthAccepted:         "Authenticated",
	CodeAnswerNotCaptured:    "Challenge answered out of sight",
	CodeAuthScheme:           "Authentication scheme",
	CodePasswordMatch:        "Authenticated",
	CodeChallenge401:         "Challenged",
	CodeChallenge407:         "Challenged",
	CodeMultipleRealms:       "Two realms",
	CodeACK2xxMissing:        "ACK never arrived",
	CodeTransactionTimeout:   "No response",
	CodeNoCommonCodec:        "No common codec",
	CodeNATPrivateContact:    "Private address in Contact",
	CodeNATPrivateSDP:        "Private media address",
	CodeUDPTooLarge:          "Too large for UDP",
	CodeSlowSetup:            "Slow call setup",
	CodeDialogMismatch:       "Unknown dialog",
	CodeLoopOrHops:           "Loop or too many hops",
	CodeIntervalTooBrief:     "Registration interval too brief",
	CodeDNSFailure:           "DNS failure",
	CodeRetransmissions:      "Retransmissions",
	CodeOneWayMedia:          "One-way audio",
	CodeNoMedia:              "No audio",
	CodeMediaAddressMismatch: "Media from or to another address",
	CodeMediaLoss:            "Packet loss",
	CodeMediaJitter:          "Jitter",
	CodeCodecMismatch:        "Codec not negotiated",
	CodeDTMFMismatch:         "DTMF mode mismatch",
	CodeSRTPMismatch:         "SRTP on one side only",
}

func rank(c Code) int {
	if i := slices.Index(rootOrder, c); i >= 0 {
		return i
	}
	return len(rootOrder)
}

// VerdictOf chooses the verdict of a call among its findings: the most
// serious finding, and among equally serious ones the root cause (see
// rootOrder). A call without findings has none (nil).
func VerdictOf(fs []Finding) *Verdict {
	best := -1
	for i := range fs {
		if best < 0 || better(&fs[i], &fs[best]) {
			best = i
		}
	}
	if best < 0 {
		return nil
	}
	f := &fs[best]
	summary := f.Summary
	if h := headline[f.Code]; h != "" && !strings.HasPrefix(strings.ToLower(summary), strings.ToLower(h)) {
		summary = h + ": " + summary
	} else if summary != "" && summary[0] >= 'a' && summary[0] <= 'z' {
		summary = string(summary[0]-'a'+'A') + summary[1:] // it opens the line
	}
	return &Verdict{Code: f.Code, Severity: f.Severity, Summary: summary, Messages: f.Messages}
}

// better reports whether a, found after b, makes the better verdict.
// Among findings of one code, a problem's first occurrence is its root,
// while a call that went well is told by its outcome, the last.
func better(a, b *Finding) bool {
	if a.Severity != b.Severity {
		return a.Severity > b.Severity
	}
	if ra, rb := rankAt(a), rankAt(b); ra != rb {
		return ra < rb
	}
	return a.Severity == Info
}

// rankAt is rank, but among info findings the call's outcome comes
// first: a call that went through is told by that, whatever else was
// noted on the way (a stale nonce answered late, a digest uri).
func rankAt(f *Finding) int {
	switch {
	case f.Severity == Info && f.Code == CodeCallRejected:
		return -2 // a refusal after the credentials passed is what became of the request (a SUBSCRIBE 404 after its 401)
	case f.Severity == Info && (f.Code == CodeAuthAccepted || f.Code == CodeAnswerNotCaptured):
		return -1
	case f.Severity == Info && f.Code == CodeNoMedia:
		return len(rootOrder) + 1 // a caveat of the capture (no RTP at all), after anything the packets show
	}
	return rank(f.Code)
}

// NamesCode reports whether text (lower case) is part of a verdict code
// ("ack-2xx", "nat-private"): the call list's filter and report --filter
// then match calls by their verdict's code too, which costs an analysis
// of each call, so it is done only then.
func NamesCode(text string) bool {
	if len(text) < 3 {
		return false
	}
	for _, e := range Catalogue {
		if strings.Contains(string(e.Code), text) {
			return true
		}
	}
	return false
}
