package texttrace

import (
	"net/netip"

	"github.com/sipdbg/sipdbg/capture"
)

// infer fills in the addresses and transports a trace did not give, from
// the messages themselves, and marks them inferred. Only IP addresses
// found in headers are used, never host names:
//
//   - a request came from its top Via's sent-by (received/rport if
//     present), or else its Contact; it went to its first Route, or else
//     its Request-URI (loose routing, RFC 3261 §16.12);
//   - a response goes to its top Via's received/rport, or sent-by
//     (§18.2.2); it came from where its request (same top Via branch and
//     CSeq method, earlier in the trace) went. A response's Contact is not
//     used: behind a proxy it names the far end, not the sender;
//   - the PBX formats (pjsip, chan_sip, freeswitch) give only the far
//     end; the other side is the PBX itself, so when every address
//     inferred for that side is the same one, it fills that side in every
//     message of the format.
//
// The transport, when the trace does not say, is the top Via's.
func infer(recs []rec) {
	fs := make([]fields, len(recs))
	for i := range recs {
		fs[i] = parseFields(recs[i].Data)
		inferOwn(&recs[i], &fs[i])
	}
	pairResponses(recs, fs)
	for _, format := range []string{FormatPJSIP, FormatChanSIP, FormatFreeSWITCH} {
		fillLocal(recs, format)
	}
}

// inferOwn infers what a message's own headers say.
func inferOwn(r *rec, f *fields) {
	if r.Transport == 0 {
		r.Transport = f.via.transport
		if r.Transport == 0 {
			r.Transport = capture.UDP
		}
	}
	if f.request {
		setSrc(r, viaOrContact(f))
		setDst(r, routeOrRURI(f))
		return
	}
	if f.hasVia {
		setDst(r, ok2(f.via.source()))
	}
}

func viaOrContact(f *fields) netip.AddrPort {
	if a, ok := f.via.source(); ok && f.hasVia {
		return a
	}
	return ok2(uriAddr(f.contact))
}

func routeOrRURI(f *fields) netip.AddrPort {
	if f.hasRoute {
		return ok2(uriAddr(f.route))
	}
	return ok2(uriAddr(f.ruri))
}

func ok2(a netip.AddrPort, ok bool) netip.AddrPort {
	if !ok {
		return netip.AddrPort{}
	}
	return a
}

func setSrc(r *rec, a netip.AddrPort) {
	if !r.Src.IsValid() && a.IsValid() {
		r.Src, r.SrcInferred = a, true
	}
}

func setDst(r *rec, a netip.AddrPort) {
	if !r.Dst.IsValid() && a.IsValid() {
		r.Dst, r.DstInferred = a, true
	}
}

// pairResponses gives a response the addresses of its request, swapped.
func pairResponses(recs []rec, fs []fields) {
	reqs := make(map[string]int)
	for i := range recs {
		f := &fs[i]
		if len(f.via.branch) == 0 {
			continue
		}
		key := string(f.via.branch) + "\x00" + string(f.via.sentBy) + "\x00" + string(f.method)
		if f.request {
			reqs[key] = i
			continue
		}
		if j, ok := reqs[key]; ok {
			setSrc(&recs[i], recs[j].Dst)
			setDst(&recs[i], recs[j].Src)
		}
	}
}

// fillLocal fills the PBX's own side of the messages of a PBX format
// when all the inferred values of that side agree.
func fillLocal(recs []rec, format string) {
	var local netip.AddrPort
	for i := range recs {
		r := &recs[i]
		if r.Format != format {
			continue
		}
		a, inferred := localSide(r)
		if !inferred || !a.IsValid() {
			continue
		}
		if local.IsValid() && a != local {
			return // the PBX has several addresses: no guess
		}
		local = a
	}
	if !local.IsValid() {
		return
	}
	for i := range recs {
		if r := &recs[i]; r.Format == format {
			if r.srcGiven {
				setDst(r, local)
			} else {
				setSrc(r, local)
			}
		}
	}
}

// localSide returns the side of r the trace did not give (the PBX's),
// and whether it was inferred.
func localSide(r *rec) (netip.AddrPort, bool) {
	if r.srcGiven {
		return r.Dst, r.DstInferred
	}
	return r.Src, r.SrcInferred
}
