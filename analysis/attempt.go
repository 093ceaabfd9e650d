package analysis

import (
	"slices"
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// header names, as RFC 3261 §20 spells them.
const (
	hdrWWWAuthenticate    = "WWW-Authenticate"
	hdrProxyAuthenticate  = "Proxy-Authenticate"
	hdrAuthorization      = "Authorization"
	hdrProxyAuthorization = "Proxy-Authorization"

	// The same, lower-cased, as the header scan compares them.
	lowWWWAuthenticate    = "www-authenticate"
	lowProxyAuthenticate  = "proxy-authenticate"
	lowAuthorization      = "authorization"
	lowProxyAuthorization = "proxy-authorization"
)

// authValue is one parsed auth header: a challenge or a credential.
type authValue struct {
	Digest
	proxy bool // Proxy-Authenticate or Proxy-Authorization
}

// challenge is one challenge header of a 401 or 407.
type challenge = authValue

// credential is one Authorization or Proxy-Authorization header.
type credential = authValue

// attempt is one request transaction of a call and how it ended.
type attempt struct {
	tx         *session.Transaction
	req        *session.Message // nil when the request was not captured
	final      *session.Message // first final response, nil if none (or not looked up yet: see ended)
	ringing    bool             // a provisional response above 100 came first
	ended      bool             // final and ringing are known
	challenges []challenge      // of a 401/407 final
	creds      []credential
	realms     []string // the distinct realms of challenges, in order
	leg        leg
	chain      int32 // index of the attempt's chain (see chains)
}

func (a *attempt) challenged() bool {
	return a.final != nil && (a.final.Status == 401 || a.final.Status == 407)
}

// attempts lists the call's request transactions in order, skipping ACK
// and CANCEL, which carry no credentials of their own to judge. The
// attempts, their challenges, credentials and realms live in sc.
//
// How a transaction ended is looked up only where it matters: reading a
// response means reading its message, and most transactions of a
// capture (BYE, OPTIONS, calls set up without a challenge) are never
// judged. The transaction's Final status says which ones matter without
// reading any response.
func attempts(s *session.Store, c *session.Call, sc *scratch) []*attempt {
	sc.as = slices.Grow(sc.as[:0], len(c.Txs))
	for i := range c.Txs {
		tx := &c.Txs[i]
		if tx.Method == "ACK" || tx.Method == "CANCEL" {
			continue
		}
		sc.as = append(sc.as, attempt{tx: tx})
		a := &sc.as[len(sc.as)-1]
		if tx.Request >= 0 {
			a.req = s.Msg(int(tx.Request))
			a.creds = sc.credentials(a.req)
		}
		if endMatters(tx) {
			a.end(s)
		}
		if a.challenged() {
			a.challenges = sc.challenges(a.final)
			a.realms = sc.realmsOf(a.challenges)
		}
		a.leg = legOf(a)
	}
	// sc.as is not appended to any more: pointers into it stay valid.
	sc.ptrs = sc.ptrs[:0]
	for i := range sc.as {
		sc.ptrs = append(sc.ptrs, &sc.as[i])
	}
	return sc.ptrs
}

// endMatters reports whether the final response of tx is needed before
// the chains are walked: a challenge (401/407) to judge, a request not
// captured whose leg only the response shows, or an INVITE refused and
// not ACKed in its transaction (RFC 3261 §17.1.1.3). Any other attempt
// is looked at only when it answers a challenge (see retry).
func endMatters(tx *session.Transaction) bool {
	return tx.Final == 401 || tx.Final == 407 || (tx.Request < 0 && tx.Final != 0) ||
		(tx.Method == "INVITE" && tx.Final >= 300 && tx.ACK < 0)
}

// end finds a's first final response and whether a provisional response
// above 100 came before it.
func (a *attempt) end(s *session.Store) {
	if a.ended {
		return
	}
	a.ended = true
	for _, ri := range a.tx.Response {
		r := s.Msg(int(ri))
		if r.Status >= 200 {
			a.final = r
			return
		}
		if r.Status > 100 {
			a.ringing = true
		}
	}
}

// challenges parses m's WWW-Authenticate then Proxy-Authenticate
// headers into sc and returns them.
func (sc *scratch) challenges(m *session.Message) []challenge {
	start := len(sc.chs)
	sc.chs = appendAuth(sc.chs, m, session.FlagWWWAuthenticate, lowWWWAuthenticate, false)
	sc.chs = appendAuth(sc.chs, m, session.FlagProxyAuthenticate, lowProxyAuthenticate, true)
	return slices.Clip(sc.chs[start:])
}

// credentials parses m's Authorization then Proxy-Authorization headers
// into sc and returns them, nil when there are none.
func (sc *scratch) credentials(m *session.Message) []credential {
	start := len(sc.crs)
	sc.crs = appendAuth(sc.crs, m, session.FlagAuthorization, lowAuthorization, false)
	sc.crs = appendAuth(sc.crs, m, session.FlagProxyAuthorization, lowProxyAuthorization, true)
	if len(sc.crs) == start {
		return nil
	}
	return slices.Clip(sc.crs[start:])
}

// appendAuth appends the parsed values of m's headers called name to
// dst. The flag of that header, set when the message was indexed, says
// whether m has one: most messages are not scanned at all, and most of
// the others once.
func appendAuth(dst []authValue, m *session.Message, flag session.Flags, name string, proxy bool) []authValue {
	if m.Flags&flag == 0 {
		return dst
	}
	m.AuthValues(name, func(v string) {
		dst = append(dst, authValue{proxy: proxy})
		parseDigest(&dst[len(dst)-1].Digest, v, false)
	})
	return dst
}

// realmsOf returns the distinct realms of chs, in order, kept in sc.
func (sc *scratch) realmsOf(chs []challenge) []string {
	start := len(sc.realms)
	for i := range chs {
		if r := chs[i].Realm; !contains(sc.realms[start:], r) {
			sc.realms = append(sc.realms, r)
		}
	}
	if len(sc.realms) == start {
		return nil
	}
	return slices.Clip(sc.realms[start:])
}

// credFor returns a's credentials for realm. Basic and Bearer answers
// name no realm (RFC 7617 §2, RFC 6750 §2.1): such an answer stands for
// whichever realm was challenged.
func (a *attempt) credFor(realm string) *credential {
	for i := range a.creds {
		if a.creds[i].Realm == realm {
			return &a.creds[i]
		}
	}
	for i := range a.creds {
		if cr := &a.creds[i]; cr.Realm == "" && !digestLike(cr) {
			return cr
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// userOf returns the user part of a SIP URI ("sip:alice@x" → "alice").
func userOf(uri string) string {
	if i := strings.IndexByte(uri, ':'); i >= 0 {
		uri = uri[i+1:]
	}
	if at := strings.LastIndexByte(uri, '@'); at >= 0 {
		return uri[:at]
	}
	return ""
}

// hostOf returns the host part of a SIP URI ("sip:alice@x:5060;p" → "x").
func hostOf(uri string) string {
	if at := strings.LastIndexByte(uri, '@'); at >= 0 {
		uri = uri[at+1:]
	} else if i := strings.IndexByte(uri, ':'); i >= 0 {
		uri = uri[i+1:]
	}
	if i := strings.IndexAny(uri, ":;>?"); i >= 0 {
		uri = uri[:i]
	}
	return uri
}

// requestURI returns the Request-URI of a request.
func requestURI(m *session.Message) string {
	// The second of strings.SplitN(line, " ", 3), without the slice.
	_, rest, ok := strings.Cut(m.FirstLine(), " ")
	if !ok {
		return ""
	}
	uri, _, _ := strings.Cut(rest, " ")
	return uri
}
