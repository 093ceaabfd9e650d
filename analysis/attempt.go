package analysis

import (
	"strings"

	"github.com/sipdbg/sipdbg/session"
)

// header names, as RFC 3261 §20 spells them.
const (
	hdrWWWAuthenticate    = "WWW-Authenticate"
	hdrProxyAuthenticate  = "Proxy-Authenticate"
	hdrAuthorization      = "Authorization"
	hdrProxyAuthorization = "Proxy-Authorization"
)

// challenge is one challenge header of a 401 or 407.
type challenge struct {
	Digest
	proxy bool // Proxy-Authenticate (407) rather than WWW-Authenticate (401)
}

// credential is one Authorization or Proxy-Authorization header.
type credential struct {
	Digest
	proxy bool
}

// attempt is one request transaction of a call and how it ended.
type attempt struct {
	tx         *session.Transaction
	req        *session.Message // nil when the request was not captured
	final      *session.Message // first final response, nil if none
	ringing    bool             // a provisional response above 100 came first
	challenges []challenge      // of a 401/407 final
	creds      []credential
}

func (a *attempt) challenged() bool {
	return a.final != nil && (a.final.Status == 401 || a.final.Status == 407)
}

// attempts lists the call's request transactions in order, skipping ACK
// and CANCEL, which carry no credentials of their own to judge.
func attempts(s *session.Store, c *session.Call) []*attempt {
	var out []*attempt
	for i := range c.Txs {
		tx := &c.Txs[i]
		if tx.Method == "ACK" || tx.Method == "CANCEL" {
			continue
		}
		a := &attempt{tx: tx}
		if tx.Request >= 0 {
			a.req = s.Msg(int(tx.Request))
			if a.req.Flags&(session.FlagAuthorization|session.FlagProxyAuthorization) != 0 {
				a.creds = credentials(a.req) // a header scan: only when there is something to find
			}
		}
		for _, ri := range tx.Response {
			r := s.Msg(int(ri))
			if r.Status >= 200 {
				a.final = r
				break
			}
			if r.Status > 100 {
				a.ringing = true
			}
		}
		if a.challenged() {
			a.challenges = challenges(a.final)
		}
		out = append(out, a)
	}
	return out
}

func challenges(m *session.Message) []challenge {
	var out []challenge
	www, proxy := m.HeaderPair(hdrWWWAuthenticate, hdrProxyAuthenticate)
	for _, v := range www {
		out = append(out, challenge{ParseDigest(v), false})
	}
	for _, v := range proxy {
		out = append(out, challenge{ParseDigest(v), true})
	}
	return out
}

func credentials(m *session.Message) []credential {
	var out []credential
	www, proxy := m.HeaderPair(hdrAuthorization, hdrProxyAuthorization)
	for _, v := range www {
		out = append(out, credential{ParseDigest(v), false})
	}
	for _, v := range proxy {
		out = append(out, credential{ParseDigest(v), true})
	}
	return out
}

// realms returns the distinct realms of a's challenges, in order.
func (a *attempt) realms() []string {
	var out []string
	for _, ch := range a.challenges {
		if !contains(out, ch.Realm) {
			out = append(out, ch.Realm)
		}
	}
	return out
}

func (a *attempt) credFor(realm string) *credential {
	for i := range a.creds {
		if a.creds[i].Realm == realm {
			return &a.creds[i]
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
	parts := strings.SplitN(m.FirstLine(), " ", 3)
	if len(parts) < 2 {
		return ""
	}
	return parts[1]
}

func idx(ms ...*session.Message) []int32 {
	var out []int32
	for _, m := range ms {
		if m != nil {
			out = append(out, m.Index)
		}
	}
	return out
}
