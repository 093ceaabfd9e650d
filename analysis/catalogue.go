package analysis

import "strings"

// Family groups the findings that one file of this package checks and
// words.
type Family string

// The families, one file each.
const (
	FamilyChallenge Family = "challenge" // challenge.go: the challenge and the answer to it
	FamilyRetry     Family = "retry"     // retry.go: what the element did with the answer
	FamilyPassword  Family = "password"  // password.go: candidate passwords against the digest
	FamilyACK       Family = "ack"       // ack.go: the ACK of a non-2xx final response
	FamilyScheme    Family = "scheme"    // scheme.go: schemes other than Digest
	FamilySecurity  Family = "security"  // security.go: guessing, scanners, cleartext
	FamilyFailure   Family = "failure"   // failure.go: failures that are not authentication
	FamilyTimeout   Family = "timeout"   // timeout.go: what never came (an ACK, a response, ringing)
	FamilyMedia     Family = "media"     // codec.go: what the session descriptions could not agree on
	FamilyNAT       Family = "nat"       // nat.go: private addresses where the far end must reach
	FamilyTransport Family = "transport" // transport.go: DNS, size, loss on the path
	FamilyDialog    Family = "dialog"    // dialog.go: 481, loops and hops, 423
)

// Entry is what the catalogue knows of a code: the severity it has
// when it explains a failure, its family, the RFC behind it and when it
// is raised. Severity can be lower where a finding is only context (a
// digest uri the server accepted is info), never higher.
type Entry struct {
	Code     Code
	Severity Severity
	Family   Family
	RFC      string
	When     string
}

