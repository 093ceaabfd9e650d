package session

import (
	"bytes"

	"github.com/sipdbg/sipdbg/siplex"
)

// header indexes one header of m and returns the required-header bit it
// satisfied, if any. The first Call-ID, From, To, CSeq and Via count;
// later ones are left for the views to show. lan is onLAN, asked once
// per message: where a LAN's message asks to be reached is not kept.
func header(m *Message, name, v []byte, lan bool) uint8 {
	switch {
	case siplex.Is(name, siplex.CallID):
		if m.f[fCallID].n == 0 {
			m.set(fCallID, v)
		}
		return seenCallID
	case siplex.Is(name, siplex.From):
		if m.f[fFrom].n == 0 {
			uri, params := siplex.NameAddr(v)
			m.set(fFrom, uri)
			m.set(fFromTag, siplex.Param(params, "tag"))
		}
		return seenFrom
	case siplex.Is(name, siplex.To):
		if m.f[fTo].n == 0 {
			uri, params := siplex.NameAddr(v)
			m.set(fTo, uri)
			m.set(fToTag, siplex.Param(params, "tag"))
		}
		return seenTo
	case siplex.Is(name, siplex.Via):
		if m.f[fSentBy].n == 0 && m.f[fBranch].n == 0 {
			via := siplex.TopVia(v)
			m.set(fSentBy, via.SentBy)
			m.set(fBranch, siplex.Param(via.Params, "branch"))
			if !lan {
				m.noteVia(via)
			}
		}
		return seenVia
	case siplex.Is(name, siplex.Contact):
		if !lan {
			m.noteContact(v)
		}
	case siplex.Is(name, siplex.CSeq):
		cseq(m, v)
		return seenCSeq
	case siplex.Is(name, siplex.ContentLength):
		if n, ok := siplex.Uint(v); ok && m.clen < 0 {
			m.clen = int32(n)
		}
	case siplex.Is(name, siplex.ContentType):
		if siplex.HasPrefixFold(v, "application/sdp") || (siplex.HasPrefixFold(v, "multipart/") && bytes.Contains(m.Raw(), []byte("application/sdp"))) {
			m.Flags |= FlagSDP
		}
	case siplex.Is(name, siplex.Authorization):
		m.Flags |= FlagAuthorization
		return seenAuth
	case siplex.Is(name, siplex.ProxyAuthorization):
		m.Flags |= FlagProxyAuthorization
		return seenAuth
	case siplex.Is(name, siplex.WWWAuthenticate):
		m.Flags |= FlagWWWAuthenticate
		return seenAuth
	case siplex.Is(name, siplex.ProxyAuthenticate):
		m.Flags |= FlagProxyAuthenticate
		return seenAuth
	case siplex.EqualFold(name, "x-call-id") || siplex.EqualFold(name, "x-cid"):
		m.set(fXCallID, v)
	}
	return 0
}

// cseq reads the CSeq of m (RFC 3261 §20.16). A response takes its
// method from it; a request's must be its own (§8.1.1.5).
func cseq(m *Message, v []byte) {
	n, meth, ok := siplex.SplitCSeq(v)
	if !ok {
		m.setErr("CSeq " + quote(v) + " is not a number and a method (RFC 3261 §20.16)")
	}
	m.CSeq = n
	if m.IsRequest() {
		if m.Method() != "" && bstr(meth) != m.Method() {
			m.setErr("CSeq method " + quote(meth) + " differs from the request method (RFC 3261 §8.1.1.5)")
		}
		return
	}
	m.set(fMethod, meth)
}
