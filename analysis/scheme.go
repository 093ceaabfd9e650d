package analysis

import "strings"

// Schemes other than Digest, and Digest AKA, are named and judged by
// their own rules: an NTLM or Kerberos login is two 401s and a 200 by
// design, a Basic answer carries no nonce, and neither can be checked
// against a password the Digest way.

// kind is how the analysis treats an authentication scheme.
type kind uint8

const (
	kindDigest    kind = iota // Digest with a password: every check applies
	kindAKA                   // Digest AKA (RFC 3310): the secret is on the SIM, no password check
	kindBasic                 // Basic (RFC 7617): the password itself, base64-encoded
	kindBearer                // Bearer (RFC 8898): an OAuth token
	kindHandshake             // NTLM, Kerberos, TLS-DSK (MS-SIPAE): several round trips by design
	kindOther
)

func kindOf(v *authValue) kind {
	is := func(name string) bool { return strings.EqualFold(v.Scheme, name) }
	switch {
	case is("digest"):
		if len(v.Algorithm) >= 4 && strings.EqualFold(v.Algorithm[:4], "akav") {
			return kindAKA
		}
		return kindDigest
	case is("basic"):
		return kindBasic
	case is("bearer"):
		return kindBearer
	case is("ntlm"), is("kerberos"), is("tls-dsk"), is("negotiate"):
		return kindHandshake
	}
	return kindOther
}

// digestLike reports whether the digest parameter checks (nonce,
// algorithm, qop, uri, username) apply to v.
func digestLike(v *authValue) bool { k := kindOf(v); return k == kindDigest || k == kindAKA }

// handshake reports whether a challenge of a is one step of a scheme
// that needs several round trips: its re-challenges are not rejections.
func handshake(a *attempt) bool {
	for i := range a.challenges {
		if kindOf(&a.challenges[i]) == kindHandshake {
			return true
		}
	}
	return false
}

// unusualScheme returns the first challenge of a that is not plain
// Digest, or nil.
func unusualScheme(a *attempt) *challenge {
	for i := range a.challenges {
		if kindOf(&a.challenges[i]) != kindDigest {
			return &a.challenges[i]
		}
	}
	return nil
}

// schemeWords says what each scheme is and how it is judged here.
var schemeWords = map[kind]string{
	kindAKA: "Digest AKA (RFC 3310, IMS/VoLTE): the response is computed by the SIM from the nonce (RAND and AUTN), not " +
		"from a password, so no candidate password can be checked. A 401 answered with auts= is a resynchronisation " +
		"(RFC 3310 §3.4): the SIM's sequence number was out of step, the network sends a fresh nonce, and the next answer " +
		"is expected to succeed; it is not a rejection. The answer usually travels inside the IPsec security association " +
		"the 401 sets up (3GPP TS 33.203 §7), where a capture on the access side does not see it.",
	kindBasic: "Basic (RFC 7617): the answer is the username and password, base64-encoded, readable by anyone on the path. " +
		"RFC 3261 §22.1 deprecates it for SIP. There is no nonce, algorithm or uri to check.",
	kindBearer: "Bearer (RFC 8898): the client answers with an OAuth 2.0 access token from the authorization server the " +
		"challenge names. A new challenge after a token means the token was refused (expired, wrong scope or audience); " +
		"there is no password to check.",
	kindHandshake: "NTLM, Kerberos or TLS-DSK (Microsoft's SIP extensions, MS-SIPAE): the login takes several round trips " +
		"by design: a 401, an answer carrying a token (gssapi-data), a second 401 carrying the server's token, then the final " +
		"answer and a 200. The second 401 is a step of the handshake, not a rejection, and there is no digest to check.",
	kindOther: "A scheme this analysis does not know: its answers are not judged as Digest.",
}

func (d *diag) fScheme(a *attempt, ch *challenge) Finding {
	name := ch.Scheme
	if kindOf(ch) == kindAKA {
		name = "Digest " + ch.Alg()
	}
	return Finding{Code: CodeAuthScheme, Severity: Info, Messages: d.idx(a.final), RFC: "RFC 3261 §22; RFC 3310; RFC 7617; RFC 8898; MS-SIPAE",
		Summary:     d.concat(a.tx.Method, " challenged with the ", name, " scheme (", d.statusText(a.final), ")"),
		Explanation: schemeWords[kindOf(ch)]}
}

func (d *diag) fAKAResync(a, r *attempt) Finding {
	return Finding{Code: CodeAuthScheme, Severity: Info, Messages: d.idx(r.req, r.final), RFC: "RFC 3310 §3.4",
		Summary:     d.concat("AKA resynchronisation: the answer carried auts= and the network sent a fresh nonce (", d.statusText(r.final), ")"),
		Explanation: schemeWords[kindAKA]}
}

func (d *diag) fBasic(r *attempt) Finding {
	return Finding{Code: CodeBasicAuth, Severity: Warning, Messages: d.idx(r.req), RFC: "RFC 3261 §22.1; RFC 7617",
		Summary:     "Basic credentials: the password travels in clear (base64)",
		Explanation: schemeWords[kindBasic] + " Anyone who can read this capture can read the password: change it, and use Digest over TLS."}
}

// handshakeOutcome judges the answer r to a step of a handshake scheme:
// a new challenge is the next step; a 2xx or a refusal ends it.
func (d *diag) handshakeOutcome(a, r *attempt) {
	switch f := r.final; {
	case f == nil || r.challenged():
	case f.Status == 403 || (f.Status == 404 && r.tx.Method == "REGISTER"):
		d.add(d.fForbidden(a, r))
	case f.Status < 300:
		d.add(d.fAccepted(a, r, a.realms))
	}
}