// Catalogue lists every code, in the order the README's table shows
// them. It is the single source of that table (TestREADMEFindingsTable)
// and of the severity a code may take (TestSeverityWithinCatalogue).
var Catalogue = []Entry{
	{CodeChallenge401, Info, FamilyChallenge, "RFC 3261 §22.2", "a 401 (WWW-Authenticate, from the registrar or UAS): realm, algorithm, qop, stale; repeated challenges are counted in one finding"},
	{CodeChallenge407, Info, FamilyChallenge, "RFC 3261 §22.3", "a 407 (Proxy-Authenticate, from a proxy), the same way"},
	{CodeWrongAuthHeader, Error, FamilyChallenge, "RFC 3261 §22.2, §22.3", "a 407 answered with Authorization, or a 401 with Proxy-Authorization"},
	{CodeRealmMismatch, Error, FamilyChallenge, "RFC 3261 §22.1", "the credentials name another realm than the challenge"},
	{CodeNonceMismatch, Error, FamilyChallenge, "RFC 2617 §3.2.2", "the credentials carry another nonce than the challenge issued"},
	{CodeAlgorithmMismatch, Error, FamilyChallenge, "RFC 7616 §3.7; RFC 8760 §2.4", "the credentials use an algorithm the challenge did not offer"},
	{CodeAlgorithmUnanswered, Error, FamilyChallenge, "RFC 8760 §2.4", "several algorithms offered and the client answered none of them"},
	{CodeAuthIntOnly, Warning, FamilyChallenge, "RFC 7616 §3.3", "the server offers only qop=auth-int (a hash of the body), which many clients and servers cannot do"},
	{CodeQopMissing, Warning, FamilyChallenge, "RFC 2617 §3.2.2; RFC 7616 §3.4", "qop offered but the answer has no qop, nc or cnonce (RFC 2069 style); info when the server accepted it"},
	{CodeNonceCountReused, Warning, FamilyChallenge, "RFC 7616 §3.4", "a nonce answered again with an nc that does not increase (not when the server re-issued that nonce in a new challenge); info when the server accepted it"},
	{CodeDigestURIMismatch, Warning, FamilyChallenge, "RFC 3261 §22.4; RFC 2617 §3.2.2.5", "digest uri ≠ Request-URI; info when the server accepted it"},
	{CodeUsernameMismatch, Warning, FamilyChallenge, "RFC 3261 §22.4", "digest username ≠ From user (To user for REGISTER); info when the server accepted it"},
	{CodeCSeqNotIncremented, Warning, FamilyChallenge, "RFC 3261 §8.1.3.5", "the retry reuses the challenged request's CSeq"},
	{CodeAuthAccepted, Info, FamilyRetry, "RFC 3261 §22.2, §22.3", "the retry with credentials got past that challenge (also when the retry went to another hop and only its 2xx is captured)"},
	{CodeCredentialsRejected, Error, FamilyRetry, "RFC 3261 §22.4", "credentials for the challenged realm, and the same element challenged again, not stale"},
	{CodeForbiddenAfterAuth, Error, FamilyRetry, "RFC 3261 §21.4.4", "403 (or 404 to REGISTER) right after credentials"},
	{CodeNoCredentialsSent, Error, FamilyRetry, "RFC 3261 §22.2, §22.3", "a challenge never answered although the client stayed active (not after a rejection: a client that stops then is right)"},
	{CodeAnswerNotCaptured, Info, FamilyRetry, "RFC 3261 §22.2", "no answer to a challenge in the capture, and the capture cannot say it was never sent: it ends, holds only responses, or the client went silent"},
	{CodeStaleNonce, Warning, FamilyRetry, "RFC 7616 §3.3", "stale=true: the answer was right but its nonce expired; info when the client retries, a warning when it does not"},
	{CodeSlowRetry, Error, FamilyRetry, "RFC 7616 §3.3", "the answer came seconds after the challenge (often a DNS wait) and the server refused the nonce as changed or expired"},
	{CodeAuthLoop, Error, FamilyRetry, "RFC 3261 §22.4", "three or more challenges in a row with credentials each time"},
	{CodeRetryStorm, Warning, FamilyRetry, "RFC 3261 §22.4", "identical rejected retries within a second: a lockout risk"},
	{CodeCredentialsDropped, Error, FamilyRetry, "RFC 3261 §22.3", "a retry drops an earlier realm's credentials and that element challenges again"},
	{CodeMultipleRealms, Info, FamilyRetry, "RFC 3261 §22.3", "one request challenged by two realms (proxy and registrar): a credential set for each"},
	{CodePasswordMatch, Info, FamilyPassword, "RFC 2617 §3.2.2; RFC 7616 §3.4", "with a candidate password: the captured response was computed with it"},
	{CodePasswordMismatch, Error, FamilyPassword, "RFC 2617 §3.2.2; RFC 7616 §3.4", "with a candidate password: the captured response was not computed with it (and which client mistake reproduces it, if one does)"},
	{CodeRealmPasswordReused, Error, FamilyPassword, "RFC 3261 §22.3", "the response for one realm is reproduced by another realm's password: one password sent to two realms"},
	{CodeServerRealmMismatch, Error, FamilyPassword, "RFC 3261 §22.4", "the candidate password reproduces the response and the server still re-challenges: it checks another realm or secret"},
	{CodeACKMissing, Error, FamilyACK, "RFC 3261 §17.1.1.3", "a non-2xx final to INVITE never ACKed"},
	{CodeACKBranchMismatch, Error, FamilyACK, "RFC 3261 §17.1.1.3", "the ACK of a non-2xx final carries a new Via branch"},
	{CodeAuthScheme, Info, FamilyScheme, "RFC 3261 §22; RFC 8898; MS-SIPAE", "a scheme other than Digest (Basic, Bearer, NTLM, Kerberos, TLS-DSK) or Digest AKA: named, and its handshake not judged as Digest"},
	{CodeBasicAuth, Warning, FamilySecurity, "RFC 3261 §22.1", "Basic credentials: the password travels in clear"},
	{CodeScanner, Warning, FamilySecurity, "RFC 3261 §8.2.2", "a scanner's request (sipvicious, friendly-scanner, sipcli…) or a sweep: hostile traffic, not a client error"},
	{CodePasswordGuessing, Error, FamilySecurity, "RFC 3261 §26.2", "one source failing authentication many times with many passwords or users"},
	{CodeAccountCompromised, Error, FamilySecurity, "RFC 3261 §26.2", "a guessing run that ends in success: the password was found"},
	{CodeCallRejected, Error, FamilyFailure, "RFC 3261 §21; RFC 6665 §8.3.2", "a final 4xx–6xx that is not about authentication nor explained by a code below: status, who sent it, Reason (with the Q.850 cause in words), Warning, Retry-After; an error for INVITE, REGISTER, REFER and MESSAGE, a warning for BYE, UPDATE, PRACK and INFO (a step of a call), info for SUBSCRIBE and PUBLISH (a feature the server does not offer), but a warning for a SUBSCRIBE refresh refused 481 (the subscription is lost); a refusal that proxies relay is told once, by the element that made it, citing every hop; a forked branch's refusal is nothing when another branch answered, info when the proxy forwarded another branch's refusal"},
	{CodeACK2xxMissing, Error, FamilyTimeout, "RFC 3261 §13.3.1.4, §17.2.1", "a 2xx to INVITE retransmitted and never ACKed on a hop: the UAS gives up after 64·T1 (32 s) and hangs up; which hop's ACK is missing; a warning when the capture ends before the 32 s"},
	{CodeTransactionTimeout, Error, FamilyTimeout, "RFC 3261 §17.1.1.2, §17.1.2.2, §16.8", "a request retransmitted with no response at all until timer B/F (64·T1), or a 408 made by a proxy whose next hop stayed silent: names the silent hop (which is then not told again); a warning for a forked branch that never answered while another branch took the call"},
	{CodeNoCommonCodec, Error, FamilyMedia, "RFC 3264 §6; RFC 3261 §21.4.26", "488/606 to an INVITE (or a 2xx whose answer refuses every stream with port 0): the codecs offered, what the callee said it supports, RTP/AVP vs RTP/SAVP; a warning for a re-INVITE, which leaves the call on its earlier media"},
	{CodeNATPrivateContact, Warning, FamilyNAT, "RFC 3261 §8.1.1.8, §10.3, §18.2.2; RFC 3581", "a Contact, or a top Via without rport, holding a private address (RFC 1918, RFC 6598) in a message from a public one: what it breaks (in-dialog requests, the ACK, incoming calls); a warning when the registrar's 2xx shows it stored that binding as is, info otherwise"},
	{CodeNATPrivateSDP, Info, FamilyNAT, "RFC 4566 §5.7; RFC 3264 §5", "an SDP connection address that is private and differs from the signalling source: one-way or no audio unless the far end latches on the RTP source or a relay rewrites it"},
	{CodeUDPTooLarge, Error, FamilyTransport, "RFC 3261 §18.1.1", "a request over UDP larger than 1300 bytes: past the path's MTU it travels as IP fragments, which NATs and firewalls drop; an error when nothing answered it until timer B, a warning when it went in fragments and got through, info when it fit one packet or the capture ends first"},
	{CodeSlowSetup, Error, FamilyTimeout, "RFC 3261 §13.3.1.1; ITU-T E.721 (post-dial delay)", "an INVITE whose first 18x (or final) came more than 5 s after it (Options.SlowSetup): where the time went (retransmissions, hops that never answered, a hop that held it); an error when the caller gave up first, a warning past twice the threshold, info otherwise"},
	{CodeDialogMismatch, Error, FamilyDialog, "RFC 3261 §12.2.2, §15.1.2", "481 to an in-dialog request (BYE, re-INVITE, UPDATE, INFO, REFER…): tags or Call-ID the other side does not know (a restart, a B2BUA that changed tags, a late BYE)"},
	{CodeLoopOrHops, Error, FamilyDialog, "RFC 3261 §16.3, §16.6 step 3; RFC 5393", "482 Loop Detected or 483 Too Many Hops, or a request that reaches Max-Forwards 0: routes that send the request round"},
	{CodeIntervalTooBrief, Error, FamilyDialog, "RFC 3261 §10.2.8, §10.3 step 7", "423 Interval Too Brief with Min-Expires and no retry that uses it; info when the client retried with a long enough expiry"},
	{CodeDNSFailure, Error, FamilyTransport, "RFC 3263 §4; RFC 1035 §4.1.1", "a client whose DNS lookups for its SIP server (NAPTR, SRV, A) all failed and that sent no SIP (a finding of the capture, not of a call); in a call, lookups that failed or timed out and held the first request up by 2 s or more: info, a warning when the request then failed"},
	{CodeRetransmissions, Info, FamilyTransport, "RFC 3261 §17.1.1.2, §17.1.2.2", "messages of the call retransmitted: loss on the path, and on which hop (source → destination) the copies were needed"},
	{CodeNoMedia, Error, FamilyMedia, "RFC 3264 §5, §6; RFC 3550 §5", "an answered call that went on 3 s or more with no RTP either way, in a capture that holds RTP of both its media hosts; once for the capture, as info, when it holds no RTP at all (a filter for SIP alone gives the same file); nothing when the capture never sees those hosts' media"},
	{CodeOneWayMedia, Error, FamilyMedia, "RFC 3264 §5.1, §6.1; RFC 3550 §5", "RTP in one direction only after the answer, although both descriptions say the other side sends too (not on hold: sendonly, recvonly, inactive)"},
	{CodeSRTPMismatch, Error, FamilyMedia, "RFC 3264 §6; RFC 3711 §12", "an offer of secure RTP (RTP/SAVP, SAVPF) answered with plain RTP/AVP, or the other way round"},
	{CodeCodecMismatch, Error, FamilyMedia, "RFC 3264 §5.1, §6.1; RFC 3551 §6", "RTP payload types no description of the receiver listed (comfort noise aside): an error when they are most of the stream, a warning from a tenth, info for a few stray packets"},
	{CodeMediaAddressMismatch, Warning, FamilyMedia, "RFC 4961 §4; RFC 3264 §5", "RTP leaving from, or sent to, another address or port than the descriptions give (not symmetric RTP, NAT, a relay); info when the description named a private address"},
	{CodeMediaLoss, Warning, FamilyMedia, "RFC 3550 §6.4.1, A.3", "a stream that lost more than 3% of its packets (Options.MediaLoss)"},
	{CodeMediaJitter, Warning, FamilyMedia, "RFC 3550 §6.4.1, A.8", "a stream whose interarrival jitter reached 30 ms (Options.MediaJitter): packets that came in bursts after stalls"},
	{CodeDTMFMismatch, Warning, FamilyMedia, "RFC 4733 §2; RFC 6086", "DTMF sent as SIP INFO although both sides negotiated telephone-event: a warning when an INFO was refused or unanswered, info when the far end accepted each"},
}

// Lookup returns the catalogue entry of code.
func Lookup(code Code) (Entry, bool) {
	for _, e := range Catalogue {
		if e.Code == code {
			return e, true
		}
	}
	return Entry{}, false
}

// FindingsTable is the README's table of codes, made from the
// catalogue: code, severity when it explains a failure, family, RFC,
// when it is raised.
func FindingsTable() string {
	var b strings.Builder
	b.WriteString("| code | severity | family | RFC | when |\n|---|---|---|---|---|\n")
	for _, e := range Catalogue {
		b.WriteString("| " + string(e.Code) + " | " + e.Severity.String() + " | " + string(e.Family) + " | " + e.RFC + " | " + e.When + " |\n")
	}
	return b.String()
}
